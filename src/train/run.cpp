// One run's training step, measurements and history (see run.h).
#include "train/run.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <stdexcept>

#include "core/clip.h"
#include "core/loss.h"
#include "core/optimizer/step_norm.h"

namespace gradscope {
namespace {

std::string shortNumber(float v) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3g", static_cast<double>(v));
  return text;
}

constexpr size_t kSeriesCapacity = 4096;

using Clock = std::chrono::steady_clock;
double seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

// Differences that need new weights (the shape or the draw changed).
bool needsNewWeights(const RunConfig& a, const RunConfig& b) {
  if (a.hidden != b.hidden || a.init != b.init || a.initConstant != b.initConstant ||
      a.biasInit != b.biasInit || a.loss != b.loss || a.norm != b.norm || a.residual != b.residual)
    return true;
  // Maxout's piece count and PReLU's α change the parameter tensors.
  const MlpShape sa = a.shape(2, 2), sb = b.shape(2, 2);
  for (size_t l = 0; l < sa.hidden.size(); ++l) {
    const auto& x = sa.hidden[l];
    const auto& y = sb.hidden[l];
    const bool xm = x.activation == Activation::Maxout, ym = y.activation == Activation::Maxout;
    if (xm != ym || (xm && x.param != y.param)) return true;
    const bool xp = x.activation == Activation::PReLU, yp = y.activation == Activation::PReLU;
    if (xp != yp) return true;
  }
  return false;
}

}  // namespace

Run::Run(int id, const RunConfig& config, std::shared_ptr<const Split> data, std::uint64_t seed)
    : m_id(id),
      m_config(config),
      m_data(std::move(data)),
      m_lossSeries(kSeriesCapacity),
      m_testLossSeries(kSeriesCapacity),
      m_trainAccSeries(kSeriesCapacity),
      m_testAccSeries(kSeriesCapacity),
      m_deadTotalSeries(kSeriesCapacity),
      m_totalNormSeries(kSeriesCapacity),
      m_clippedSeries(kSeriesCapacity) {
  // LBFGS re-evaluates loss and gradients on the current batch through this (a training
  // forward, as torch's closure would run in train mode; clipped as the step's first pass).
  m_closure = [this]() {
    m_net->trainForward(m_Xb, m_cache, &m_dropoutRng);
    const float value = lossForward<float>(m_config.loss, m_cache.back().a, m_yb, &m_dOut);
    m_net->backward(m_Xb, m_cache, m_dOut);
    if (m_config.clipNorm > 0) clipGradNorm<float>(m_views, m_config.clipNorm);
    return value;
  };
  if (!m_data || m_data->train.samples() < 1)
    throw std::invalid_argument("the training set is empty");
  if (m_config.loss == Loss::BCE && m_data->train.classes != 2)
    throw std::invalid_argument("loss bce needs exactly two classes; this data has " +
                                std::to_string(m_data->train.classes) +
                                ": choose the cross-entropy loss (ce)");
  build(seed);
}

double Run::epoch() const {
  const int n = m_data->train.samples();
  return n > 0 ? static_cast<double>(m_step) * m_batch / n : 0.0;
}

void Run::makeOptimizerFor(const OptimizerConfig& config) {
  m_optimizer = makeOptimizer(config, m_net->parameters());
  // Sized here so the step's copy allocates nothing; 16.8 MB a run at 64×256 when not needed.
  m_prevW.resize(m_optimizer->measuresSteps() ? 0 : static_cast<size_t>(m_net->layerCount()));
  for (size_t l = 0; l < m_prevW.size(); ++l) m_prevW[l] = m_net->layer(static_cast<int>(l)).W;
}

