// What the app remembers between launches, in the user's config directory (XDG), never in
// the working directory: the last session as a preset (session.json) and the UI's own
// settings (ui.json: visible panels, smoothing, screenshot folder, recent files, ...).
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "train/run_config.h"
#include "ui/ui_state.h"

namespace gradscope::ui {

// $XDG_CONFIG_HOME/gradscope, else ~/.config/gradscope; empty if neither can be found.
std::filesystem::path configDir();

// The last session, if one was saved and still reads as a valid preset.
std::optional<SessionConfig> loadLastSession();
// Saves the session; returns an empty string or why it failed.
std::string saveLastSession(const SessionConfig& session);

// UI settings: missing or unreadable files leave `state` as it is.
void loadUiSettings(UiState& state);
std::string saveUiSettings(const UiState& state);

// Settings as JSON text and back (the pure part, unit-tested).
std::string uiSettingsToJson(const UiState& state);
void uiSettingsFromJson(const std::string& text, UiState& state);

// Which panels are shown, as a preset keeps them (session.panels by panelKey) and back: a
// preset that names no panel leaves it as it is.
void storePanels(const UiState& state, SessionConfig& session);
void applyPanels(const SessionConfig& session, UiState& state);

// At exit: the trainer's session with the panels shown, and the UI settings; a failure is one
// line on stderr.
void saveAtExit(SessionConfig session, const UiState& state);

// Puts `path` first in the recent-files list (at most 8, no duplicates).
void addRecentFile(UiState& state, const std::string& path);

}  // namespace gradscope::ui
