// The state file (see state_file.h).
#include "ui/state_file.h"

#include <imgui.h>
#include <nlohmann/json.hpp>

#include <set>

#include "train/config_json.h"
#include "ui/i18n.h"
#include "ui/text_audit.h"

namespace gradscope::ui {

void writeStateFile(const std::string& path, const Snapshot& snap, const UiState& state,
                    const Layout& panels, const FileDialog& dialog, const ShellState& shell) {
  nlohmann::json j;
  j["frame"] = shell.frame;
  j["idle"] = shell.idle;
  j["playing"] = snap.playing;
  j["screenshots"] = shell.screenshots;
  j["recording"] = shell.recording;
  j["recording_seconds"] = shell.recordingSeconds;
  j["last_recording"] = shell.lastRecording;
  j["toast"] = shell.toast;
  j["last_screenshot"] = shell.lastScreenshot;
  j["selected_run"] = state.selectedRun;
  auto& runs = j["runs"];
  runs = nlohmann::json::array();
  for (const auto& r : snap.runs)
    runs.push_back({{"label", english(r.label)},
                    {"activation", std::string(activationInfo(r.config.activation.activation).key)},
                    {"step", r.step},
                    {"watched", r.watched},
                    {"connected", r.connected},
                    {"layers", r.layerCount},
                    {"state", r.state == RunState::Running  ? "running"
                              : r.state == RunState::Paused ? "paused"
                                                            : "diverged"}});
  j["window"] = {shell.windowWidth, shell.windowHeight};
  for (const auto& [name, rect] : state.itemRects) j[name] = rect;
  auto& shown = j["panels"];
  shown = nlohmann::json::object();
  for (size_t p = 0; p < panels.size(); ++p)
    if (state.visible[p])
      shown[panelKey(static_cast<Panel>(p))] = {panels[p].pos.x, panels[p].pos.y, panels[p].size.x,
                                                panels[p].size.y};
  j["missing_glyphs"] = shell.missingGlyphs;
  if (dialog.action != FileAction::None) {
    j["dialog"] = {{"path", dialog.path}, {"entries", dialog.entryRects}};
  }
  auto& clipped = j["clipped"];
  clipped = nlohmann::json::array();
  for (const ClippedText& c : shell.clipped)
    clipped.push_back({{"window", c.window}, {"text", c.text}, {"pixels", c.pixels}});
  j["language"] = state.language == Language::Korean ? "ko" : "en";
  // What a Korean user saw untranslated so far: keys Korean lacks, and Latin words read back
  // from the frames this file was written after (menus and popups held open are in them).
  j["untranslated"] = untranslatedKeys();
  static std::set<std::string> latinSeen;  // UI thread only
  const ImDrawData* drawn = ImGui::GetDrawData();
  if (state.language == Language::Korean && drawn && drawn->Valid &&
      !ImGui::GetIO().Fonts->Fonts.empty()) {
    static const std::set<std::string> kept = keptLatinWords(koreanText());
    for (auto& w : latinWords(*drawn, *ImGui::GetIO().Fonts->Fonts[0], kept))
      latinSeen.insert(std::move(w));
  }
  j["latin_words"] = latinSeen;
  try {
    writeFileAtomically(path, j.dump());
  } catch (const std::exception&) {
  }
}

}  // namespace gradscope::ui