void Run::build(std::uint64_t seed) {
  const Dataset& train = m_data->train;
  m_net = std::make_unique<Mlp>(m_config.shape(train.features(), train.classes));
  Rng rng(seed);
  m_net->initialize(m_config.init, m_config.biasInit, rng, m_config.initConstant);
  makeOptimizerFor(m_config.optimizer);
  m_views = m_net->parameters();
  m_dropoutRng = Rng(seed ^ 0xD50F0E7A11CE5EEDULL);

  const int L = m_net->layerCount();
  m_gradNorm.assign(L, 0.0f);
  m_meanAbsDz.assign(L, 0.0f);
  m_updateRatio.assign(L, 0.0f);
  m_signAgreement.assign(L, 0.0f);
  // Where the weight gradients outgrow a core's cache (1 MiB of L2 on this project's machines),
  // backward() hands each layer's to the measures while it is still in cache; small networks'
  // stay in cache anyway and are measured after it, without a clock reading per layer.
  constexpr Eigen::Index kCachedGradientFloats = Eigen::Index{1} << 18;
  m_measureInBackward = m_net->parameterCount() > kCachedGradientFloats;
  const int normed = m_config.norm != Norm::None ? L - 1 : 0;
  m_normGradNorm.assign(static_cast<size_t>(normed), 0.0f);
  m_startW0 = m_net->layer(0).W;
  m_weightParam.assign(static_cast<size_t>(L), 0);
  const auto params = m_net->parameters();
  for (size_t i = 0; i < params.size(); ++i)
    if (params[i].name == "layers." + std::to_string(params[i].layer) + ".weight")
      m_weightParam[static_cast<size_t>(params[i].layer)] = static_cast<int>(i);
  refreshWeightNorms();
  // Constructed in place: a copied series would not keep its reserved capacity, and the
  // training step must not allocate.
  auto series = [&](std::vector<BoundedSeries>& v, int n) {
    v.clear();
    v.reserve(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i) v.emplace_back(kSeriesCapacity);
  };
  series(m_gradNormSeries, L);
  series(m_dzSeries, L);
  series(m_ratioSeries, L);
  series(m_signSeries, L);
  series(m_deadSeries, L - 1);
  series(m_normGradSeries, normed);
  m_lossSeries.clear();
  m_testLossSeries.clear();
  m_trainAccSeries.clear();
  m_testAccSeries.clear();
  m_deadTotalSeries.clear();
  m_totalNormSeries.clear();
  m_clippedSeries.clear();
  m_clippedSteps = 0;
  m_clipped = false;
  m_eval.reset();
  m_grid.reset();
  ++m_builds;

  // Batches: the whole set in file order, or fixed-size batches from a fresh shuffle each
  // epoch (a final partial batch is dropped so every step has the same size).
  const int n = train.samples();
  m_fullBatch = m_config.batchSize == 0 || m_config.batchSize >= n;
  m_batch = m_fullBatch ? n : m_config.batchSize;
  if (m_config.norm == Norm::Batch && m_batch < 2)
    throw std::invalid_argument(
        "batch norm needs at least 2 samples per batch; the training set has " + std::to_string(n) +
        " sample" + (n == 1 ? "" : "s"));
  m_order.resize(n);
  std::iota(m_order.begin(), m_order.end(), 0);
  m_cursor = static_cast<size_t>(n);  // shuffle before the first batch
  m_batchRng = Rng(seed ^ 0xB5AD4ECEDA1CE2A9ULL);
  m_Xb.resize(train.features(), m_batch);
  m_yb.resize(m_batch);
  if (m_fullBatch) {
    m_Xb = train.X;
    m_yb = train.y;
  }
  m_step = 0;
  m_firstLoss = 0;
  m_loss = 0;
  m_state = RunState::Paused;
  m_reason = {};
  m_stepSeconds = m_evalSeconds = m_trainTotal = m_measureTotal = 0;
}

void Run::refreshWeightNorms() {
  m_weightNorm.resize(static_cast<size_t>(m_net->layerCount()));
  for (int l = 0; l < m_net->layerCount(); ++l)
    m_weightNorm[static_cast<size_t>(l)] = m_net->layer(l).W.norm();
}

void Run::reset(std::uint64_t seed) {
  const RunState before = m_state;
  build(seed);
  m_state = before == RunState::Diverged ? RunState::Paused : before;
}

bool Run::reconfigure(const RunConfig& config, bool hotSwap, std::uint64_t seed) {
  const RunConfig old = m_config;
  m_config = config;
  if (old == config) return false;
  const bool batchOnly = [&] {
    RunConfig a = old, b = config;
    a.batchSize = b.batchSize = 0;
    a.label = b.label;
    return a == b;
  }();
  if (!hotSwap || needsNewWeights(old, config) || m_state == RunState::Diverged) {
    reset(seed);
    return true;
  }
  // Hot swap: keep the weights, switch the activations in place, restart the optimizer.
  const MlpShape shape = config.shape(m_data->train.features(), m_data->train.classes);
  for (size_t l = 0; l < shape.hidden.size(); ++l) {
    auto& layer = m_net->layer(static_cast<int>(l));
    layer.activation = shape.hidden[l].activation;
    layer.param = static_cast<float>(shape.hidden[l].param);
  }
  m_net->setDropout(config.dropout);
  if (!batchOnly || old.optimizer != config.optimizer) makeOptimizerFor(config.optimizer);
  if (old.batchSize != config.batchSize) {
    const Dataset& train = m_data->train;
    m_fullBatch = config.batchSize == 0 || config.batchSize >= train.samples();
    m_batch = m_fullBatch ? train.samples() : config.batchSize;
    m_Xb.resize(train.features(), m_batch);
    m_yb.resize(m_batch);
    if (m_fullBatch) m_Xb = train.X, m_yb = train.y;
    m_cursor = m_order.size();
  }
  return false;
}

