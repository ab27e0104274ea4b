// Metrics history of every run as CSV, from a snapshot: what a learner puts in a report.
#pragma once

#include <string>

#include "train/snapshot.h"

namespace gradscope {

// Columns: run, step, loss, test_loss, train_accuracy, test_accuracy, then per layer l
// (1 = input side, L = output) gradnorm_l, mean_abs_dz_l, update_ratio_l, then per hidden
// layer dead_l. One row per kept step of each run; a cell is empty where that series kept no
// point at that step (long runs keep min/max points per series; see BoundedSeries).
std::string metricsCsv(const Snapshot& snapshot);

// A CSV cell: `s` as it is, or in double quotes (inner ones doubled) when it holds a comma, a
// quote or a line break (RFC 4180).
std::string quoteCsv(const std::string& s);

}  // namespace gradscope
