// Controls: play/pause/step/reset/reseed; per run its activation (and per-layer overrides),
// optimizer with sliders built from the optimizer's table, init; shared architecture, loss,
// batch, data and speed; compare mode's runs. Every change edits UiState::edit and is sent
// as one cmd::Configure.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>
#include <thread>

#include "ui/i18n.h"
#include "ui/panels.h"
#include "ui/plot.h"

namespace gradscope::ui {
namespace {

// A slider over a field's declared slider range and scale; ctrl+click types any value in its
// valid range (typed values are clamped to that, not to the slider's).
// A field's slider format in the current language: "fmt.<path>" when the format has words.
std::string fieldFormat(const FieldSpec& spec) {
  const std::string format(spec.format);
  const auto letters = [](char a, char b) { return std::isalpha(a) && std::isalpha(b); };
  if (std::adjacent_find(format.begin(), format.end(), letters) == format.end()) return format;
  return trOr("fmt." + std::string(spec.path), format.c_str());
}

// A table entry's name in the current language: "<table>.<key>", else its English name.
std::string tableName(std::string_view table, std::string_view key, std::string_view name) {
  return trOr(std::string(table) + "." + std::string(key), std::string(name).c_str());
}

template <typename T>
bool fieldSlider(const char* id, T& value, const FieldSpec& spec) {
  double v = static_cast<double>(value);
  double lo = spec.sliderMin, hi = spec.sliderMax;
  const ImGuiSliderFlags flags =
      spec.scale == SliderScale::Log ? ImGuiSliderFlags_Logarithmic : ImGuiSliderFlags_None;
  const std::string format = fieldFormat(spec);
  if (!ImGui::SliderScalar(id, ImGuiDataType_Double, &v, &lo, &hi, format.c_str(), flags))
    return false;
  v = std::clamp(v, spec.min, spec.max);
  if (spec.integer) v = std::round(v);
  if (static_cast<T>(v) == value) return false;
  value = static_cast<T>(v);
  return true;
}

void section(const char* key) {
  ImGui::Spacing();
  ImGui::TextDisabled("%s", tr(key));
  ImGui::Separator();
}

bool activationCombo(const char* id, ActivationChoice& choice) {
  bool changed = false;
  const auto& current = activationInfo(choice.activation);
  if (ImGui::BeginCombo(id, std::string(current.name).c_str())) {
    for (const auto& info : activationTable()) {
      if (ImGui::Selectable(std::string(info.name).c_str(), info.id == choice.activation)) {
        if (info.id != choice.activation) {
          choice = freshActivation(info.id);
          changed = true;
        }
      }
      if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", std::string(info.formula).c_str());
    }
    ImGui::EndCombo();
  }
  return changed;
}

bool activationParam(const char* id, ActivationChoice& choice) {
  const auto& info = activationInfo(choice.activation);
  if (info.paramName.empty()) return false;
  if (choice.activation == Activation::Maxout) {
    int k = static_cast<int>(choice.param);
    if (ImGui::SliderInt(id, &k, static_cast<int>(info.paramMin), static_cast<int>(info.paramMax),
                         tr("controls.maxout_pieces"))) {
      choice.param = k;
      return true;
    }
    return false;
  }
  char fmt[48];
  std::snprintf(fmt, sizeof fmt, "%s = %%.3g", std::string(info.paramName).c_str());
  const double lo = std::max(info.paramMin, 1e-4), hi = info.paramMax;
  return ImGui::SliderScalar(id, ImGuiDataType_Double, &choice.param, &lo, &hi, fmt,
                             ImGuiSliderFlags_Logarithmic | ImGuiSliderFlags_AlwaysClamp);
}

// Finite slider bounds for a hyperparameter whose valid range may be open-ended.
void sliderBounds(const HyperParam& p, double& lo, double& hi) {
  lo = p.min;
  hi = p.max;
  if (p.key == "lr") lo = std::max(lo, 1e-5), hi = std::min(hi, p.defaultValue >= 1.0 ? 10.0 : 2.0);
  if (!std::isfinite(hi)) {
    if (p.key == "t0")
      hi = 1e7;
    else if (p.key == "step_size_max")
      hi = 100;
    else if (p.kind == HyperKind::Int)
      hi = std::max(4.0 * p.defaultValue, 10.0);
    else
      hi = p.logSlider ? 1.0 : std::max(10.0, 10.0 * p.defaultValue);
  }
  if (p.logSlider && lo <= 0 && p.key != "weight_decay" && p.key != "lr_decay")
    lo = std::min(1e-12, hi * 1e-6);
  if (p.maxOpen && p.kind == HyperKind::Real && std::isfinite(p.max))
    hi = std::nextafter(p.max, p.min);
}

bool hyperParameter(const HyperParam& p, OptimizerConfig& config) {
  const std::string key(p.key);
  double value = config.get(p.key);
  const std::string label = std::string(p.torchName) + "##" + key;
  bool changed = false;
  switch (p.kind) {
    case HyperKind::Bool: {
      bool b = value != 0.0;
      if (ImGui::Checkbox(label.c_str(), &b)) value = b ? 1.0 : 0.0, changed = true;
      break;
    }
    case HyperKind::Choice: {
      const int index = static_cast<int>(value);
      const std::string current = index >= 0 && index < static_cast<int>(p.choices.size())
                                      ? std::string(p.choices[static_cast<size_t>(index)])
                                      : "?";
      if (ImGui::BeginCombo(label.c_str(), current.c_str())) {
        for (size_t i = 0; i < p.choices.size(); ++i)
          if (ImGui::Selectable(std::string(p.choices[i]).c_str(), static_cast<int>(i) == index))
            value = static_cast<double>(i), changed = true;
        ImGui::EndCombo();
      }
      break;
    }
    case HyperKind::Int: {
      double lo, hi;
      sliderBounds(p, lo, hi);
      int v = static_cast<int>(value), a = static_cast<int>(lo),
          b = static_cast<int>(std::min(hi, 1e9));
      if (ImGui::SliderInt(label.c_str(), &v, a, b, "%d", ImGuiSliderFlags_AlwaysClamp))
        value = v, changed = true;
      break;
    }
    case HyperKind::Real: {
      double lo, hi;
      sliderBounds(p, lo, hi);
      const char* fmt = p.logSlider || std::abs(value) < 1e-3 ? "%.3g" : "%.4f";
      if (ImGui::SliderScalar(
              label.c_str(), ImGuiDataType_Double, &value, &lo, &hi, fmt,
              (p.logSlider ? ImGuiSliderFlags_Logarithmic : 0) | ImGuiSliderFlags_AlwaysClamp))
        changed = true;
      break;
    }
  }
  const std::string help(p.help);
  tooltip(trOr("hp." + key, help.c_str()));
  if (changed) config.values[key] = value;
  return changed;
}

template <typename Table, typename Id, typename Name>
bool tableCombo(const std::string& id, Id& current, const Table& table, Name name) {
  bool changed = false;
  std::string preview;
  for (const auto& info : table)
    if (info.id == current) preview = std::string(name(info));
  if (ImGui::BeginCombo(id.c_str(), preview.c_str())) {
    for (const auto& info : table)
      if (ImGui::Selectable((name(info) + "##" + std::string(info.key)).c_str(),
                            info.id == current)) {
        changed = info.id != current;
        current = info.id;
      }
    ImGui::EndCombo();
  }
  return changed;
}

void transport(const Snapshot& snap, UiState& state) {
  const float w = ImGui::GetFontSize() * 4.6f;
  const std::string play =
      std::string(tr(snap.playing ? "controls.pause" : "controls.play")) + "###controls.play";
  if (ImGui::Button(play.c_str(), ImVec2(w, 0))) state.send(cmd::TogglePlay{});
  rememberItem(state, "play_button");
  tooltip(tr("tip.play"));
  ImGui::SameLine();
  ImGui::BeginDisabled(snap.playing);
  if (ImGui::Button(trId("controls.step").c_str(), ImVec2(w, 0))) state.send(cmd::Step{1});
  ImGui::EndDisabled();
  tooltip(tr("tip.step"));
  ImGui::SameLine();
  if (ImGui::Button(trId("controls.reset").c_str(), ImVec2(w, 0))) state.send(cmd::Reset{});
  tooltip(tr("tip.reset"));
  ImGui::SameLine();
  if (ImGui::Button(trId("controls.reseed").c_str(), ImVec2(w, 0)))
    state.send(cmd::Reseed{snap.config.seed + 1});
  tooltip(tr("tip.reseed"));
  ImGui::Checkbox(trId("controls.hot_swap").c_str(), &state.hotSwap);
  tooltip(tr("tip.hot_swap"));
}

void runEditor(UiState& state) {
  RunConfig& run = state.edit.runs[static_cast<size_t>(state.selectedRun)];
  section("controls.activation");
  if (activationCombo("##activation", run.activation)) state.changed();
  tooltip(tr("tip.activation"));
  if (activationParam("##activation-param", run.activation)) state.changed();
  const bool perLayer = ImGui::TreeNode("controls.per_layer", "%s", tr("controls.per_layer"));
  tooltip(tr("tip.layer_activations"));
  if (perLayer) {
    for (int l = 0; l < static_cast<int>(run.hidden.size()); ++l) {
      auto it = run.layerActivations.find(l);
      bool overridden = it != run.layerActivations.end();
      char label[64];
      std::snprintf(label, sizeof label, tr("ui.layer_n"), l + 1);
      std::snprintf(label + std::strlen(label), sizeof label - std::strlen(label), "###layer%d", l);
      if (ImGui::Checkbox(label, &overridden)) {
        if (overridden)
          run.layerActivations[l] = run.activation;
        else
          run.layerActivations.erase(l);
        state.changed();
      }
      if (overridden) {
        ImGui::SameLine();
        ImGui::PushID(l);
        ImGui::SetNextItemWidth(ImGui::GetFontSize() * 8);
        if (activationCombo("##layer-activation", run.layerActivations[l])) state.changed();
        ImGui::PopID();
      }
    }
    ImGui::TreePop();
  }

  section("controls.optimizer");
  OptimizerKind kind = run.optimizer.kind;
  if (tableCombo("##optimizer", kind, optimizerTable(),
                 [](const OptimizerInfo& i) { return std::string(i.name); })) {
    // A new optimizer starts from PyTorch's defaults for it.
    run.optimizer = OptimizerConfig{kind, {}};
    state.changed();
  }
  rememberItem(state, "optimizer_combo");
  {
    const auto& info = optimizerInfo(run.optimizer.kind);
    const std::string help(info.help);
    tooltip(trOr("opt." + std::string(info.key), help.c_str()));
  }
  for (const auto& p : optimizerInfo(run.optimizer.kind).params)
    if (hyperParameter(p, run.optimizer)) state.changed();
  if (run.optimizer.kind == OptimizerKind::SGD && run.optimizer.values.count("lr") == 0)
    ImGui::TextDisabled("%s", tr("controls.sgd_default_lr"));

  section("controls.init");
  if (tableCombo("##init", run.init, initTable(),
                 [](const InitInfo& i) { return tableName("init", i.key, i.name); }))
    state.changed();
  {
    char line[160];
    std::snprintf(line, sizeof line, tr("tip.init_default"),
                  std::string(initInfo(defaultInit(state.edit.data)).name).c_str());
    tooltip((std::string(tr("tip.init")) + "\n\n" + std::string(initInfo(run.init).formula) +
             "\n\n" + line)
                .c_str());
  }
  if (run.init == Init::Constant &&
      fieldSlider(trId("controls.init_constant").c_str(), run.initConstant, field::InitConstant))
    state.changed();
  if (fieldSlider(trId("controls.bias_init").c_str(), run.biasInit, field::BiasInit))
    state.changed();
  tooltip(tr("tip.bias_init"));

  section("controls.cures");
  if (tableCombo(trId("controls.norm"), run.norm, normTable(),
                 [](const NormInfo& i) { return tableName("norm", i.key, i.name); }))
    state.changed();
  tooltip(tr("tip.norm"));
  if (ImGui::Checkbox(trId("controls.residual").c_str(), &run.residual)) state.changed();
  tooltip(tr("tip.residual"));
  bool clip = run.clipNorm > 0;
  if (ImGui::Checkbox(trId("controls.clip").c_str(), &clip)) {
    run.clipNorm = clip ? 1.0 : 0.0;
    state.changed();
  }
  tooltip(tr("tip.clip_norm"));
  if (clip) {
    ImGui::SameLine();
    ImGui::SetNextItemWidth(-1);
    if (fieldSlider("##clip-norm", run.clipNorm, field::ClipNorm)) {
      run.clipNorm = std::max(run.clipNorm, field::ClipNorm.sliderMin);  // 0 is the checkbox's
      state.changed();
    }
    tooltip(tr("tip.clip_norm"));
  }
  if (fieldSlider(trId("controls.dropout").c_str(), run.dropout, field::Dropout)) state.changed();
  tooltip(tr("tip.dropout"));
}

void sharedEditor(const Snapshot& snap, UiState& state) {
  SessionConfig& e = state.edit;
  RunConfig& first = e.runs.front();
  auto forAll = [&](auto&& f) {
    for (auto& r : e.runs) f(r);
    state.changed();
  };
  section("controls.architecture");
  int depth = static_cast<int>(first.hidden.size());
  int width = first.hidden.empty() ? 10 : first.hidden.front();
  if (ImGui::SliderInt(trId("controls.depth").c_str(), &depth, 1, kMaxDepth,
                       tr("controls.depth_format"), ImGuiSliderFlags_AlwaysClamp))
    forAll([&](RunConfig& r) {
      r.hidden.assign(static_cast<size_t>(depth), width);
      std::erase_if(r.layerActivations, [&](const auto& kv) { return kv.first >= depth; });
    });
  tooltip(tr("tip.depth"));
  if (ImGui::SliderInt(trId("controls.width").c_str(), &width, 1, kMaxWidth,
                       tr("controls.width_format"), ImGuiSliderFlags_AlwaysClamp))
    forAll([&](RunConfig& r) { r.hidden.assign(r.hidden.size(), width); });
  tooltip(tr("tip.width"));
  Loss loss = first.loss;
  if (tableCombo(trId("controls.loss"), loss, lossTable(),
                 [](const LossInfo& i) { return tableName("loss_fn", i.key, i.name); }))
    forAll([&](RunConfig& r) { r.loss = loss; });
  tooltip(
      (std::string(tr("tip.loss")) + "\n\n" + std::string(lossInfo(first.loss).formula)).c_str());
  bool full = first.batchSize == 0;
  if (ImGui::Checkbox(trId("controls.full_batch").c_str(), &full))
    forAll([&](RunConfig& r) { r.batchSize = full ? 0 : 32; });
  tooltip(tr("tip.full_batch"));
  if (!full) {
    ImGui::SameLine();
    int batch = first.batchSize;
    ImGui::SetNextItemWidth(-1);
    if (fieldSlider("##batch", batch, field::Batch))
      forAll([&](RunConfig& r) { r.batchSize = batch; });
  }

  section("controls.data");
  const bool images = e.data.csvPath.empty() && e.data.kind == DatasetKind::FashionMnist;
  if (e.data.csvPath.empty()) {
    const Init initBefore = defaultInit(e.data);
    if (tableCombo(trId("controls.data_set"), e.data.kind, datasetTable(),
                   [](const DatasetInfo& i) { return tableName("data", i.key, i.name); })) {
      // Runs on the old set's default initializer take the new set's (He normal for images).
      for (auto& r : e.runs)
        if (r.init == initBefore) r.init = defaultInit(e.data);
      // Ten classes: softmax outputs with cross-entropy (binary cross-entropy needs two).
      if (e.data.kind == DatasetKind::FashionMnist)
        for (auto& r : e.runs)
          if (r.loss == Loss::BCE) r.loss = Loss::CrossEntropy;
      state.changed();
    }
    {
      const auto& info = datasetInfo(e.data.kind);
      tooltip(tableName("data_tip", info.key, info.description).c_str());
    }
    if (images) {
      if (fieldSlider(trId("controls.images").c_str(), e.data.trainImages, field::TrainImages))
        state.changed();
      tooltip(tr("tip.train_images"));
    } else {
      if (fieldSlider(trId("controls.samples").c_str(), e.data.samples, field::Samples))
        state.changed();
      tooltip(tr("tip.samples"));
      if (fieldSlider(trId("controls.noise").c_str(), e.data.noise, field::Noise)) state.changed();
      tooltip(tr("tip.noise"));
    }
  } else {
    ImGui::TextWrapped(tr("controls.csv_file"), e.data.csvPath.c_str());
  }
  if (!images) {
    if (fieldSlider(trId("controls.test_split").c_str(), e.data.testFraction, field::TestFraction))
      state.changed();
    tooltip(tr("tip.test_split"));
  }

  section("controls.speed");
  bool capped = e.speed == SpeedMode::Capped;
  if (ImGui::Checkbox(trId("controls.cap_speed").c_str(), &capped))
    e.speed = capped ? SpeedMode::Capped : SpeedMode::Unlimited, state.changed();
  tooltip(tr("tip.speed"));
  if (capped) {
    ImGui::SameLine();
    ImGui::SetNextItemWidth(-1);
    if (fieldSlider("##sps", e.stepsPerSecond, field::StepsPerSecond)) state.changed();
  }
  // Training threads: the runs train side by side, one run per thread at a time.
  int threads = snap.threads;
  const int most = std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 8);
  if (ImGui::SliderInt(trId("controls.threads").c_str(), &threads, 1, std::max(most, 2), "%d",
                       ImGuiSliderFlags_AlwaysClamp) &&
      threads != snap.threads)
    state.send(cmd::SetThreads{threads});
  tooltip(tr("tip.threads"));
}

void runTabs(const Snapshot& snap, UiState& state) {
  auto& runs = state.edit.runs;
  state.selectedRun = std::clamp(state.selectedRun, 0, static_cast<int>(runs.size()) - 1);
  section("controls.runs");
  for (int r = 0; r < static_cast<int>(runs.size()); ++r) {
    if (r > 0) ImGui::SameLine();
    const std::string label =
        trMessage(r < static_cast<int>(snap.runs.size()) ? snap.runs[r].label
                                                         : runLabelMessage(state.edit, r)) +
        "##run" + std::to_string(r);
    const ImU32 c = runColor(r);
    const bool selected = r == state.selectedRun;
    ImGui::PushStyleColor(
        ImGuiCol_Button,
        selected ? ImGui::ColorConvertU32ToFloat4((c & ~IM_COL32_A_MASK) | IM_COL32(0, 0, 0, 150))
                 : ImGui::GetStyleColorVec4(ImGuiCol_Button));
    if (ImGui::Button(label.c_str())) state.selectedRun = r;
    ImGui::PopStyleColor();
    tooltip(tr("tip.run_select"));
  }
  // Watched runs: shown beside the session's own, but their steps happen in PyTorch, so
  // nothing here acts on them; the tooltip says why and where they come from.
  for (size_t r = 0; r < snap.runs.size(); ++r) {
    const RunSnapshot& run = snap.runs[r];
    if (run.controllable()) continue;
    ImGui::SameLine();
    ImGui::BeginDisabled();
    ImGui::Button((trMessage(run.label) + "##watched" + std::to_string(run.id)).c_str());
    ImGui::EndDisabled();
    char why[512];
    std::snprintf(why, sizeof why, tr(run.connected ? "tip.watched_run" : "tip.watched_run_ended"),
                  run.source.c_str(), trMessage(run.reason).c_str());
    tooltip(why);
  }
  ImGui::BeginDisabled(runs.size() >= static_cast<size_t>(kMaxRuns));
  if (ImGui::Button(trId("controls.add_run").c_str())) {
    RunConfig next = runs[static_cast<size_t>(state.selectedRun)];
    next.label.clear();
    // The classic comparison: a sigmoid run gets a ReLU partner, anything else a sigmoid one.
    next.activation = {
        next.activation.activation == Activation::Sigmoid ? Activation::ReLU : Activation::Sigmoid,
        0.0};
    runs.push_back(next);
    state.selectedRun = static_cast<int>(runs.size()) - 1;
    state.changed();
  }
  rememberItem(state, "add_run");
  ImGui::EndDisabled();
  tooltip(tr("tip.add_run"));
  ImGui::SameLine();
  ImGui::BeginDisabled(runs.size() <= 1);
  if (ImGui::Button(trId("controls.remove_run").c_str())) {
    runs.erase(runs.begin() + state.selectedRun);
    state.selectedRun = std::max(0, state.selectedRun - 1);
    state.changed();
  }
  rememberItem(state, "remove_run");
  ImGui::EndDisabled();
  tooltip(tr("tip.remove_run"));
}

}  // namespace

void drawControlsPanel(const Snapshot& snap, UiState& state) {
  ImGui::PushItemWidth(ImGui::GetFontSize() * 12.5f);
  transport(snap, state);
  runTabs(snap, state);
  runEditor(state);
  sharedEditor(snap, state);
  ImGui::PopItemWidth();
}

}  // namespace gradscope::ui
