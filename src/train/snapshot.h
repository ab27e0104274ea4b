// The immutable picture of every run that the worker publishes about 60 times a second and
// the UI draws from. Built outside any lock; nobody ever sees half of one.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/dataset.h"
#include "core/measure.h"
#include "train/activation_cost.h"
#include "train/message.h"
#include "train/run_config.h"
#include "train/series.h"

namespace gradscope {

enum class RunState : std::uint8_t { Running, Paused, Diverged };

// Measurements over the training and test sets (or their first trainSamples / testSamples
// samples: see SessionOptions::evalSamples), taken every `evalEvery` steps.
struct EvalResult {
  long step = -1;
  int trainSamples = 0, testSamples = 0;  // how many samples of each set were evaluated
  float trainLoss = 0, trainAccuracy = 0;
  float testLoss = 0, testAccuracy = 0;  // NaN without a test set
  std::vector<LayerStats> layers;        // hidden layers, input side first
  int deadTotal = 0, unitsTotal = 0;
  // The test set's predictions (the training set's without a test set), for up to
  // kMaxConfusionClasses classes: confusion[t · classes + p] counts samples of true class t
  // predicted as p; classAccuracy[t] is the share of class t predicted right (NaN if absent).
  bool detailOnTest = true;
  int classes = 0;
  std::vector<int> confusion;
  std::vector<float> classAccuracy;
  std::vector<int> predicted;  // the first kShownPredictions samples' predicted classes
};

inline constexpr int kMaxConfusionClasses = 100;
inline constexpr int kShownPredictions = 64;

// The network's output over the input plane (2-D data only).
struct DecisionGrid {
  long step = -1;
  int resolution = 0;  // resolution × resolution cells
  float x0 = -1, x1 = 1, y0 = -1, y1 = 1;
  int classes = 2;
  std::vector<float>
      value;  // row-major, row 0 at y0: P(class 1), or the class index if > 2 classes
};

struct RunSnapshot {
  int id = 0;     // stable while the run exists
  Message label;  // runLabelMessage
  RunConfig config;
  RunState state = RunState::Paused;
  Message reason;  // why it diverged
  long step = 0;
  double epoch = 0;
  float loss = 0;  // training loss of the last step's batch, before its update
  float stepsPerSecond = 0;
  int layerCount = 0;              // hidden layers + the output layer
  std::vector<int> units;          // per layer
  std::vector<float> gradNorm;     // per layer, last step: ‖dL/dW_l‖_F
  std::vector<float> meanAbsDz;    // per layer, last step: mean |dL/dz_l|
  std::vector<float> updateRatio;  // per layer, last step: ‖ΔW_l‖ / ‖W_l‖
  std::vector<float> normGradNorm;  // per hidden layer, last step: ‖(dL/dγ_l, dL/dβ_l)‖ (norm only)
  // Per layer, last step: the sign agreement of dL/dW (core/measure.h).
  std::vector<float> signAgreement;
  SeriesData lossSeries;
  SeriesData testLossSeries, trainAccuracySeries, testAccuracySeries;
  std::vector<SeriesData> gradNormSeries, meanAbsDzSeries, updateRatioSeries;  // per layer
  std::vector<SeriesData> signAgreementSeries;                                 // per layer
  std::vector<SeriesData> deadSeries;                                          // per hidden layer
  std::vector<SeriesData> normGradNormSeries;  // per hidden layer; empty without a norm
  SeriesData deadTotalSeries;                  // all hidden layers
  // With gradient clipping on: ‖all gradients‖ before clipping, and 1 at the steps it clipped
  // (0 otherwise; a decimated bucket keeps its maximum, so no clipped step disappears).
  SeriesData totalGradNormSeries, clippedSeries;
  long clippedSteps = 0;  // steps whose gradients were clipped
  std::shared_ptr<const EvalResult> eval;
  std::shared_ptr<const DecisionGrid> grid;
  // Image data: the first layer's weights W (units, pixels), as the last step left them.
  std::shared_ptr<const Eigen::MatrixXf> inputWeights;
  float inputWeightsMoved = 0;  // Run::inputWeightsMoved() at the same step
  int evalEvery = 0;
  float measureShare = 0;  // share of the run's time spent measuring

  // A watched run (train/watched_run.h): a PyTorch run streamed by gradscope.watch, whose
  // steps happen elsewhere. Its layers are parameter tensors, named in layerNames; its
  // deadSeries hold the dead share (0 to 1) of each ReLU-family module named in deadNames.
  bool watched = false;
  bool connected = false;               // watched: its stream is still open
  std::string source;                   // watched: the socket or file it comes from
  std::vector<std::string> layerNames;  // per layer; empty: the app's "Layer 1", "Layer 2", …
  std::vector<std::string> deadNames;   // watched: per ReLU-family module
  std::vector<float> deadShare;         // watched: per ReLU-family module, the last step's
  // What a panel may ask of the run: the app's own runs train, reset and change activation.
  bool controllable() const { return !watched; }
};

struct Snapshot {
  std::uint64_t version = 0;
  SessionConfig config;
  bool playing = false;
  std::shared_ptr<const Split> data;
  std::vector<RunSnapshot> runs;  // the session's own runs, then the watched runs
  std::shared_ptr<const std::vector<ActivationCost>> activationCosts;  // once measured
  int threads = 1;                                                     // training threads
  Message message;  // the last refusal, error (e.g. an unreadable CSV) or report, for a toast
  bool messageIsError = true;
  std::uint64_t messageId = 0;  // changes when a new message arrives
};

}  // namespace gradscope