void Run::setWeights(const Mlp& w) {
  if (w.layerCount() != m_net->layerCount())
    throw std::invalid_argument("the weights have " + std::to_string(w.layerCount()) +
                                " layers, the network " + std::to_string(m_net->layerCount()));
  for (int l = 0; l < w.layerCount(); ++l) {
    auto& dst = m_net->layer(l);
    const auto& src = w.layer(l);
    auto shape = [](Eigen::Index r, Eigen::Index c) {
      return "(" + std::to_string(r) + ", " + std::to_string(c) + ")";
    };
    if (src.W.rows() != dst.W.rows() || src.W.cols() != dst.W.cols())
      throw std::invalid_argument(
          "layer " + std::to_string(l + 1) + ": weight shape " + shape(src.W.rows(), src.W.cols()) +
          " does not match the network's " + shape(dst.W.rows(), dst.W.cols()));
    if (src.normKind != dst.normKind)
      throw std::invalid_argument("layer " + std::to_string(l + 1) + ": the weights' norm is " +
                                  std::string(normInfo(src.normKind).key) + ", the network's " +
                                  std::string(normInfo(dst.normKind).key));
    dst.W = src.W;
    dst.b = src.b;
    if (dst.alpha.size() == src.alpha.size()) dst.alpha = src.alpha;
    dst.norm.weight = src.norm.weight;
    dst.norm.bias = src.norm.bias;
    dst.norm.runningMean = src.norm.runningMean;
    dst.norm.runningVar = src.norm.runningVar;
  }
  m_startW0 = m_net->layer(0).W;
  refreshWeightNorms();
  m_optimizer->reset();
  ++m_builds;
}

float Run::inputWeightsMoved() const {
  const float start = m_startW0.norm();
  return start > 0 ? (m_net->layer(0).W - m_startW0).norm() / start : 0.0f;
}

void Run::nextBatch() {
  if (m_fullBatch) return;  // m_Xb already holds the whole set in file order
  const Dataset& train = m_data->train;
  if (m_cursor + static_cast<size_t>(m_batch) > m_order.size()) {
    for (size_t i = m_order.size() - 1; i > 0; --i)  // Fisher–Yates
      std::swap(m_order[i], m_order[static_cast<size_t>(m_batchRng.below(i + 1))]);
    m_cursor = 0;
  }
  for (int j = 0; j < m_batch; ++j) {
    const int s = m_order[m_cursor + static_cast<size_t>(j)];
    m_Xb.col(j) = train.X.col(s);
    m_yb[j] = train.y[s];
  }
  m_cursor += static_cast<size_t>(m_batch);
}

void Run::diverge(Message what) {
  m_state = RunState::Diverged;
  // From a first loss no sane start gives (a fresh network's loss is about ln 2 per sample;
  // not finite: the forward pass overflowed before any update), the cause is the initial
  // scale, not the step size.
  constexpr float kHugeFirstLoss = 100;
  const bool initial = !(m_firstLoss < kHugeFirstLoss);
  Message step = verbatim(std::to_string(m_step + 1));
  m_reason = initial ? said("diverge.initial",
                            "diverged at step %1$s: %2$s — the initial weights are too large for "
                            "this network (first loss %3$s): pick a scaled initialization such "
                            "as Xavier or He",
                            {std::move(step), std::move(what), verbatim(shortNumber(m_firstLoss))})
                     : said("diverge.lr", "diverged at step %1$s: %2$s — lower the learning rate",
                            {std::move(step), std::move(what)});
}

