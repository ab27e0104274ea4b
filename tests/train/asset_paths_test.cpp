// The data-directory lookup: the override alone when set, next to the executable wherever the
// install was moved, the source tree only for a binary inside its build directory, and a
// message naming every place searched.
#include "train/asset_paths.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

namespace gradscope {
namespace {

namespace fs = std::filesystem;

class AssetPathsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root = fs::temp_directory_path() /
           ("gradscope-asset-paths-" + std::to_string(getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root);
    fs::create_directories(root / "opt/gs/bin");
    fs::create_directories(root / "opt/gs/share/gradscope/presets");
    fs::create_directories(root / "src/assets/presets");
    fs::create_directories(root / "src/build/src");
    fs::create_directories(root / "empty");
  }
  void TearDown() override { fs::remove_all(root); }

  BuildTree buildTree() const { return {root / "src/build", root / "src/assets"}; }

  fs::path root;
  const fs::path fromBindir = "../share/gradscope";
};

TEST_F(AssetPathsTest, InstalledTreeIsFoundNextToTheExecutable) {
  const auto loc = findAssets(nullptr, root / "opt/gs/bin/gradscope", fromBindir, buildTree());
  ASSERT_TRUE(loc.found());
  EXPECT_EQ(loc.dir, root / "opt/gs/share/gradscope");  // normalized, no "bin/.."
}

TEST_F(AssetPathsTest, MovedInstallFollowsTheExecutable) {
  fs::rename(root / "opt/gs", root / "moved");
  const auto loc = findAssets(nullptr, root / "moved/bin/gradscope", fromBindir, buildTree());
  ASSERT_TRUE(loc.found());
  EXPECT_EQ(loc.dir, root / "moved/share/gradscope");
}

TEST_F(AssetPathsTest, BuildTreeBinaryFallsBackToTheSourceAssets) {
  const auto loc = findAssets(nullptr, root / "src/build/src/gradscope", fromBindir, buildTree());
  ASSERT_TRUE(loc.found());
  EXPECT_EQ(loc.dir, root / "src/assets");
  ASSERT_EQ(loc.searched.size(), 2u);
  EXPECT_EQ(loc.searched[0], root / "src/build/share/gradscope");
}

TEST_F(AssetPathsTest, InstalledBinaryWithoutDataNeverReadsTheSourceTree) {
  fs::remove_all(root / "opt/gs/share");
  const auto loc = findAssets(nullptr, root / "opt/gs/bin/gradscope", fromBindir, buildTree());
  EXPECT_FALSE(loc.found());
  ASSERT_EQ(loc.searched.size(), 1u);
  EXPECT_EQ(notFoundMessage(loc), "no data directory: looked for presets/ in " +
                                      (root / "opt/gs/share/gradscope").string());
}

TEST_F(AssetPathsTest, OverrideIsUsedAlone) {
  const std::string dir = (root / "src/assets").string();
  auto loc = findAssets(dir.c_str(), root / "opt/gs/bin/gradscope", fromBindir, buildTree());
  ASSERT_TRUE(loc.found());
  EXPECT_EQ(loc.dir, root / "src/assets");

  // A wrong override is an error, not a reason to look elsewhere.
  const std::string empty = (root / "empty").string();
  loc = findAssets(empty.c_str(), root / "opt/gs/bin/gradscope", fromBindir, buildTree());
  EXPECT_FALSE(loc.found());
  EXPECT_TRUE(loc.fromEnv);
  EXPECT_EQ(notFoundMessage(loc),
            "no data directory: looked for presets/ in " + empty + " (GRADSCOPE_DATA_DIR)");
}

TEST_F(AssetPathsTest, EmptyOverrideIsIgnored) {
  const auto loc = findAssets("", root / "opt/gs/bin/gradscope", fromBindir, buildTree());
  ASSERT_TRUE(loc.found());
  EXPECT_FALSE(loc.fromEnv);
  EXPECT_EQ(loc.dir, root / "opt/gs/share/gradscope");
}

TEST_F(AssetPathsTest, NothingFoundNamesEveryPlaceInOrder) {
  fs::remove_all(root / "src/assets/presets");
  const auto loc = findAssets(nullptr, root / "src/build/src/gradscope", fromBindir, buildTree());
  EXPECT_FALSE(loc.found());
  EXPECT_EQ(notFoundMessage(loc), "no data directory: looked for presets/ in " +
                                      (root / "src/build/share/gradscope").string() + " or " +
                                      (root / "src/assets").string());
}

TEST_F(AssetPathsTest, UnknownExecutableLooksNowhereButTheOverride) {
  const auto loc = findAssets(nullptr, fs::path(), fromBindir, buildTree());
  EXPECT_FALSE(loc.found());
  EXPECT_TRUE(loc.searched.empty());
  EXPECT_NE(notFoundMessage(loc).find("unknown"), std::string::npos);
}

// This test executable lies in the build tree, so the process-wide lookup reaches the source
// tree's assets unless GRADSCOPE_DATA_DIR says otherwise.
TEST(AssetPaths, ThisBuildTreeFindsTheSourceAssets) {
  if (const char* env = std::getenv("GRADSCOPE_DATA_DIR"); env && *env)
    GTEST_SKIP() << "GRADSCOPE_DATA_DIR is set";
  ASSERT_TRUE(assets().found()) << notFoundMessage(assets());
  EXPECT_EQ(fs::canonical(assets().dir), fs::canonical(GRADSCOPE_ASSETS_DIR));
  EXPECT_EQ(assetsDir(), assets().dir.string());
}

// The Python package: lib/python3/dist-packages next to the executable, or the source tree's
// python/ for a build-tree binary; a directory counts only with gradscope/__init__.py in it.
TEST_F(AssetPathsTest, PythonPackageInstalledOrInTheSourceTree) {
  const fs::path marker = fs::path("gradscope") / "__init__.py";
  const fs::path fromBin = "../lib/python3/dist-packages";
  const BuildTree sources{root / "src/build", root / "src/python"};
  fs::create_directories(root / "opt/gs/lib/python3/dist-packages/gradscope");
  fs::create_directories(root / "src/python/gradscope");
  for (const fs::path& dir : {root / "opt/gs/lib/python3/dist-packages", root / "src/python"})
    std::ofstream(dir / marker) << "";
  auto loc = findDir(nullptr, root / "opt/gs/bin/gradscope", fromBin, sources, marker);
  ASSERT_TRUE(loc.found());
  EXPECT_EQ(loc.dir, root / "opt/gs/lib/python3/dist-packages");
  loc = findDir(nullptr, root / "src/build/src/gradscope", fromBin, sources, marker);
  ASSERT_TRUE(loc.found());
  EXPECT_EQ(loc.dir, root / "src/python");
  fs::remove(root / "opt/gs/lib/python3/dist-packages" / marker);  // a directory alone is not it
  loc = findDir(nullptr, root / "opt/gs/bin/gradscope", fromBin, sources, marker);
  EXPECT_FALSE(loc.found());
  EXPECT_EQ(pythonNotFoundMessage(loc), "no Python package: looked for gradscope/__init__.py in " +
                                            (root / "opt/gs/lib/python3/dist-packages").string());
}

}  // namespace
}  // namespace gradscope
