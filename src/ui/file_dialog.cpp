// The in-app file chooser (see file_dialog.h).
#include "ui/file_dialog.h"

#include <imgui.h>

#include "ui/i18n.h"

#include <algorithm>
#include <filesystem>
#include <vector>

namespace gradscope::ui {

namespace fs = std::filesystem;

void FileDialog::open(FileAction what, std::string startPath) {
  action = what;
  saving = what == FileAction::SavePreset || what == FileAction::ExportMetrics ||
           what == FileAction::SaveWeights;
  folderOnly = what == FileAction::PictureFolder;
  extension = what == FileAction::ExportMetrics || what == FileAction::OpenCsv ? ".csv"
              : what == FileAction::WatchFile                                  ? ".jsonl"
              : folderOnly                                                     ? ""
                                                                               : ".json";
  switch (what) {
    case FileAction::OpenPreset:
      title = tr("file.open_preset");
      break;
    case FileAction::SavePreset:
      title = tr("file.save_preset");
      break;
    case FileAction::ExportMetrics:
      title = tr("file.export_metrics");
      break;
    case FileAction::SaveWeights:
      title = tr("file.save_weights");
      break;
    case FileAction::LoadWeights:
      title = tr("file.load_weights");
      break;
    case FileAction::OpenCsv:
      title = tr("file.open_csv");
      break;
    case FileAction::PictureFolder:
      title = tr("file.picture_folder");
      break;
    case FileAction::WatchFile:
      title = tr("file.watch_file");
      break;
    case FileAction::None:
      break;
  }
  path = std::move(startPath);
  error.clear();
  ImGui::OpenPopup("##file-dialog");
}

FileAction drawFileDialog(FileDialog& d) {
  if (d.action == FileAction::None) return FileAction::None;
  if (!ImGui::IsPopupOpen("##file-dialog")) ImGui::OpenPopup("##file-dialog");
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(vp->GetCenter(), ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
  ImGui::SetNextWindowSize(ImVec2(ImGui::GetFontSize() * 40, ImGui::GetFontSize() * 26),
                           ImGuiCond_Appearing);
  FileAction result = FileAction::None;
  if (!ImGui::BeginPopupModal("##file-dialog", nullptr, ImGuiWindowFlags_NoSavedSettings))
    return result;
  ImGui::TextUnformatted(d.title.c_str());
  char buffer[2048];
  const size_t n = std::min(d.path.size(), sizeof buffer - 1);
  d.path.copy(buffer, n);
  buffer[n] = 0;
  ImGui::SetNextItemWidth(-1);
  if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
  const bool enter =
      ImGui::InputText("##path", buffer, sizeof buffer, ImGuiInputTextFlags_EnterReturnsTrue);
  d.path = buffer;

  // The folder being browsed: the path itself if it is one, else its parent.
  std::error_code ec;
  fs::path folder = fs::path(d.path);
  if (!fs::is_directory(folder, ec)) folder = folder.parent_path();
  if (folder.empty()) folder = fs::current_path(ec);
  std::vector<fs::directory_entry> entries;
  d.entryRects.clear();
  for (fs::directory_iterator it(folder, fs::directory_options::skip_permission_denied, ec), end;
       !ec && it != end; it.increment(ec)) {
    const auto& e = *it;
    const std::string name = e.path().filename().string();
    if (name.empty() || name[0] == '.') continue;
    const bool dir = e.is_directory(ec);
    if (dir || (!d.folderOnly && (d.extension.empty() || e.path().extension() == d.extension)))
      entries.push_back(e);
  }
  std::sort(entries.begin(), entries.end(), [&](const auto& a, const auto& b) {
    const bool da = a.is_directory(ec), db = b.is_directory(ec);
    return da != db ? da : a.path().filename() < b.path().filename();
  });
  const float footer =
      ImGui::GetFrameHeightWithSpacing() * 2 + ImGui::GetTextLineHeightWithSpacing();
  if (ImGui::BeginChild("##entries", ImVec2(0, -footer), true)) {
    if (folder.has_parent_path() && folder != folder.root_path() && ImGui::Selectable("../"))
      d.path = folder.parent_path().string() + "/";
    for (const auto& e : entries) {
      const bool dir = e.is_directory(ec);
      const std::string label = e.path().filename().string() + (dir ? "/" : "");
      const bool picked =
          ImGui::Selectable(label.c_str(), false, ImGuiSelectableFlags_AllowDoubleClick);
      const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
      d.entryRects[label] = {a.x, a.y, b.x - a.x, b.y - a.y};
      if (picked) {
        const std::string keepName =
            d.saving && !fs::is_directory(d.path, ec) ? fs::path(d.path).filename().string() : "";
        d.path = dir ? (e.path() / keepName).string() : e.path().string();
        if (dir && keepName.empty()) d.path += "/";
        if (!dir && ImGui::IsMouseDoubleClicked(0)) result = d.action;
      }
    }
  }
  ImGui::EndChild();
  if (!d.error.empty())
    ImGui::TextColored(ImVec4(1, 0.5f, 0.45f, 1), "%s", d.error.c_str());
  else
    ImGui::TextDisabled("%s", tr(d.folderOnly ? "file.hint_folder"
                                 : d.saving   ? "file.hint_save"
                                              : "file.hint_open"));
  if (ImGui::Button(trId("file.ok").c_str(), ImVec2(ImGui::GetFontSize() * 6, 0)) || enter)
    result = d.action;
  ImGui::SameLine();
  if (ImGui::Button(trId("file.cancel").c_str(), ImVec2(ImGui::GetFontSize() * 6, 0)) ||
      ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape))) {
    d.action = FileAction::None;
    ImGui::CloseCurrentPopup();
    result = FileAction::None;
  }
  if (result != FileAction::None) {
    // Check what can be checked here; the action itself reports anything else.
    const fs::path p(d.path);
    if (d.folderOnly ? !fs::is_directory(p, ec) && p.has_filename() && fs::exists(p, ec)
                     : d.path.empty() || fs::is_directory(p, ec)) {
      d.error = d.folderOnly ? tr("file.not_folder") + (" " + d.path) : tr("file.is_folder");
      result = FileAction::None;
    } else if (!d.saving && !d.folderOnly && !fs::exists(p, ec)) {
      d.error = tr("file.no_file") + (" " + d.path);
      result = FileAction::None;
    } else {
      if (d.saving && !d.extension.empty() && p.extension() != d.extension) d.path += d.extension;
      d.action = FileAction::None;
      ImGui::CloseCurrentPopup();
    }
  }
  ImGui::EndPopup();
  return result;
}

}  // namespace gradscope::ui
