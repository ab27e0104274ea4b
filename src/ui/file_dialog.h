// A small in-app file chooser: a path field, the folder's entries (sub-folders and files with
// the wanted extension) to click through, OK and Cancel. Dear ImGui has no native dialog.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>

namespace gradscope::ui {

enum class FileAction : std::uint8_t {
  None,
  OpenPreset,
  SavePreset,
  ExportMetrics,
  SaveWeights,
  LoadWeights,
  OpenCsv,
  PictureFolder,
  WatchFile,  // a watch stream (.jsonl) to follow
};

struct FileDialog {
  FileAction action = FileAction::None;
  bool saving = false;      // the file may not exist yet (a name is typed)
  bool folderOnly = false;  // choose a folder
  std::string title;
  std::string extension;  // ".json", ".csv"; empty: any
  std::string path;       // the field's text
  std::string error;      // shown under the field
  // Each listed entry's rectangle (x, y, w, h) as last drawn, by its label: for the state file.
  std::map<std::string, std::array<float, 4>> entryRects;

  // Opens the dialog for `action`, starting at `path` (a file or folder).
  void open(FileAction what, std::string startPath);
};

// Draws the dialog if open; returns the action to perform on `dialog.path` when the user
// confirmed (then the dialog closes), FileAction::None otherwise.
FileAction drawFileDialog(FileDialog& dialog);

}  // namespace gradscope::ui
