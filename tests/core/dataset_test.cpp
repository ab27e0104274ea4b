// Data sets: shapes, label balance, determinism, geometry; the split; the CSV loader's happy
// path and every kind of bad input.
#include "core/dataset.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

namespace gradscope {
namespace {

class EachDataset : public ::testing::TestWithParam<DatasetKind> {};

TEST_P(EachDataset, ShapeBalanceAndDeterminism) {
  const Dataset a = makeDataset(GetParam(), 201, 0.05, 9);
  EXPECT_EQ(a.features(), 2);
  EXPECT_EQ(a.samples(), 201);
  EXPECT_EQ(a.classes, 2);
  EXPECT_EQ(a.y.sum(), 100);  // class 1 gets ⌊201/2⌋, class 0 the rest
  EXPECT_TRUE(a.X.allFinite());
  const Dataset b = makeDataset(GetParam(), 201, 0.05, 9);
  EXPECT_EQ(a.X, b.X);
  EXPECT_EQ(a.y, b.y);
  const Dataset c = makeDataset(GetParam(), 201, 0.05, 10);
  EXPECT_NE(a.X, c.X);
}

TEST_P(EachDataset, NoiselessPointsStayInTheSquare) {
  const Dataset d = makeDataset(GetParam(), 500, 0.0, 3);
  const float limit = GetParam() == DatasetKind::Gaussians ? 2.0f : 1.0f;  // tails
  EXPECT_LE(d.X.cwiseAbs().maxCoeff(), limit);
}

INSTANTIATE_TEST_SUITE_P(All, EachDataset,
                         ::testing::Values(DatasetKind::Xor, DatasetKind::Circle,
                                           DatasetKind::Gaussians, DatasetKind::Spiral,
                                           DatasetKind::Moons, DatasetKind::Checkerboard),
                         [](const auto& p) { return std::string(datasetInfo(p.param).key); });

TEST(Dataset, LabelsFollowTheGeometry) {
  const Dataset x = makeDataset(DatasetKind::Xor, 400, 0.0, 1);
  for (int i = 0; i < x.samples(); ++i) EXPECT_EQ(x.y[i], (x.X(0, i) * x.X(1, i) < 0) ? 1 : 0) << i;
  const Dataset c = makeDataset(DatasetKind::Circle, 400, 0.0, 1);
  for (int i = 0; i < c.samples(); ++i) {
    const float r = c.X.col(i).norm();
    EXPECT_EQ(c.y[i], r <= 0.5f ? 1 : 0) << i;
  }
  const Dataset k = makeDataset(DatasetKind::Checkerboard, 400, 0.0, 1);
  for (int i = 0; i < k.samples(); ++i) {
    const int cx = static_cast<int>(std::floor((k.X(0, i) + 1) * 2));
    const int cy = static_cast<int>(std::floor((k.X(1, i) + 1) * 2));
    EXPECT_EQ(k.y[i], (cx + cy) % 2) << i;
  }
}

TEST(Dataset, RejectsBadParameters) {
  EXPECT_THROW(makeDataset(DatasetKind::Xor, 1, 0.0, 1), std::invalid_argument);
  EXPECT_THROW(makeDataset(DatasetKind::Xor, 100, -0.1, 1), std::invalid_argument);
  EXPECT_THROW(makeDataset(DatasetKind::Xor, 100, std::nan(""), 1), std::invalid_argument);
}

TEST(Split, SizesDisjointnessAndDeterminism) {
  const Dataset d = makeDataset(DatasetKind::Spiral, 100, 0.1, 4);
  const Split s = splitDataset(d, 0.25, 8);
  EXPECT_EQ(s.train.samples(), 75);
  EXPECT_EQ(s.test.samples(), 25);
  // Every sample lands in exactly one part.
  double sum = 0;
  for (int i = 0; i < d.samples(); ++i) sum += d.X(0, i);
  EXPECT_NEAR(s.train.X.row(0).sum() + s.test.X.row(0).sum(), sum, 1e-4);
  EXPECT_EQ(s.train.y.sum() + s.test.y.sum(), d.y.sum());
  const Split again = splitDataset(d, 0.25, 8);
  EXPECT_EQ(s.train.X, again.train.X);
  const Split none = splitDataset(d, 0.0, 8);
  EXPECT_EQ(none.train.X, d.X);  // file order kept
  EXPECT_EQ(none.test.samples(), 0);
  EXPECT_THROW(splitDataset(d, 1.0, 8), std::invalid_argument);
}

TEST(Csv, HappyPath) {
  const Dataset d =
      parseCsv("\xEF\xBB\xBFx1, x2 ,label\r\n0.5,-1,3\r\n\r\n1e-3,2.5,7\n-4,0,3\n", "t.csv");
  EXPECT_EQ(d.features(), 2);
  EXPECT_EQ(d.samples(), 3);
  EXPECT_EQ(d.classes, 2);
  EXPECT_EQ(d.featureNames, (std::vector<std::string>{"x1", "x2"}));
  EXPECT_EQ(d.classNames, (std::vector<std::string>{"3", "7"}));
  EXPECT_FLOAT_EQ(d.X(0, 1), 1e-3f);
  EXPECT_FLOAT_EQ(d.X(1, 0), -1.0f);
  EXPECT_EQ(d.y, (Eigen::VectorXi(3) << 0, 1, 0).finished());
}

std::string errorOf(std::string_view text) {
  try {
    parseCsv(text, "d.csv");
  } catch (const DataError& e) {
    return e.what();
  }
  return "(accepted)";
}

TEST(Csv, EveryKindOfBadInputIsRefusedWithItsPlace) {
  EXPECT_EQ(errorOf(""), "d.csv: the file is empty (expected a header row and data rows)");
  EXPECT_EQ(errorOf("\n\n"), "d.csv: the file is empty (expected a header row and data rows)");
  EXPECT_EQ(errorOf("a,b,label\n"), "d.csv:1: a header but no data rows");
  EXPECT_EQ(errorOf("label\n1\n"),
            "d.csv:1: the header needs at least one feature column and a label column");
  EXPECT_EQ(errorOf("a,b,label\n1,2,0\n1,2\n"),
            "d.csv:3: expected 3 fields like the header, found 2");
  EXPECT_EQ(errorOf("a,b,label\n1,2,0\n1,abc,1\n"),
            "d.csv:3: column 2 ('b'): 'abc' is not a number");
  EXPECT_EQ(errorOf("a,b,label\n1,nan,0\n"),
            "d.csv:2: column 2 ('b'): 'nan' is not a finite number");
  EXPECT_EQ(errorOf("a,b,label\n1,inf,0\n"),
            "d.csv:2: column 2 ('b'): 'inf' is not a finite number");
  EXPECT_EQ(errorOf("a,b,label\n1,1e99,0\n"),
            "d.csv:2: column 2 ('b'): '1e99' is out of the float range");
  EXPECT_EQ(errorOf("a,b,label\n1,,0\n"), "d.csv:2: column 2 ('b'): empty value");
  EXPECT_EQ(errorOf("a,b,label\n1,2,0.5\n"),
            "d.csv:2: column 3 ('label'): '0.5' is not an integer class label");
  EXPECT_EQ(errorOf("a,b,label\n1,2,1\n3,4,1\n"),
            "d.csv: every row has class 1; at least two classes are needed");
  EXPECT_EQ(errorOf("a,b,label\n1,2,0\n\xff\xfe,1,1\n"),
            "d.csv:3: invalid UTF-8 (byte 16 of the file)");
  std::string wide;
  for (int c = 0; c < 4098; ++c) {
    if (c > 0) wide.push_back(',');
    wide.append("c").append(std::to_string(c));
  }
  EXPECT_EQ(errorOf(wide + "\n"), "d.csv:1: 4097 feature columns; at most 4096 are supported");
}

TEST(Csv, LoadsFourThousandNinetySixFeatures) {
  std::string text;
  for (int c = 0; c <= 4096; ++c) text.append(c ? "," : "").append("c" + std::to_string(c));
  for (int row = 0; row < 2; ++row) {
    text.push_back('\n');
    for (int c = 0; c < 4096; ++c) text.append(std::to_string(c % 7)).push_back(',');
    text.append(std::to_string(row));
  }
  const Dataset d = parseCsv(text, "wide.csv");
  EXPECT_EQ(d.features(), 4096);
  EXPECT_EQ(d.samples(), 2);
  EXPECT_EQ(d.X(4095, 1), 4095 % 7);
}

TEST(Csv, MissingFile) { EXPECT_THROW(loadCsv("/nonexistent/gradscope/none.csv"), DataError); }

}  // namespace
}  // namespace gradscope
