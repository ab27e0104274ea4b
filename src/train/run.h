// One run: its config, network, optimizer, view of the shared data, per-step and whole-set
// measurements and bounded history. Single-threaded; the Trainer drives it from its worker
// and `gradscope train` drives it directly.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "core/dataset.h"
#include "core/measure.h"
#include "core/mlp.h"
#include "core/optimizer/optimizer.h"
#include "core/rng.h"
#include "train/message.h"
#include "train/run_config.h"
#include "train/series.h"
#include "train/snapshot.h"

namespace gradscope {

class Run {
 public:
  // Throws std::invalid_argument when the config does not fit the data.
  Run(int id, const RunConfig& config, std::shared_ptr<const Split> data, std::uint64_t seed);

  int id() const { return m_id; }
  const RunConfig& config() const { return m_config; }
  RunState state() const { return m_state; }
  const Message& reason() const { return m_reason; }  // why it diverged
  long steps() const { return m_step; }
  double epoch() const;
  float lastLoss() const { return m_loss; }
  const Mlp& net() const { return *m_net; }
  const std::vector<float>& gradNorms() const { return m_gradNorm; }
  const std::vector<float>& signAgreements() const { return m_signAgreement; }
  const Optimizer& optimizer() const { return *m_optimizer; }
  // How far the first layer's weights have moved from where they started (as built or
  // loaded): ‖W₁ − W₁(start)‖ / ‖W₁(start)‖, Frobenius norms; 0 at the start.
  float inputWeightsMoved() const;

  // Re-initializes the weights from the seed, clears optimizer state and history.
  void reset(std::uint64_t seed);
  // Applies a changed config: weights kept when only activation, optimizer or batch size
  // changed and `hotSwap` is set (the optimizer's state starts over); reset otherwise.
  // Returns true if the run was reset.
  bool reconfigure(const RunConfig& config, bool hotSwap, std::uint64_t seed);
  // Replaces the weights (same shape required; throws std::invalid_argument naming the layer).
  void setWeights(const Mlp& weights);

  // Whether the last step clipped its gradients (clip_norm on).
  bool lastClipped() const { return m_clipped; }
  long clippedSteps() const { return m_clippedSteps; }

  // One training step with the per-step measurements. Does not allocate after the first
  // step. Returns false (and pauses as Diverged with a reason) when the loss or a parameter
  // is NaN or infinite; nothing of that step enters the history.
  bool step();
  void setState(RunState s) {
    if (m_state != RunState::Diverged) m_state = s;
  }

  // Whole-training-set measurements (loss, accuracy, dead units, sparsity, saturation,
  // histograms) and the test set's loss and accuracy; `limit` > 0: over only the first `limit`
  // samples of each set (the result says how many).
  void evaluate(int limit = 0);
  // The output over the input plane, `resolution` cells a side (2-D data only).
  void computeGrid(int resolution);

  // Copies everything the UI draws into `out`.
  void fillSnapshot(RunSnapshot& out) const;

  // Time bookkeeping for the measurement share and automatic eval interval.
  void addTimes(double trainSeconds, double measureSeconds);
  double meanStepSeconds() const { return m_stepSeconds; }
  double lastEvalSeconds() const { return m_evalSeconds; }
  double measureShare() const;

 private:
  void build(std::uint64_t seed);
  // The optimizer for the network as it is, and the copy of W its steps are measured against
  // (none for an optimizer that measures its own step).
  void makeOptimizerFor(const OptimizerConfig& config);
  void nextBatch();
  void diverge(Message what);
  void refreshWeightNorms();

  int m_id;
  RunConfig m_config;
  std::shared_ptr<const Split> m_data;
  std::unique_ptr<Mlp> m_net;
  std::unique_ptr<Optimizer> m_optimizer;
  MlpCache<float> m_cache;           // the training step's
  MlpCache<float> m_evalCache;       // one chunk of a whole-set pass
  MlpCache<float> m_predictScratch;  // two alternating layers (the decision grid)
  Mat<float> m_chunkX;               // (features, chunk) samples of a whole-set pass or the grid
  Eigen::VectorXi m_chunkY;          // (chunk)
  std::vector<LayerStatsAccumulator> m_layerAcc;
  Mat<float> m_dOut;
  Mat<float> m_Xb;           // (features, batch) the current batch
  Eigen::VectorXi m_yb;      // (batch)
  std::vector<int> m_order;  // shuffled sample order of the current epoch
  size_t m_cursor = 0;       // next position in m_order
  int m_batch = 0;           // effective batch size (≤ training samples)
  bool m_fullBatch = false;
  Rng m_batchRng{1};
  std::vector<Mat<float>> m_prevW;   // W before the step (update ratio); empty when fused
  std::vector<int> m_weightParam;    // per layer: the index of its weight among the parameters
  bool m_measureInBackward = false;  // measure dW as backward() produces it (large networks)
  std::vector<float> m_weightNorm;   // ‖W‖ per layer as the last step left it
  Closure m_closure;

  RunState m_state = RunState::Paused;
  Message m_reason;
  long m_step = 0;
  float m_firstLoss = 0;  // the loss of step 1 (what a divergence is blamed on)
  float m_loss = 0;
  std::vector<float> m_gradNorm, m_meanAbsDz, m_updateRatio, m_signAgreement;
  std::vector<float> m_normGradNorm;  // per hidden layer, with a norm only

  BoundedSeries m_lossSeries, m_testLossSeries, m_trainAccSeries, m_testAccSeries,
      m_deadTotalSeries;
  std::vector<BoundedSeries> m_gradNormSeries, m_dzSeries, m_ratioSeries, m_signSeries,
      m_deadSeries;
  std::vector<BoundedSeries> m_normGradSeries;       // with a norm only
  BoundedSeries m_totalNormSeries, m_clippedSeries;  // with clipping on
  long m_clippedSteps = 0;
  bool m_clipped = false;                 // the last step's gradients were clipped
  std::vector<ParamView<float>> m_views;  // every parameter (clipping)
  Rng m_dropoutRng{1};                    // dropout masks
  std::shared_ptr<const EvalResult> m_eval;
  std::shared_ptr<const DecisionGrid> m_grid;
  // The first layer's weights for the snapshot (image data), copied once per step at most.
  mutable std::shared_ptr<const Eigen::MatrixXf> m_inputWeights;
  mutable long m_inputWeightsStep = -1;
  mutable long m_inputWeightsBuild = -1;
  mutable float m_inputWeightsMoved = 0;
  Eigen::MatrixXf m_startW0;  // (units, inputs) layer 1's W as built or loaded
  long m_builds = 0;          // build() calls and weight loads: a new network at the same step

  double m_stepSeconds = 0, m_evalSeconds = 0;
  double m_trainTotal = 0, m_measureTotal = 0;
};

}  // namespace gradscope
