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
#ifndef GRADSCOPE_PYTHON_FROM_BINDIR
#define GRADSCOPE_PYTHON_FROM_BINDIR "../lib/python3/dist-packages"
#endif

// Looks at `dir`; true (and `loc` done) when it holds `marker`.
bool tryDir(AssetLocation& loc, const fs::path& dir, const fs::path& marker) {
  loc.searched.push_back(dir);
  std::error_code ec;
  if (!fs::exists(dir / marker, ec)) return false;
  loc.dir = dir;
  return true;
}

std::string places(const AssetLocation& loc, const char* envName) {
  std::string text;
  for (size_t i = 0; i < loc.searched.size(); ++i) {
    if (i > 0) text += i + 1 == loc.searched.size() ? " or " : ", ";
    text += loc.searched[i].string();
    if (i == 0 && loc.fromEnv) text.append(" (").append(envName).append(")");
  }
  if (text.empty()) text = "nowhere (the executable's path is unknown)";
  return text;
}

fs::path executablePath() {
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (ec) exe.clear();
  return exe;
}

// True when `path` lies inside `dir` (both absolute and normalized).
bool inside(const fs::path& path, const fs::path& dir) {
  const fs::path rel = path.lexically_relative(dir);
  return !rel.empty() && *rel.begin() != "..";
}

}  // namespace

AssetLocation findDir(const char* envOverride, const fs::path& executable,
                      const fs::path& fromBindir, const BuildTree& buildTree,
                      const fs::path& marker) {
  AssetLocation loc;
  if (envOverride && *envOverride) {
    loc.fromEnv = true;
    tryDir(loc, envOverride, marker);
    return loc;
  }
  if (!executable.empty() &&
      tryDir(loc, (executable.parent_path() / fromBindir).lexically_normal(), marker))
    return loc;
  if (!buildTree.binaryDir.empty() && !buildTree.assetsDir.empty() &&
      inside(executable, buildTree.binaryDir))
    tryDir(loc, buildTree.assetsDir, marker);
  return loc;
}

AssetLocation findAssets(const char* dataDirEnv, const fs::path& executable,
                         const fs::path& fromBindir, const BuildTree& buildTree) {
  return findDir(dataDirEnv, executable, fromBindir, buildTree, "presets");
}

const AssetLocation& pythonPackageDir() {
  static const AssetLocation loc = [] {
    BuildTree buildTree;
#if defined(GRADSCOPE_BINARY_DIR) && defined(GRADSCOPE_SOURCE_PYTHON_DIR)
    std::error_code ec;
    buildTree.binaryDir = fs::weakly_canonical(GRADSCOPE_BINARY_DIR, ec);
    buildTree.assetsDir = GRADSCOPE_SOURCE_PYTHON_DIR;
#endif
    return findDir(nullptr, executablePath(), GRADSCOPE_PYTHON_FROM_BINDIR, buildTree,
                   fs::path("gradscope") / "__init__.py");
  }();
  return loc;
}

const AssetLocation& assets() {
  static const AssetLocation loc = [] {
    std::error_code ec;
    const fs::path exe = executablePath();
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
  return "no data directory: looked for presets/ in " + places(loc, "GRADSCOPE_DATA_DIR");
}

std::string pythonNotFoundMessage(const AssetLocation& loc) {
  return "no Python package: looked for gradscope/__init__.py in " + places(loc, "");
}

}  // namespace gradscope