bool Run::step() {
  if (m_state == RunState::Diverged) return false;
  const auto start = Clock::now();
  nextBatch();
  Mlp& net = *m_net;
  const Loss loss = m_config.loss;
  net.trainForward(m_Xb, m_cache, &m_dropoutRng);
  const float l = lossForward<float>(loss, m_cache.back().a, m_yb, &m_dOut);
  if (m_step == 0) m_firstLoss = l;
  if (!std::isfinite(l)) {
    diverge(std::isnan(l) ? said("diverge.loss_nan", "loss is nan")
                          : said("diverge.loss_inf", "loss is inf"));
    return false;
  }
  // ‖dL/dW‖ and sign agreement: for large networks as backward() finishes each layer, while
  // its dW is in cache.
  struct MeasureLayers final : Mlp::LayerGradientsReady {
    float* norms;
    float* agreement;
    Clock::duration spent{};
    MeasureLayers(float* n, float* a) : norms(n), agreement(a) {}
    void operator()(const DenseLayer<float>& layer, int l) override {
      const auto t = Clock::now();
      weightGradientMeasures(layer, norms[l], agreement[l]);
      spent += Clock::now() - t;
    }
  } measureLayers(m_gradNorm.data(), m_signAgreement.data());
  net.backward(m_Xb, m_cache, m_dOut, m_measureInBackward ? &measureLayers : nullptr);
  const int L = net.layerCount();
  const auto measureStart = Clock::now();
  if (!m_measureInBackward)
    for (int k = 0; k < L; ++k)
      weightGradientMeasures(net.layer(k), m_gradNorm[k], m_signAgreement[k]);
  meanAbsDz(m_cache, m_meanAbsDz.data());
  if (!m_normGradNorm.empty()) normGradientNorms(net, m_normGradNorm.data());
  // A gradient that is not finite, or too large for its norm (entries beyond ~1e19), means
  // the network has blown up even where the optimizer would still take a finite step (Rprop
  // reads only the sign, Adamax divides by the largest |g|) — and the series must not hold
  // inf or NaN.
  for (int k = 0; k < L; ++k)
    if (!std::isfinite(m_gradNorm[k]) || !std::isfinite(m_meanAbsDz[k])) {
      diverge(said("diverge.gradient", "the gradient of layer %1$s is not finite",
                   {verbatim(std::to_string(k + 1))}));
      return false;
    }
  for (size_t k = 0; k < m_normGradNorm.size(); ++k)
    if (!std::isfinite(m_normGradNorm[k])) {
      diverge(said("diverge.gradient_norm", "the gradient of layer %1$s's norm is not finite",
                   {verbatim(std::to_string(k + 1))}));
      return false;
    }
  // W before the step, for ‖ΔW‖ — unless the optimizer measures its own step.
  const bool fused = m_optimizer->measuresSteps();
  if (!fused)
    for (int k = 0; k < L; ++k) m_prevW[k] = net.layer(k).W;  // same size: no allocation
  auto measured = Clock::now() - measureStart + measureLayers.spent;

  // clip_grad_norm_ after the measurements, which report the gradients before clipping.
  double totalNorm = 0;
  m_clipped = m_config.clipNorm > 0 && clipGradNorm<float>(m_views, m_config.clipNorm, &totalNorm);
  m_optimizer->step(l, m_closure);
  const auto afterUpdate = Clock::now();

  // The update ratio's norms double as the divergence check: a norm is finite only if every
  // entry is. ‖W‖ before this step is the ‖W‖ the previous step left.
  for (int k = 0; k < L; ++k) {
    const auto& layer = net.layer(k);
    // ‖ΔW‖ and ‖W‖ in one pass over both tensors (they are most of the memory traffic of a
    // measured step at width 256).
    float deltaSq = 0, afterSq = 0;
    if (fused) {
      const auto& norm = m_optimizer->stepNorms()[static_cast<size_t>(m_weightParam[k])];
      deltaSq = norm.deltaSq, afterSq = norm.valueSq;
    } else {
      const auto norm = stepNorm(m_prevW[k].data(), layer.W.data(), layer.W.size());
      deltaSq = norm.deltaSq, afterSq = norm.valueSq;
    }
    const float delta = std::sqrt(deltaSq), after = std::sqrt(afterSq);
    if (!std::isfinite(delta) || !std::isfinite(after) || !std::isfinite(layer.b.squaredNorm()) ||
        !std::isfinite(layer.alpha.squaredNorm()) ||
        !std::isfinite(layer.norm.weight.squaredNorm() + layer.norm.bias.squaredNorm())) {
      diverge(said("diverge.parameter", "a parameter of layer %1$s is not finite",
                   {verbatim(std::to_string(k + 1))}));
      return false;
    }
    m_updateRatio[k] = m_weightNorm[k] > 0 ? delta / m_weightNorm[k] : 0.0f;
    m_weightNorm[k] = after;
  }
  ++m_step;
  m_loss = l;
  const float x = static_cast<float>(m_step);
  m_lossSeries.push(x, l);
  for (int k = 0; k < L; ++k) {
    m_gradNormSeries[k].push(x, m_gradNorm[k]);
    m_dzSeries[k].push(x, m_meanAbsDz[k]);
    m_ratioSeries[k].push(x, m_updateRatio[k]);
    m_signSeries[k].push(x, m_signAgreement[k]);
  }
  for (size_t k = 0; k < m_normGradNorm.size(); ++k) m_normGradSeries[k].push(x, m_normGradNorm[k]);
  if (m_config.clipNorm > 0) {
    m_totalNormSeries.push(x, static_cast<float>(totalNorm));
    m_clippedSeries.push(x, m_clipped ? 1.0f : 0.0f);
    m_clippedSteps += m_clipped;
  }
  const auto end = Clock::now();
  measured += end - afterUpdate;
  const double total = seconds(end - start), measure = seconds(measured);
  m_trainTotal += total - measure;
  m_measureTotal += measure;
  m_stepSeconds = m_stepSeconds == 0 ? total : 0.98 * m_stepSeconds + 0.02 * total;
  return true;
}

