// The state file (see state_file.h).
#include "ui/state_file.h"

#include <nlohmann/json.hpp>

#include "train/config_json.h"

namespace gradscope::ui {

void writeStateFile(const std::string& path, const Snapshot& snap, const UiState& state,
                    const Layout& panels, const FileDialog& dialog, const ShellState& shell) {
  nlohmann::json j;
  j["frame"] = shell.frame;
  j["idle"] = shell.idle;
  j["playing"] = snap.playing;
  j["screenshots"] = shell.screenshots;
  j["recording"] = shell.recording;
  j["last_recording"] = shell.lastRecording;
  j["toast"] = shell.toast;
  j["last_screenshot"] = shell.lastScreenshot;
  j["selected_run"] = state.selectedRun;
  auto& runs = j["runs"];
  runs = nlohmann::json::array();
  for (const auto& r : snap.runs)
    runs.push_back({{"label", r.label},
                    {"activation", std::string(activationInfo(r.config.activation.activation).key)},
                    {"step", r.step},
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
  try {
    writeFileAtomically(path, j.dump());
  } catch (const std::exception&) {
  }
}

}  // namespace gradscope::ui
