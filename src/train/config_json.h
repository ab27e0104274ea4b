// Presets (a whole session as JSON) and network weights (torch.nn.Linear layout as JSON): the
// files a learner shares, edits by hand and loads with --preset / --load-weights or in the app.
// Every error is one line that says where: the JSON path for a bad value, line and column for
// a syntax error, the layer and both shapes for weights that do not fit.
//
// Preset schema (every key optional; a missing key takes the default shown; unknown keys are
// errors; keys are snake_case, names are the tables' keys):
//
//   {
//     "version": 1,
//     "title": "Deep sigmoid on XOR", "description": "...",
//     "data": {"dataset": "xor", "samples": 400, "noise": 0.05, "test_fraction": 0.2,
//              "csv": null},                      // a path: load it instead of "dataset"
//     "seed": 1,
//     "speed": {"mode": "unlimited", "steps_per_second": 1000},   // or "capped"
//     "eval_every": 0,                            // 0: automatic
//     "panels": {"gradient": true, ...},          // the UI's keys, booleans
//     "view": {"run": 1, "layer": 1,               // what the panels follow (1-based)
//              "measure": "grad_norm",             // or "mean_abs_dz", "update_ratio",
//                                                  //   "sign_agreement"
//              "horizon": 0},                      // > 0: pause there once; charts span it
//     "runs": [{                                  // 1 to 4 runs
//       "label": "",
//       "hidden": [10, 10, 10, 10, 10, 10, 10, 10, 10, 10],   // widths, input side first
//       "activation": "sigmoid", "activation_param": 0,        // missing param: its default
//       "layer_activations": {"3": {"activation": "relu", "param": 0}},  // 1 = first hidden
//       "init": "normal", "init_constant": 0, "bias_init": 0,
//       "loss": "bce",
//       "optimizer": {"name": "sgd", "lr": 0.1},   // torch.optim names: "betas": [0.9, 0.999],
//                                                  // "nesterov": true, "line_search_fn":
//                                                  // "strong_wolfe"; null = the default
//       "batch": 32,                               // or "full"
//       "norm": "none",                            // "batch" (BatchNorm1d), "layer" (LayerNorm)
//       "residual": false,                         // skips around equal-width hidden layers
//       "clip_norm": 0,                            // clip_grad_norm_'s max norm; 0 or null: off
//       "dropout": 0                               // p after each hidden activation, 0 to 0.99
//     }]
//   }
//
// A missing "optimizer" is the app's default (SGD, lr 0.1); inside an optimizer object a
// missing "name" is "sgd" and a missing hyperparameter takes PyTorch's default.
//
// Weights schema, input side first, one entry per dense layer (hidden layers, then output):
//
//   {"layers": [{"weight": [[...], ...],   // out rows of in values, as torch.nn.Linear
//                "bias": [...],            // out values
//                "alpha": [...],           // PReLU layers only: one slope per unit
//                "norm": {"weight": [...], "bias": [...],            // hidden layers of a
//                         "running_mean": [...], "running_var": [...]}  // normed network:
//               }, ...]}                   // batch norm all four, layer norm weight and bias
//
// The norm's vectors have one value per row of "weight" (units·k for Maxout), as
// BatchNorm1d's and LayerNorm's state_dict entries. A file's norm must be the network's kind.
//
// Numbers are written as the shortest decimal that reads back as the same float, so a save
// and a load give bit-identical parameters.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

#include "core/mlp.h"
#include "train/run_config.h"

namespace gradscope {

// A bad preset or weights document; what() is one line, e.g.
// "runs[1].optimizer.betas: Adam: betas[0] must be in [0, 1) (got 1)" or
// "line 3, column 14: syntax error while parsing object - ...".
class JsonError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A session plus the lesson text that travels with it.
struct Preset {
  SessionConfig session;
  std::string title;
  std::string description;

  bool operator==(const Preset&) const = default;
};

// Parses and validates a preset (validateSession included). Throws JsonError.
Preset parsePreset(std::string_view text);
// Reads a preset file; relative "csv" paths are taken relative to the file's directory.
// Messages start with the path ("lesson.json: runs[0].batch: ...").
Preset loadPreset(const std::string& path);
// The preset as pretty JSON (2-space indent, short arrays on one line, newline at the end).
std::string presetToJson(const Preset& preset);

// The network's parameters as weights JSON. Throws JsonError if a parameter is NaN or
// infinite (a diverged run has nothing worth saving).
std::string weightsToJson(const Mlp& net);
// Reads weights JSON into `net`, whose shape the document must match; all or nothing: on
// error `net` is unchanged. A PReLU layer without "alpha" keeps its current slopes.
void parseWeights(std::string_view text, Mlp& net);
void loadWeights(const std::string& path, Mlp& net);  // messages start with the path

// Writes `text` to a temporary file beside `path` and renames it into place, so nobody ever
// sees half a file. Throws std::runtime_error naming the path on failure.
void writeFileAtomically(const std::string& path, std::string_view text);
// The whole file; throws std::runtime_error naming the path if it cannot be read.
std::string readTextFile(const std::string& path);

}  // namespace gradscope