namespace {

// Whole-set passes run in chunks of samples whose per-layer caches stay within this many
// floats (16 MiB), so their memory does not grow with the data set or the grid.
constexpr Eigen::Index kChunkFloats = Eigen::Index{1} << 22;

// Samples per chunk for a network: what fits in kChunkFloats with the chunk's inputs and z and
// a of every layer (the inputs count: 4,096 features take more than a small network's layers).
Eigen::Index chunkSamples(const Mlp& net, bool everyLayer) {
  const Eigen::Index inputs = net.layer(0).W.cols();
  Eigen::Index perSample = 0, widest = 0;
  for (int l = 0; l < net.layerCount(); ++l) {
    const auto& L = net.layer(l);
    // z and a, Maxout's winners, the norm's input and x̂, the skip's output
    const Eigen::Index floats = L.W.rows() * (L.normKind != Norm::None ? 3 : 1) + L.units +
                                (L.pieces > 1 ? L.units : 0) + (L.skip ? L.units : 0);
    perSample += floats;
    widest = std::max(widest, floats);
  }
  if (!everyLayer) perSample = 2 * widest;  // predict: two alternating layers
  perSample += inputs;
  return std::max<Eigen::Index>(16, kChunkFloats / std::max<Eigen::Index>(1, perSample));
}

}  // namespace

