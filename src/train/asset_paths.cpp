// The data-directory lookup (see asset_paths.h).
#include "train/asset_paths.h"

#include <cstdlib>
#include <system_error>

namespace gradscope {
namespace {

namespace fs = std::filesystem;

#ifndef GRADSCOPE_DATA_FROM_BINDIR
#define GRADSCOPE_DATA_FROM_BINDIR "../share/gradscope"
#endif

// Looks at `dir`; true (and `loc` done) when it holds presets/.
bool tryDir(AssetLocation& loc, const fs::path& dir) {
  loc.searched.push_back(dir);
  std::error_code ec;
  if (!fs::is_directory(dir / "presets", ec)) return false;
  loc.dir = dir;
  return true;
}

// True when `path` lies inside `dir` (both absolute and normalized).
bool inside(const fs::path& path, const fs::path& dir) {
  const fs::path rel = path.lexically_relative(dir);
  return !rel.empty() && *rel.begin() != "..";
}

}  // namespace

AssetLocation findAssets(const char* dataDirEnv, const fs::path& executable,
                         const fs::path& fromBindir, const BuildTree& buildTree) {
  AssetLocation loc;
  if (dataDirEnv && *dataDirEnv) {
    loc.fromEnv = true;
    tryDir(loc, dataDirEnv);
    return loc;
  }
  if (!executable.empty() &&
      tryDir(loc, (executable.parent_path() / fromBindir).lexically_normal()))
    return loc;
  if (!buildTree.binaryDir.empty() && !buildTree.assetsDir.empty() &&
      inside(executable, buildTree.binaryDir))
    tryDir(loc, buildTree.assetsDir);
  return loc;
}

const AssetLocation& assets() {
  static const AssetLocation loc = [] {
    std::error_code ec;
    fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (ec) exe.clear();
    BuildTree buildTree;
#if defined(GRADSCOPE_BINARY_DIR) && defined(GRADSCOPE_SOURCE_ASSETS_DIR)
    buildTree.binaryDir = fs::weakly_canonical(GRADSCOPE_BINARY_DIR, ec);
    buildTree.assetsDir = GRADSCOPE_SOURCE_ASSETS_DIR;
#endif
    return findAssets(std::getenv("GRADSCOPE_DATA_DIR"), exe, GRADSCOPE_DATA_FROM_BINDIR,
                      buildTree);
  }();
  return loc;
}

std::string assetsDir() {
  const AssetLocation& loc = assets();
  if (loc.found()) return loc.dir.string();
  return loc.searched.empty() ? std::string("assets") : loc.searched.front().string();
}

std::string notFoundMessage(const AssetLocation& loc) {
  std::string places;
  for (size_t i = 0; i < loc.searched.size(); ++i) {
    if (i > 0) places += i + 1 == loc.searched.size() ? " or " : ", ";
    places += loc.searched[i].string();
    if (i == 0 && loc.fromEnv) places += " (GRADSCOPE_DATA_DIR)";
  }
  if (places.empty()) places = "nowhere (the executable's path is unknown)";
  return "no data directory: looked for presets/ in " + places;
}

}  // namespace gradscope
