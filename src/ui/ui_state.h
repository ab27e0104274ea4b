// What the UI keeps between frames that is not training state: the session being edited,
// selections, toggles, and the commands panels want sent. Plain data; panels read and write
// it, the app shell forwards `outbox` to the Trainer.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/activation.h"
#include "train/commands.h"
#include "train/run_config.h"
#include "ui/i18n.h"

namespace gradscope::ui {

inline constexpr int kActivationCount = 13;

enum class Panel : std::uint8_t {
  Controls,
  Activation,
  Gradients,
  Neurons,
  Loss,
  Boundary,
  Lessons,
  Count
};

// The key of a panel in presets and settings ("gradients").
inline const char* panelKey(Panel p) {
  static constexpr const char* keys[] = {"controls", "activation", "gradients", "neurons",
                                         "loss",     "boundary",   "lessons"};
  return keys[static_cast<size_t>(p)];
}

struct ActivationView {
  Activation selected = Activation::Sigmoid;
  std::array<double, kActivationCount> params{};  // per activation, its parameter
  std::array<bool, kActivationCount> overlay{};   // other activations drawn alongside
  bool showDerivative = true;
  bool followRun = true;   // show the selected run's activation
  int histogramLayer = 0;  // hidden layer whose z histogram is overlaid
  float xRange = 8.0f;     // x from −xRange to +xRange
};

// In kGradientMeasureKeys' order.
enum class GradientMeasure : std::uint8_t {
  WeightGradNorm,
  MeanAbsDz,
  UpdateRatio,
  SignAgreement,
  NormGradNorm
};

struct UiState {
  SessionConfig edit;      // what the controls show; sent as cmd::Configure when changed
  bool editDirty = false;  // a control changed `edit` this frame
  bool hotSwap = true;     // activation/optimizer changes keep the weights
  int selectedRun = 0;     // the run the controls edit
  ActivationView activation;
  GradientMeasure gradientMeasure = GradientMeasure::WeightGradNorm;
  bool lossLogY = true;
  float smoothing = 0.9f;  // TensorBoard-style EMA weight for the per-step lines (0: raw)
  bool boundaryShowTest = false;
  std::array<bool, static_cast<size_t>(Panel::Count)> visible{true, true, true, true,
                                                              true, true, true};
  int selectedLesson = 0;
  bool costsRequested = false;  // lesson 9's measurement was asked for
  std::string openPreset;  // a preset name a panel asked to open (the app resolves and loads it)
  std::string error;       // a message a panel wants shown in a toast
  std::vector<Command> outbox;
  bool screenshotRequested = false;
  bool quitRequested = false;
  std::string
      pictureFolder;  // screenshots; empty: $XDG_PICTURES_DIR/gradscope or ~/Pictures/gradscope
  std::vector<std::string> recentFiles;  // presets opened or saved, newest first
  Language language = Language::English;
  bool hangulFont = false;  // Korean can be shown (a Hangul font was found)
  // Where named widgets were on screen when last drawn (x, y, w, h): the state file reports
  // them so that the window tests and scripts/stress-gui can click them.
  std::map<std::string, std::array<float, 4>, std::less<>> itemRects;

  // The run of `edit` that the keys and controls change: selectedRun, which follows the trainer's
  // runs, clamped to `edit` — for a few frames after a preset or a "try next" with fewer runs,
  // `edit` holds fewer runs than the snapshot. Null without runs.
  RunConfig* selectedEditRun() {
    if (edit.runs.empty()) return nullptr;
    return &edit.runs[std::min(static_cast<size_t>(std::max(selectedRun, 0)),
                               edit.runs.size() - 1)];
  }

  void send(Command c) { outbox.push_back(std::move(c)); }
  void changed() { editDirty = true; }

  UiState() {
    for (const auto& info : activationTable())
      activation.params[static_cast<size_t>(info.id)] = info.paramDefault;
  }
};

}  // namespace gradscope::ui
