// What the UI (or a test) asks of the Trainer. Commands are queued and run by the worker
// between steps, never while a step is in flight.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <variant>

#include "core/mlp.h"
#include "train/run_config.h"

namespace gradscope {

namespace cmd {
struct Play {};
struct Pause {};
struct TogglePlay {};
struct Step {  // while paused: this many steps of every run
  int steps = 1;
};
struct Reset {};  // every run back to its initial weights (the same seed)
struct Reseed {   // a new seed: new data, new weights, new batches
  std::uint64_t seed;
};
// The whole desired session. The worker applies the difference: new data resets every run;
// activation, optimizer or batch changes keep the weights when hotSwap is set; architecture,
// init or loss changes reset that run; runs are added or removed to match.
struct Configure {
  SessionConfig config;
  bool hotSwap = true;
};
struct LoadWeights {  // replaces run `run`'s weights (same shape)
  int run;
  std::shared_ptr<const Mlp> weights;
};
struct MeasureActivationCosts {};  // times every activation on this machine (lesson 9)
struct SaveWeights {  // writes run `run`'s current weights as weights JSON; reports in the
                      // snapshot's message
  int run;
  std::string path;
};
struct SetThreads {  // training threads, the caller's included (1 to 64)
  int threads = 1;
};
// Watch PyTorch runs streamed by gradscope.watch (train/watch_server.h): "" for the default
// Unix socket, "127.0.0.1:PORT", or a file to follow. Replaces an earlier source; a source
// that cannot be opened is refused with a message.
struct Watch {
  std::string address;
};
}  // namespace cmd

using Command = std::variant<cmd::Play, cmd::Pause, cmd::TogglePlay, cmd::Step, cmd::Reset,
                             cmd::Reseed, cmd::Configure, cmd::LoadWeights, cmd::SaveWeights,
                             cmd::MeasureActivationCosts, cmd::SetThreads, cmd::Watch>;

}  // namespace gradscope