void Run::evaluate(int limit) {
  const Dataset& train = m_data->train;
  const Dataset& test = m_data->test;
  const Loss loss = m_config.loss;
  auto result = std::make_shared<EvalResult>();
  result->step = m_step;
  const Mlp& net = *m_net;
  const int hidden = net.layerCount() - 1;
  const Eigen::Index chunk = chunkSamples(net, true);
  m_layerAcc.resize(static_cast<size_t>(hidden));
  for (int l = 0; l < hidden; ++l) m_layerAcc[static_cast<size_t>(l)].begin(net.layer(l));

  // Mean loss and correct predictions over a set, chunk by chunk; `layers` also feeds the
  // hidden layers' statistics.
  // `detail` also fills the confusion matrix and the first predictions.
  const int classes = train.classes;
  const bool confusion = classes <= kMaxConfusionClasses;
  const auto evaluated = [&](const Dataset& set) {
    return limit > 0 ? std::min(limit, set.samples()) : set.samples();
  };
  result->trainSamples = evaluated(train);
  result->testSamples = evaluated(test);
  const auto pass = [&](const Dataset& set, bool layers, bool detail, float& meanLoss,
                        float& accuracy) {
    const Eigen::Index n = evaluated(set);
    double lossSum = 0;
    long correct = 0;
    if (detail && confusion) {
      result->classes = classes;
      result->detailOnTest = &set == &test;
      result->confusion.assign(static_cast<size_t>(classes) * classes, 0);
    }
    for (Eigen::Index at = 0; at < n; at += chunk) {
      const Eigen::Index len = std::min(chunk, n - at);
      m_chunkX = set.X.middleCols(at, len);
      m_chunkY = set.y.segment(at, len);
      const auto& out = net.forward(m_chunkX, m_evalCache);
      lossSum += static_cast<double>(lossForward<float>(loss, out, m_chunkY, nullptr)) *
                 static_cast<double>(len);
      correct += countCorrect<float>(loss, out, m_chunkY);
      if (detail && confusion)
        for (Eigen::Index i = 0; i < len; ++i) {
          const int p = predictClass<float>(loss, out, i);
          ++result->confusion[static_cast<size_t>(m_chunkY[i]) * classes + static_cast<size_t>(p)];
          if (at + i < kShownPredictions) result->predicted.push_back(p);
        }
      if (layers)
        for (int l = 0; l < hidden; ++l)
          m_layerAcc[static_cast<size_t>(l)].add(net.layer(l), m_evalCache[static_cast<size_t>(l)]);
    }
    meanLoss = static_cast<float>(lossSum / static_cast<double>(n));
    accuracy = static_cast<float>(correct) / static_cast<float>(n);
  };
  pass(train, true, test.samples() == 0, result->trainLoss, result->trainAccuracy);
  result->layers.resize(static_cast<size_t>(hidden));
  for (int l = 0; l < hidden; ++l)
    m_layerAcc[static_cast<size_t>(l)].finish(net.layer(l), result->layers[static_cast<size_t>(l)]);
  for (const auto& s : result->layers) result->deadTotal += s.dead, result->unitsTotal += s.units;
  if (test.samples() > 0) {
    pass(test, false, true, result->testLoss, result->testAccuracy);
  } else {
    result->testLoss = result->testAccuracy = std::nanf("");
  }
  if (!result->confusion.empty()) {
    result->classAccuracy.assign(static_cast<size_t>(classes), std::nanf(""));
    for (int t = 0; t < classes; ++t) {
      long all = 0;
      for (int p = 0; p < classes; ++p)
        all += result->confusion[static_cast<size_t>(t) * classes + static_cast<size_t>(p)];
      if (all > 0)
        result->classAccuracy[static_cast<size_t>(t)] =
            static_cast<float>(
                result->confusion[static_cast<size_t>(t) * classes + static_cast<size_t>(t)]) /
            static_cast<float>(all);
    }
  }
  const float x = static_cast<float>(m_step);
  if (std::isfinite(result->trainLoss)) {
    m_trainAccSeries.push(x, result->trainAccuracy);
    if (test.samples() > 0 && std::isfinite(result->testLoss)) {
      m_testLossSeries.push(x, result->testLoss);
      m_testAccSeries.push(x, result->testAccuracy);
    }
    for (size_t l = 0; l < result->layers.size(); ++l)
      m_deadSeries[l].push(x, static_cast<float>(result->layers[l].dead));
    m_deadTotalSeries.push(x, static_cast<float>(result->deadTotal));
  }
  m_eval = std::move(result);
}

