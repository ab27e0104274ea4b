// Where gradscope reads its run-time data (presets/, lessons/, i18n/), and where its Python
// package (gradscope.watch) is: the one lookup the app and the headless subcommands share.
//
// In order, the first that applies:
//   1. $GRADSCOPE_DATA_DIR, when set and not empty — used alone: a wrong override is reported,
//      never silently replaced by another directory;
//   2. ../share/gradscope from the executable's directory (/proc/self/exe; the relative path
//      follows the install layout, GNUInstallDirs), so an installed tree works wherever it is
//      moved;
//   3. for a binary still inside the build directory it was built in, the source tree's
//      assets/ (both paths compiled in), so developers run what they edit. An installed copy
//      never reads the source tree.
// A directory counts when it holds presets/.
//
// The Python package is looked up the same way with its own paths: lib/python3/dist-packages
// next to the executable (cmake --install puts it there, Debian's python3 reads it under
// /usr), else the source tree's python/ for a build-tree binary; a directory counts when it
// holds gradscope/__init__.py. There is no override: PYTHONPATH already is one.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace gradscope {

struct AssetLocation {
  std::filesystem::path dir;                    // the data directory; empty when none was found
  std::vector<std::filesystem::path> searched;  // every place looked at, in order
  bool fromEnv = false;                         // searched[0] came from GRADSCOPE_DATA_DIR
  bool found() const { return !dir.empty(); }
};

// Where a build-tree binary finds the source tree's assets.
struct BuildTree {
  std::filesystem::path binaryDir;  // the build directory (CMAKE_BINARY_DIR)
  std::filesystem::path assetsDir;  // the source tree's directory (assets/ or python/)
};

// The lookup itself, free of the process's state: `dataDirEnv` may be null (not set),
// `executable` is the program's absolute path (empty when unknown), `fromBindir` the data
// directory relative to the executable's directory ("../share/gradscope").
AssetLocation findAssets(const char* dataDirEnv, const std::filesystem::path& executable,
                         const std::filesystem::path& fromBindir, const BuildTree& buildTree);

// The same lookup for any directory that counts when it holds `marker` (a relative path).
AssetLocation findDir(const char* envOverride, const std::filesystem::path& executable,
                      const std::filesystem::path& fromBindir, const BuildTree& buildTree,
                      const std::filesystem::path& marker);

// This process's data directory, looked up once (thread-safe).
const AssetLocation& assets();

// The directory that holds the Python package gradscope/ (for PYTHONPATH), looked up once.
const AssetLocation& pythonPackageDir();

// assets().dir as a string, or the first place searched when nothing was found (so reads fail
// with that path in their message).
std::string assetsDir();

// One line for a missing data directory, naming every place searched:
// "no data directory: looked for presets/ in /opt/gs/share/gradscope or /src/assets".
std::string notFoundMessage(const AssetLocation& loc);

// The same for the Python package: "no Python package: looked for gradscope/__init__.py in ...".
std::string pythonNotFoundMessage(const AssetLocation& loc);

}  // namespace gradscope
