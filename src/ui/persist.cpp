// Settings and last session between launches (see persist.h).
#include "ui/persist.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "train/config_json.h"

namespace gradscope::ui {

namespace fs = std::filesystem;

fs::path configDir() {
  if (const char* x = std::getenv("XDG_CONFIG_HOME"); x && *x == '/')
    return fs::path(x) / "gradscope";
  if (const char* h = std::getenv("HOME"); h && *h) return fs::path(h) / ".config" / "gradscope";
  return {};
}

std::optional<SessionConfig> loadLastSession() {
  const fs::path dir = configDir();
  std::error_code ec;
  if (dir.empty() || !fs::exists(dir / "session.json", ec)) return std::nullopt;
  try {
    return loadPreset((dir / "session.json").string()).session;
  } catch (const std::exception&) {
    return std::nullopt;  // an old or damaged file: start from the default session
  }
}

std::string saveLastSession(const SessionConfig& session) {
  const fs::path dir = configDir();
  if (dir.empty()) return "no config directory (neither XDG_CONFIG_HOME nor HOME is set)";
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return "cannot create " + dir.string() + ": " + ec.message();
  try {
    Preset p;
    p.session = session;
    writeFileAtomically((dir / "session.json").string(), presetToJson(p));
  } catch (const std::exception& e) {
    return e.what();
  }
  return {};
}

std::string uiSettingsToJson(const UiState& s) {
  nlohmann::json j;
  j["version"] = 1;
  auto& panels = j["panels"];
  for (size_t i = 0; i < s.visible.size(); ++i)
    panels[panelKey(static_cast<Panel>(i))] = s.visible[i];
  j["smoothing"] = s.smoothing;
  j["hot_swap"] = s.hotSwap;
  j["loss_log_y"] = s.lossLogY;
  j["show_test_points"] = s.boundaryShowTest;
  j["gradient_measure"] = static_cast<int>(s.gradientMeasure);
  j["picture_folder"] = s.pictureFolder;
  j["recent_files"] = s.recentFiles;
  j["language"] = s.language == Language::Korean ? "ko" : "en";
  j["lesson"] = s.selectedLesson;
  return j.dump(2) + "\n";
}

void uiSettingsFromJson(const std::string& text, UiState& s) {
  const auto j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_object()) return;
  // Each setting on its own: one bad value loses only itself.
  auto get = [&](const char* key, auto& out) {
    const auto it = j.find(key);
    if (it == j.end()) return;
    try {
      out = it->template get<std::remove_reference_t<decltype(out)>>();
    } catch (const nlohmann::json::exception&) {
    }
  };
  if (const auto it = j.find("panels"); it != j.end() && it->is_object()) {
    for (size_t i = 0; i < s.visible.size(); ++i)
      if (const auto p = it->find(panelKey(static_cast<Panel>(i)));
          p != it->end() && p->is_boolean())
        s.visible[i] = p->get<bool>();
  }
  get("smoothing", s.smoothing);
  s.smoothing = std::clamp(s.smoothing, 0.0f, 0.99f);
  get("hot_swap", s.hotSwap);
  get("loss_log_y", s.lossLogY);
  get("show_test_points", s.boundaryShowTest);
  int measure = static_cast<int>(s.gradientMeasure);
  get("gradient_measure", measure);
  if (measure >= 0 && measure < static_cast<int>(kGradientMeasureKeys.size()))
    s.gradientMeasure = static_cast<GradientMeasure>(measure);
  get("picture_folder", s.pictureFolder);
  std::string lang = s.language == Language::Korean ? "ko" : "en";
  get("language", lang);
  get("lesson", s.selectedLesson);
  s.language = lang == "ko" ? Language::Korean : Language::English;
  std::vector<std::string> recent;
  get("recent_files", recent);
  s.recentFiles.clear();
  for (auto& r : recent)
    if (!r.empty() && s.recentFiles.size() < 8) s.recentFiles.push_back(std::move(r));
}

void loadUiSettings(UiState& state) {
  const fs::path dir = configDir();
  if (dir.empty()) return;
  try {
    uiSettingsFromJson(readTextFile((dir / "ui.json").string()), state);
  } catch (const std::exception&) {
  }
}

std::string saveUiSettings(const UiState& state) {
  const fs::path dir = configDir();
  if (dir.empty()) return "no config directory (neither XDG_CONFIG_HOME nor HOME is set)";
  std::error_code ec;
  fs::create_directories(dir, ec);
  try {
    writeFileAtomically((dir / "ui.json").string(), uiSettingsToJson(state));
  } catch (const std::exception& e) {
    return e.what();
  }
  return {};
}

void storePanels(const UiState& state, SessionConfig& session) {
  for (size_t p = 0; p < state.visible.size(); ++p)
    session.panels[panelKey(static_cast<Panel>(p))] = state.visible[p];
}

void applyPanels(const SessionConfig& session, UiState& state) {
  for (size_t p = 0; p < state.visible.size(); ++p) {
    const auto it = session.panels.find(panelKey(static_cast<Panel>(p)));
    if (it != session.panels.end()) state.visible[p] = it->second;
  }
}

void saveAtExit(SessionConfig session, const UiState& state) {
  storePanels(state, session);
  if (auto err = saveLastSession(session); !err.empty())
    std::fprintf(stderr, "gradscope: %s\n", err.c_str());
  if (auto err = saveUiSettings(state); !err.empty())
    std::fprintf(stderr, "gradscope: %s\n", err.c_str());
}

void addRecentFile(UiState& state, const std::string& path) {
  auto& r = state.recentFiles;
  r.erase(std::remove(r.begin(), r.end(), path), r.end());
  r.insert(r.begin(), path);
  if (r.size() > 8) r.resize(8);
}

}  // namespace gradscope::ui