void Run::computeGrid(int resolution) {
  const Dataset& train = m_data->train;
  // A diverged network's weights hold inf or NaN: keep the last grid it drew rather than a
  // plane of NaN for the shader (see the check at the end too).
  if (train.features() != 2 || resolution < 2 || m_state == RunState::Diverged) return;
  auto grid = std::make_shared<DecisionGrid>();
  grid->step = m_step;
  grid->resolution = resolution;
  grid->classes = train.classes;
  // The plane: the data's bounding box (with the test set), padded by 10%, at least [−1, 1]².
  Eigen::Vector2f lo = train.X.rowwise().minCoeff(), hi = train.X.rowwise().maxCoeff();
  if (m_data->test.samples() > 0) {
    lo = lo.cwiseMin(m_data->test.X.rowwise().minCoeff());
    hi = hi.cwiseMax(m_data->test.X.rowwise().maxCoeff());
  }
  const Eigen::Vector2f pad = 0.1f * (hi - lo).cwiseMax(1e-3f);
  lo -= pad, hi += pad;
  grid->x0 = lo.x(), grid->x1 = hi.x(), grid->y0 = lo.y(), grid->y1 = hi.y();
  const Eigen::Index cells = static_cast<Eigen::Index>(resolution) * resolution;
  grid->value.resize(static_cast<size_t>(cells));
  // The plane's points in chunks through two alternating layer buffers: nothing per layer is
  // kept, and memory does not grow with the resolution.
  const Eigen::Index chunk = chunkSamples(*m_net, false);
  for (Eigen::Index at = 0; at < cells; at += chunk) {
    const Eigen::Index len = std::min(chunk, cells - at);
    m_chunkX.resize(2, len);
    for (Eigen::Index i = 0; i < len; ++i) {
      const Eigen::Index k = at + i;
      const Eigen::Index r = k / resolution, c = k % resolution;
      m_chunkX(0, i) =
          grid->x0 + (static_cast<float>(c) + 0.5f) * (grid->x1 - grid->x0) / resolution;
      m_chunkX(1, i) =
          grid->y0 + (static_cast<float>(r) + 0.5f) * (grid->y1 - grid->y0) / resolution;
    }
    const auto& out = m_net->predict(m_chunkX, m_predictScratch);
    for (Eigen::Index i = 0; i < len; ++i)
      grid->value[static_cast<size_t>(at + i)] =
          train.classes == 2 ? positiveProbability<float>(m_config.loss, out, i)
                             : static_cast<float>(predictClass<float>(m_config.loss, out, i));
  }
  // Finite weights can still overflow on the way (inf − inf: NaN) the step before a blown-up
  // run is caught as diverged; such a plane has no decision to draw either.
  for (float v : grid->value)
    if (!std::isfinite(v)) return;
  m_grid = std::move(grid);
}

void Run::addTimes(double trainSeconds, double measureSeconds) {
  m_trainTotal += trainSeconds;
  m_measureTotal += measureSeconds;
}

double Run::measureShare() const {
  const double total = m_trainTotal + m_measureTotal;
  return total > 0 ? m_measureTotal / total : 0.0;
}

void Run::fillSnapshot(RunSnapshot& s) const {
  s.id = m_id;
  s.config = m_config;
  s.state = m_state;
  s.reason = m_reason;
  s.step = m_step;
  s.epoch = epoch();
  s.loss = m_loss;
  const int L = m_net->layerCount();
  s.layerCount = L;
  s.units.resize(L);
  for (int l = 0; l < L; ++l) s.units[l] = m_net->layer(l).units;
  s.gradNorm = m_gradNorm;
  s.meanAbsDz = m_meanAbsDz;
  s.updateRatio = m_updateRatio;
  s.signAgreement = m_signAgreement;
  s.normGradNorm = m_normGradNorm;
  auto copy = [](const BoundedSeries& from, SeriesData& to) { from.exportTo(to); };
  auto copyAll = [&](const std::vector<BoundedSeries>& from, std::vector<SeriesData>& to) {
    to.resize(from.size());
    for (size_t i = 0; i < from.size(); ++i) copy(from[i], to[i]);
  };
  copy(m_lossSeries, s.lossSeries);
  copy(m_testLossSeries, s.testLossSeries);
  copy(m_trainAccSeries, s.trainAccuracySeries);
  copy(m_testAccSeries, s.testAccuracySeries);
  copyAll(m_gradNormSeries, s.gradNormSeries);
  copyAll(m_dzSeries, s.meanAbsDzSeries);
  copyAll(m_ratioSeries, s.updateRatioSeries);
  copyAll(m_signSeries, s.signAgreementSeries);
  copyAll(m_deadSeries, s.deadSeries);
  copyAll(m_normGradSeries, s.normGradNormSeries);
  copy(m_deadTotalSeries, s.deadTotalSeries);
  copy(m_totalNormSeries, s.totalGradNormSeries);
  copy(m_clippedSeries, s.clippedSeries);
  s.clippedSteps = m_clippedSteps;
  s.eval = m_eval;
  s.grid = m_grid;
  if (m_data->train.imageWidth > 0) {
    if (!m_inputWeights || m_inputWeightsStep != m_step || m_inputWeightsBuild != m_builds) {
      m_inputWeights = std::make_shared<const Eigen::MatrixXf>(m_net->layer(0).W);
      m_inputWeightsStep = m_step;
      m_inputWeightsBuild = m_builds;
      m_inputWeightsMoved = inputWeightsMoved();
    }
    s.inputWeights = m_inputWeights;
    s.inputWeightsMoved = m_inputWeightsMoved;
  } else {
    s.inputWeights.reset();
  }
  s.measureShare = static_cast<float>(measureShare());
}

}  // namespace gradscope
