// What the UI remembers between frames that is not training state: selections, toggles,
// ranges. Plain data; panels read and write it.
#pragma once

#include <array>

#include "core/activation.h"

namespace gradscope::ui {

inline constexpr int kActivationCount = 13;

struct ActivationView {
  Activation selected = Activation::Sigmoid;
  std::array<double, kActivationCount> params{};  // per activation, its parameter
  std::array<bool, kActivationCount> overlay{};   // other activations drawn alongside
  bool showDerivative = true;
  float xRange = 8.0f;  // x from −xRange to +xRange
};

struct UiState {
  ActivationView activation;

  UiState() {
    for (const auto& info : activationTable())
      activation.params[static_cast<size_t>(info.id)] = info.paramDefault;
  }
};

}  // namespace gradscope::ui
