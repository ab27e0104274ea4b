// Preset and weights JSON (both schemas are in config_json.h). Reading is strict — unknown
// keys, wrong types and out-of-range values are errors with their JSON path — because a
// preset typed by hand should fail loudly rather than train something else than intended.
//
// [SECTION] Helpers: messages, paths, typed reads, the pretty printer
// [SECTION] Presets
// [SECTION] Weights
// [SECTION] Files
#include "train/config_json.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <limits>
#include <nlohmann/json.hpp>
#include <sstream>

namespace gradscope {
namespace {

//-----------------------------------------------------------------------------
// [SECTION] Helpers: messages, paths, typed reads, the pretty printer
//-----------------------------------------------------------------------------

// ordered_json keeps the document's key order: the first unknown key reported is the first
// one in the file, and saved presets list keys in schema order.
using Json = nlohmann::ordered_json;

constexpr int kPresetVersion = 1;

// Concatenation through append (GCC 12 reports false -Wrestrict on "literal" + std::string).
template <typename... Parts>
std::string cat(const Parts&... parts) {
  std::string s;
  (s.append(std::string_view(parts)), ...);
  return s;
}

std::string number(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  char buf[32];
  const auto res = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, res.ptr);
}

[[noreturn]] void fail(const std::string& path, std::string_view message) {
  throw JsonError(path.empty() ? std::string(message) : cat(path, ": ", message));
}

std::string child(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : cat(path, ".", key);
}

std::string element(const std::string& path, size_t index) {
  return cat(path, "[", std::to_string(index), "]");
}

// The value as a message shows it: strings quoted and shortened, containers by kind.
std::string describe(const Json& v) {
  switch (v.type()) {
    case Json::value_t::null:
      return "null";
    case Json::value_t::boolean:
      return v.get<bool>() ? "true" : "false";
    case Json::value_t::string: {
      std::string s = v.get<std::string>();
      if (s.size() > 40) s = cat(s.substr(0, 40), "…");
      return cat("\"", s, "\"");
    }
    case Json::value_t::array:
      return "an array";
    case Json::value_t::object:
      return "an object";
    default:
      return v.dump();
  }
}

[[noreturn]] void wrongType(const std::string& path, std::string_view expected, const Json& got) {
  fail(path, cat("expected ", expected, " (got ", describe(got), ")"));
}

// An object whose keys must all be among `allowed`.
void checkObject(const Json& v, const std::string& path,
                 std::initializer_list<std::string_view> allowed) {
  if (!v.is_object()) wrongType(path, "an object", v);
  for (const auto& [key, value] : v.items()) {
    bool known = false;
    for (auto a : allowed) known = known || a == key;
    if (known) continue;
    std::string list;
    for (auto a : allowed) list.append(list.empty() ? "" : ", ").append(a);
    fail(child(path, key), cat("unknown key (allowed here: ", list, ")"));
  }
}

const Json* find(const Json& object, std::string_view key) {
  const auto it = object.find(std::string(key));
  return it == object.end() ? nullptr : &*it;
}

double readReal(const Json& v, const std::string& path, double lo, double hi) {
  if (!v.is_number()) wrongType(path, "a number", v);
  const double x = v.get<double>();
  if (!(x >= lo && x <= hi))
    fail(path, cat("must be ", number(lo), " to ", number(hi), " (got ", number(x), ")"));
  return x;
}

long long readInteger(const Json& v, const std::string& path, long long lo, long long hi) {
  const auto outOfRange = [&] {
    fail(path,
         cat("must be ", std::to_string(lo), " to ", std::to_string(hi), " (got ", v.dump(), ")"));
  };
  if (v.is_number_unsigned()) {
    const auto u = v.get<std::uint64_t>();
    if (hi < 0 || u > static_cast<std::uint64_t>(hi) ||
        (lo > 0 && u < static_cast<std::uint64_t>(lo)))
      outOfRange();
    return static_cast<long long>(u);
  }
  if (v.is_number_integer()) {
    const auto i = v.get<std::int64_t>();
    if (i < lo || i > hi) outOfRange();
    return i;
  }
  if (v.is_number_float()) {  // 400.0 is an integer too
    const double x = v.get<double>();
    if (x != std::floor(x)) wrongType(path, "an integer", v);
    if (x < static_cast<double>(lo) || x > static_cast<double>(hi)) outOfRange();
    return static_cast<long long>(x);
  }
  wrongType(path, "an integer", v);
}

std::uint64_t readSeed(const Json& v, const std::string& path) {
  if (v.is_number_unsigned()) return v.get<std::uint64_t>();
  if (v.is_number_integer())
    fail(path, cat("must be 0 to 18446744073709551615 (got ", v.dump(), ")"));
  if (v.is_number_float()) {
    const double x = v.get<double>();
    if (x == std::floor(x) && x >= 0 && x < 0x1p64) return static_cast<std::uint64_t>(x);
    fail(path, cat("must be an integer 0 to 18446744073709551615 (got ", v.dump(), ")"));
  }
  wrongType(path, "an integer", v);
}

bool readBool(const Json& v, const std::string& path) {
  if (!v.is_boolean()) wrongType(path, "true or false", v);
  return v.get<bool>();
}

std::string readString(const Json& v, const std::string& path) {
  if (!v.is_string()) wrongType(path, "a string", v);
  return v.get<std::string>();
}

// A name from one of the core tables, e.g. an activation's key.
template <typename Lookup>
auto readKey(const Json& v, const std::string& path, Lookup lookup, std::string_view keyList) {
  if (!v.is_string()) wrongType(path, cat("one of ", keyList), v);
  const std::string key = v.get<std::string>();
  const auto id = lookup(key);
  if (!id) fail(path, cat("'", key, "' is not one of ", keyList));
  return *id;
}

// A float stored as the shortest decimal that reads back as the same float ("0.1", not
// "0.10000000149011612"). Reading goes decimal → double → float; where that double rounding
// would land on a neighbour, the exact double value of the float is written instead.
double floatForJson(float f) {
  char buf[32];
  const auto res = std::to_chars(buf, buf + sizeof buf, f);
  double d = 0;
  std::from_chars(buf, res.ptr, d);
  return static_cast<float>(d) == f && std::signbit(d) == std::signbit(f) ? d
                                                                          : static_cast<double>(f);
}

bool isScalar(const Json& v) { return !v.is_object() && !v.is_array(); }

std::string dumpScalar(const Json& v) {
  return v.dump(-1, ' ', false, Json::error_handler_t::replace);
}

// Objects one key per line; arrays of scalars on one line ("hidden": [10, 10], a weight row).
void print(const Json& v, int indent, std::string& out) {
  const auto newline = [&](int spaces) {
    out += '\n';
    out.append(static_cast<size_t>(spaces), ' ');
  };
  if (v.is_object()) {
    if (v.empty()) {
      out += "{}";
      return;
    }
    out += '{';
    bool first = true;
    for (const auto& [key, value] : v.items()) {
      if (!first) out += ',';
      first = false;
      newline(indent + 2);
      out += dumpScalar(Json(key));
      out += ": ";
      print(value, indent + 2, out);
    }
    newline(indent);
    out += '}';
  } else if (v.is_array()) {
    bool flat = true;
    for (const auto& x : v) flat = flat && isScalar(x);
    out += '[';
    bool first = true;
    for (const auto& x : v) {
      if (!first) out += flat ? ", " : ",";
      first = false;
      if (!flat) newline(indent + 2);
      print(x, indent + 2, out);
    }
    if (!flat && !v.empty()) newline(indent);
    out += ']';
  } else {
    out += dumpScalar(v);
  }
}

std::string pretty(const Json& v) {
  std::string out;
  print(v, 0, out);
  out += '\n';
  return out;
}

Json parseJson(std::string_view text) {
  try {
    return Json::parse(text.begin(), text.end());
  } catch (const Json::parse_error& e) {
    // e.what(): "[json.exception.parse_error.101] parse error at line 3, column 14: ..."
    const std::string what = e.what();
    const auto at = what.find("at line ");
    std::string message = at == std::string::npos ? what : what.substr(at + 3);
    // Python's json.dumps writes NaN and Infinity; say why they fail rather than just where.
    if (const auto read = message.find("last read: '"); read != std::string::npos) {
      const auto end = message.find('\'', read + 12);
      const std::string token =
          message.substr(read + 12, end == std::string::npos ? end : end - read - 12);
      if (token.ends_with("N") || token.ends_with("I") || token.ends_with("na") ||
          token.ends_with("i"))
        message += " (NaN and Infinity are not JSON numbers)";
    }
    throw JsonError(message);
  } catch (const Json::out_of_range& e) {
    // A number beyond the double range ("1e400") is no parse_error but out_of_range 406, and
    // it carries no position: "[json.exception.out_of_range.406] number overflow parsing '1e400'".
    const std::string what = e.what();
    const auto end = what.find("] ");
    throw JsonError(cat(end == std::string::npos ? what : what.substr(end + 2),
                        " (beyond the range of a double)"));
  }
}

//-----------------------------------------------------------------------------
// [SECTION] Presets
//-----------------------------------------------------------------------------

// The JSON key of a hyperparameter: torch's name without the tuple index ("betas[0]" → "betas").
std::string_view jsonName(const HyperParam& p) {
  return p.torchName.substr(0, p.torchName.find('['));
}

std::string jsonNameList(const OptimizerInfo& info) {
  std::string list;
  for (const auto& p : info.params) {
    const auto name = jsonName(p);
    if (list.find(cat("\"", name, "\"")) != std::string::npos) continue;
    list.append(list.empty() ? "" : ", ").append("\"").append(name).append("\"");
  }
  return list;
}

double readHyper(const HyperParam& p, const Json& v, const std::string& path) {
  switch (p.kind) {
    case HyperKind::Bool:
      return readBool(v, path) ? 1.0 : 0.0;
    case HyperKind::Choice: {
      std::string list;
      for (auto c : p.choices) list.append(list.empty() ? "" : ", ").append(c);
      if (!v.is_string()) wrongType(path, cat("one of ", list), v);
      const std::string s = v.get<std::string>();
      for (size_t i = 0; i < p.choices.size(); ++i)
        if (p.choices[i] == s) return static_cast<double>(i);
      fail(path, cat("'", s, "' is not one of ", list));
    }
    case HyperKind::Int:
      if (!v.is_number()) wrongType(path, "an integer", v);
      return v.get<double>();
    case HyperKind::Real:
      if (!v.is_number()) wrongType(path, "a number", v);
      return v.get<double>();
  }
  return 0;
}

OptimizerConfig readOptimizer(const Json& v, const std::string& path) {
  if (!v.is_object()) wrongType(path, "an object like {\"name\": \"adam\", \"lr\": 0.001}", v);
  OptimizerConfig config{OptimizerKind::SGD, {}};
  if (const Json* name = find(v, "name"))
    config.kind = readKey(
        *name, child(path, "name"), [](std::string_view k) { return optimizerFromKey(k); },
        optimizerKeyList());
  const OptimizerInfo& info = optimizerInfo(config.kind);
  for (const auto& [key, value] : v.items()) {
    if (key == "name") continue;
    const std::string at = child(path, key);
    std::vector<const HyperParam*> group;  // one scalar, or the two elements of a tuple
    for (const auto& p : info.params)
      if (jsonName(p) == key) group.push_back(&p);
    if (group.empty())
      fail(at, cat(info.name, " has no hyperparameter \"", key, "\" (it has ", jsonNameList(info),
                   ")"));
    if (value.is_null()) continue;  // null: PyTorch's default
    OptimizerConfig alone{config.kind, {}};
    if (group.size() > 1) {
      if (!value.is_array() || value.size() != group.size())
        wrongType(at,
                  cat("an array of ", std::to_string(group.size()), " numbers like [",
                      number(group[0]->defaultValue), ", ", number(group[1]->defaultValue), "]"),
                  value);
      for (const HyperParam* p : group) {
        const Json& x = value[static_cast<size_t>(p->flagIndex)];
        alone.values[std::string(p->key)] =
            readHyper(*p, x, element(at, static_cast<size_t>(p->flagIndex)));
      }
    } else {
      alone.values[std::string(group[0]->key)] = readHyper(*group[0], value, at);
    }
    // Each value against its own range here, so the message carries its path; checks that
    // involve two hyperparameters (nesterov needs momentum) follow for the whole object.
    if (group[0]->kind == HyperKind::Real || group[0]->kind == HyperKind::Int)
      if (auto e = validateOptimizer(alone); !e.empty()) fail(at, e);
    config.values.merge(alone.values);
  }
  if (auto e = validateOptimizer(config); !e.empty()) fail(path, e);
  return config;
}

ActivationChoice readActivationParam(Activation a, const Json* v, const std::string& path) {
  const ActivationInfo& info = activationInfo(a);
  if (!v || v->is_null()) return freshActivation(a);
  if (!v->is_number()) wrongType(path, "a number", *v);
  const double x = v->get<double>();
  if (info.paramName.empty()) {  // ignored, but kept so a saved preset reads back equal
    if (!std::isfinite(x)) fail(path, "must be a finite number");
    return {a, x};
  }
  if (!(x >= info.paramMin && x <= info.paramMax) ||
      (a == Activation::Maxout && x != std::floor(x)))
    fail(path, cat(info.name, " ", info.paramName, " must be ",
                   a == Activation::Maxout ? "an integer " : "", number(info.paramMin), " to ",
                   number(info.paramMax), " (got ", number(x), ")"));
  return {a, x};
}

Activation readActivation(const Json& v, const std::string& path) {
  return readKey(
      v, path, [](std::string_view k) { return activationFromKey(k); }, activationKeyList());
}

RunConfig readRun(const Json& v, const std::string& path) {
  checkObject(v, path,
              {"label", "hidden", "activation", "activation_param", "layer_activations", "init",
               "init_constant", "bias_init", "loss", "optimizer", "batch", "norm", "residual",
               "clip_norm", "dropout"});
  RunConfig r;
  if (const Json* x = find(v, "label")) r.label = readString(*x, child(path, "label"));
  if (const Json* x = find(v, "hidden")) {
    const std::string at = child(path, "hidden");
    if (!x->is_array()) wrongType(at, "an array of layer widths like [10, 10]", *x);
    if (x->empty() || x->size() > static_cast<size_t>(kMaxDepth))
      fail(at, cat("1 to ", std::to_string(kMaxDepth), " hidden layers (got ",
                   std::to_string(x->size()), ")"));
    r.hidden.clear();
    for (size_t i = 0; i < x->size(); ++i)
      r.hidden.push_back(static_cast<int>(readInteger((*x)[i], element(at, i), 1, kMaxWidth)));
  }
  if (const Json* x = find(v, "activation")) {
    const Activation a = readActivation(*x, child(path, "activation"));
    r.activation =
        readActivationParam(a, find(v, "activation_param"), child(path, "activation_param"));
  } else if (const Json* p = find(v, "activation_param")) {
    r.activation = readActivationParam(r.activation.activation, p, child(path, "activation_param"));
  }
  if (const Json* x = find(v, "layer_activations")) {
    const std::string at = child(path, "layer_activations");
    if (!x->is_object()) wrongType(at, "an object like {\"3\": {\"activation\": \"relu\"}}", *x);
    for (const auto& [key, value] : x->items()) {
      const std::string here = child(at, key);
      int layer = 0;
      const auto res = std::from_chars(key.data(), key.data() + key.size(), layer);
      if (res.ec != std::errc() || res.ptr != key.data() + key.size() || layer < 1 ||
          layer > static_cast<int>(r.hidden.size()))
        fail(here, cat("not a hidden layer number 1 to ", std::to_string(r.hidden.size())));
      checkObject(value, here, {"activation", "param"});
      const Json* act = find(value, "activation");
      if (!act) fail(child(here, "activation"), "missing");
      const Activation a = readActivation(*act, child(here, "activation"));
      r.layerActivations[layer - 1] =
          readActivationParam(a, find(value, "param"), child(here, "param"));
    }
  }
  if (const Json* x = find(v, "init"))
    r.init = readKey(
        *x, child(path, "init"), [](std::string_view k) { return initFromKey(k); }, initKeyList());
  if (const Json* x = find(v, "init_constant"))
    r.initConstant = static_cast<float>(readReal(*x, child(path, "init_constant"),
                                                 field::InitConstant.min, field::InitConstant.max));
  if (const Json* x = find(v, "bias_init"))
    r.biasInit = static_cast<float>(
        readReal(*x, child(path, "bias_init"), field::BiasInit.min, field::BiasInit.max));
  if (const Json* x = find(v, "loss"))
    r.loss = readKey(
        *x, child(path, "loss"), [](std::string_view k) { return lossFromKey(k); }, lossKeyList());
  if (const Json* x = find(v, "optimizer"))
    r.optimizer = readOptimizer(*x, child(path, "optimizer"));
  if (const Json* x = find(v, "batch")) {
    const std::string at = child(path, "batch");
    if (x->is_string()) {
      if (x->get<std::string>() != "full")
        fail(at, cat("expected a batch size or \"full\" (got ", describe(*x), ")"));
      r.batchSize = 0;
    } else if (x->is_number()) {
      r.batchSize = static_cast<int>(readInteger(*x, at, static_cast<long long>(field::Batch.min),
                                                 static_cast<long long>(field::Batch.max)));
    } else {
      wrongType(at, "a batch size or \"full\"", *x);
    }
  }
  if (const Json* x = find(v, "norm"))
    r.norm = readKey(
        *x, child(path, "norm"), [](std::string_view k) { return normFromKey(k); }, normKeyList());
  if (const Json* x = find(v, "residual")) r.residual = readBool(*x, child(path, "residual"));
  if (const Json* x = find(v, "clip_norm"))  // null: off
    r.clipNorm = x->is_null() ? 0.0
                              : readReal(*x, child(path, "clip_norm"), field::ClipNorm.min,
                                         field::ClipNorm.max);
  if (const Json* x = find(v, "dropout"))
    r.dropout = readReal(*x, child(path, "dropout"), field::Dropout.min, field::Dropout.max);
  return r;
}

Preset presetFromJson(const Json& root) {
  if (!root.is_object()) wrongType("", "a JSON object at the top level", root);
  checkObject(
      root, "",
      {"version", "title", "description", "data", "seed", "speed", "eval_every", "panels", "view",
       "runs"});
  Preset preset;
  SessionConfig& s = preset.session;
  if (const Json* x = find(root, "version")) {
    const long long version = readInteger(*x, "version", 1, 1'000'000);
    if (version != kPresetVersion)
      fail("version", cat("this gradscope reads version ", std::to_string(kPresetVersion),
                          " presets (got ", std::to_string(version), ")"));
  }
  for (auto [key, field] :
       {std::pair{"title", &preset.title}, std::pair{"description", &preset.description}})
    if (const Json* x = find(root, key); x && !x->is_null()) *field = readString(*x, key);
  if (const Json* d = find(root, "data")) {
    checkObject(*d, "data",
                {"dataset", "samples", "noise", "test_fraction", "train_images", "csv"});
    if (const Json* x = find(*d, "dataset"))
      s.data.kind = readKey(
          *x, "data.dataset", [](std::string_view k) { return datasetFromKey(k); },
          datasetKeyList());
    if (const Json* x = find(*d, "samples"))
      s.data.samples = static_cast<int>(readInteger(*x, "data.samples",
                                                    static_cast<long long>(field::Samples.min),
                                                    static_cast<long long>(field::Samples.max)));
    if (const Json* x = find(*d, "noise"))
      s.data.noise = readReal(*x, "data.noise", field::Noise.min, field::Noise.max);
    if (const Json* x = find(*d, "train_images"))
      s.data.trainImages = static_cast<int>(
          readInteger(*x, "data.train_images", static_cast<long long>(field::TrainImages.min),
                      static_cast<long long>(field::TrainImages.max)));
    if (const Json* x = find(*d, "test_fraction"))
      s.data.testFraction =
          readReal(*x, "data.test_fraction", field::TestFraction.min, field::TestFraction.max);
    if (const Json* x = find(*d, "csv"); x && !x->is_null()) {
      if (!x->is_string()) wrongType("data.csv", "a file path or null", *x);
      s.data.csvPath = x->get<std::string>();
    }
  }
  if (const Json* x = find(root, "seed")) s.seed = readSeed(*x, "seed");
  if (const Json* sp = find(root, "speed")) {
    checkObject(*sp, "speed", {"mode", "steps_per_second"});
    if (const Json* x = find(*sp, "mode")) {
      const std::string mode = readString(*x, "speed.mode");
      if (mode == "unlimited")
        s.speed = SpeedMode::Unlimited;
      else if (mode == "capped")
        s.speed = SpeedMode::Capped;
      else
        fail("speed.mode", cat("'", mode, "' is not one of unlimited, capped"));
    }
    if (const Json* x = find(*sp, "steps_per_second"))
      s.stepsPerSecond = readReal(*x, "speed.steps_per_second", field::StepsPerSecond.min,
                                  field::StepsPerSecond.max);
  }
  if (const Json* x = find(root, "eval_every"))
    s.evalEvery =
        static_cast<int>(readInteger(*x, "eval_every", static_cast<long long>(field::EvalEvery.min),
                                     static_cast<long long>(field::EvalEvery.max)));
  if (const Json* p = find(root, "panels")) {
    if (!p->is_object()) wrongType("panels", "an object of true/false values", *p);
    for (const auto& [key, value] : p->items())
      s.panels[key] = readBool(value, child("panels", key));
  }
  if (const Json* runs = find(root, "runs")) {
    if (!runs->is_array()) wrongType("runs", "an array of runs", *runs);
    if (runs->empty() || runs->size() > static_cast<size_t>(kMaxRuns))
      fail("runs", cat("1 to ", std::to_string(kMaxRuns), " runs (got ",
                       std::to_string(runs->size()), ")"));
    s.runs.clear();
    for (size_t i = 0; i < runs->size(); ++i)
      s.runs.push_back(readRun((*runs)[i], element("runs", i)));
  }
  if (const Json* v = find(root, "view")) {
    checkObject(*v, "view", {"run", "layer", "measure", "horizon"});
    if (const Json* x = find(*v, "run"))
      s.view.run =
          static_cast<int>(readInteger(*x, "view.run", 1, static_cast<long long>(s.runs.size()))) -
          1;
    if (const Json* x = find(*v, "layer")) {
      size_t depth = kMaxDepth;
      for (const auto& r : s.runs) depth = std::min(depth, r.hidden.size());
      s.view.layer =
          static_cast<int>(readInteger(*x, "view.layer", 1, static_cast<long long>(depth))) - 1;
    }
    if (const Json* x = find(*v, "measure")) {
      const std::string key = readString(*x, "view.measure");
      const auto it = std::find(kGradientMeasureKeys.begin(), kGradientMeasureKeys.end(), key);
      if (it == kGradientMeasureKeys.end()) {
        std::string keys;
        for (const auto k : kGradientMeasureKeys) keys.append(keys.empty() ? "" : ", ").append(k);
        fail("view.measure", cat("'", key, "' is not one of ", keys));
      }
      s.view.measure = static_cast<int>(it - kGradientMeasureKeys.begin());
    }
    if (const Json* x = find(*v, "horizon"))
      s.view.horizon = readInteger(*x, "view.horizon", static_cast<long long>(field::Horizon.min),
                                   static_cast<long long>(field::Horizon.max));
  }
  if (auto e = validateSession(s); !e.empty()) fail("", e);
  return preset;
}

Json optimizerToJson(const OptimizerConfig& c) {
  const OptimizerInfo& info = optimizerInfo(c.kind);
  Json j = Json::object();
  j["name"] = std::string(info.key);
  // Only the hyperparameters the config sets, so a saved preset reads back equal; a tuple is
  // written whole when either element is set.
  for (const auto& p : info.params) {
    const std::string name(jsonName(p));
    if (j.contains(name)) continue;
    std::vector<const HyperParam*> group;
    for (const auto& q : info.params)
      if (jsonName(q) == name) group.push_back(&q);
    bool set = false;
    for (const HyperParam* q : group) set = set || c.values.contains(q->key);
    if (!set) continue;
    const auto value = [&](const HyperParam& q) -> Json {
      const double x = c.get(q.key);
      switch (q.kind) {
        case HyperKind::Bool:
          return x != 0;
        case HyperKind::Int:
          return static_cast<long long>(x);
        case HyperKind::Choice: {
          const auto i = static_cast<size_t>(x);
          return i < q.choices.size() ? Json(std::string(q.choices[i])) : Json(x);
        }
        case HyperKind::Real:
          break;
      }
      return x;
    };
    if (group.size() > 1) {
      Json pair = Json::array();
      for (const HyperParam* q : group) pair.push_back(value(*q));
      j[name] = pair;
    } else {
      j[name] = value(p);
    }
  }
  return j;
}

Json activationParamJson(const ActivationChoice& a) { return a.param; }

Json runToJson(const RunConfig& r) {
  Json j = Json::object();
  j["label"] = r.label;
  j["hidden"] = r.hidden;
  j["activation"] = std::string(activationInfo(r.activation.activation).key);
  j["activation_param"] = activationParamJson(r.activation);
  if (!r.layerActivations.empty()) {
    Json layers = Json::object();
    for (const auto& [layer, choice] : r.layerActivations)
      layers[std::to_string(layer + 1)] =
          Json{{"activation", std::string(activationInfo(choice.activation).key)},
               {"param", activationParamJson(choice)}};
    j["layer_activations"] = layers;
  }
  j["init"] = std::string(initInfo(r.init).key);
  j["init_constant"] = floatForJson(r.initConstant);
  j["bias_init"] = floatForJson(r.biasInit);
  j["loss"] = std::string(lossInfo(r.loss).key);
  j["optimizer"] = optimizerToJson(r.optimizer);
  if (r.batchSize == 0)
    j["batch"] = "full";
  else
    j["batch"] = r.batchSize;
  j["norm"] = std::string(normInfo(r.norm).key);
  j["residual"] = r.residual;
  j["clip_norm"] = r.clipNorm;
  j["dropout"] = r.dropout;
  return j;
}

//-----------------------------------------------------------------------------
// [SECTION] Weights
//-----------------------------------------------------------------------------

Json floatsToJson(const float* values, Eigen::Index n, const std::string& what) {
  Json row = Json::array();
  for (Eigen::Index i = 0; i < n; ++i) {
    if (!std::isfinite(values[i]))
      throw JsonError(
          cat(what, " holds ", number(values[i]), "; a diverged network cannot be saved"));
    row.push_back(floatForJson(values[i]));
  }
  return row;
}

float readFloat(const Json& v, const std::string& path) {
  if (!v.is_number()) wrongType(path, "a number", v);
  const double d = v.get<double>();
  // Below FLT_MAX + half an ulp a double still rounds to a finite float.
  if (!std::isfinite(d) || std::abs(d) >= 0x1.ffffffp+127)
    fail(path, cat(number(d), " does not fit a float32"));
  return static_cast<float>(d);
}

std::string shapeText(Eigen::Index rows, Eigen::Index cols) {
  return cat(std::to_string(rows), "×", std::to_string(cols));
}

Vec<float> readVector(const Json& v, const std::string& path, const std::string& layerName,
                      std::string_view what, Eigen::Index expected) {
  if (!v.is_array()) wrongType(path, "an array of numbers", v);
  if (static_cast<Eigen::Index>(v.size()) != expected)
    fail(layerName, cat(what, " has ", std::to_string(v.size()), " values, the network expects ",
                        std::to_string(expected)));
  Vec<float> out(expected);
  for (size_t i = 0; i < v.size(); ++i)
    out[static_cast<Eigen::Index>(i)] = readFloat(v[i], element(path, i));
  return out;
}

// A hidden layer's "norm" object, checked against the layer's kind and size; a layer without
// a norm gets its (empty) parameters back.
NormParams<float> readNorm(const Json* v, const std::string& at, const std::string& name,
                           const DenseLayer<float>& layer) {
  NormParams<float> p = layer.norm;
  const auto kindName = [](Norm k) { return std::string(normInfo(k).key); };
  if (!v) {
    if (layer.normKind != Norm::None)
      fail(name, cat("has no \"norm\" but the network uses ", kindName(layer.normKind),
                     " norm (the weights were saved without it)"));
    return p;
  }
  if (!v->is_object()) wrongType(at, "an object {\"weight\": [...], \"bias\": [...], ...}", *v);
  checkObject(*v, at, {"weight", "bias", "running_mean", "running_var"});
  const bool running = find(*v, "running_mean") || find(*v, "running_var");
  const Norm fileKind = running ? Norm::Batch : Norm::Layer;
  if (layer.normKind != fileKind)
    fail(name, cat("the file's norm is ", kindName(fileKind), " (", running ? "with" : "without",
                   " running statistics), the network's ", kindName(layer.normKind)));
  const Eigen::Index n = layer.W.rows();
  for (const char* key : {"weight", "bias", "running_mean", "running_var"}) {
    if (fileKind == Norm::Layer && std::string_view(key).starts_with("running")) continue;
    const Json* x = find(*v, key);
    if (!x) fail(child(at, key), "missing");
    Vec<float> values = readVector(*x, child(at, key), name, cat("norm ", key), n);
    const std::string_view k = key;
    if (k == "running_var")
      for (Eigen::Index i = 0; i < values.size(); ++i)
        if (values[i] < 0)
          fail(element(child(at, key), static_cast<size_t>(i)), "a variance cannot be negative");
    (k == "weight"         ? p.weight
     : k == "bias"         ? p.bias
     : k == "running_mean" ? p.runningMean
                           : p.runningVar) = std::move(values);
  }
  return p;
}

}  // namespace

Preset parsePreset(std::string_view text) { return presetFromJson(parseJson(text)); }

Preset loadPreset(const std::string& path) {
  const std::string text = readTextFile(path);
  Preset preset;
  try {
    preset = parsePreset(text);
  } catch (const JsonError& e) {
    throw JsonError(cat(path, ": ", e.what()));
  }
  std::string& csv = preset.session.data.csvPath;
  if (!csv.empty() && std::filesystem::path(csv).is_relative())
    csv = (std::filesystem::path(path).parent_path() / csv).lexically_normal().string();
  return preset;
}

std::string presetToJson(const Preset& preset) {
  const SessionConfig& s = preset.session;
  Json j = Json::object();
  j["version"] = kPresetVersion;
  if (!preset.title.empty()) j["title"] = preset.title;
  if (!preset.description.empty()) j["description"] = preset.description;
  j["data"] = Json{{"dataset", std::string(datasetInfo(s.data.kind).key)},
                   {"samples", s.data.samples},
                   {"noise", s.data.noise},
                   {"test_fraction", s.data.testFraction},
                   {"train_images", s.data.trainImages},
                   {"csv", s.data.csvPath.empty() ? Json(nullptr) : Json(s.data.csvPath)}};
  j["seed"] = s.seed;
  j["speed"] = Json{{"mode", s.speed == SpeedMode::Capped ? "capped" : "unlimited"},
                    {"steps_per_second", s.stepsPerSecond}};
  j["eval_every"] = s.evalEvery;
  Json panels = Json::object();
  for (const auto& [key, on] : s.panels) panels[key] = on;
  j["panels"] = panels;
  // Within this session's runs and depth (runs may have been removed since the view was set).
  size_t depth = kMaxDepth;
  for (const auto& r : s.runs) depth = std::min(depth, r.hidden.size());
  j["view"] = Json{
      {"run", std::clamp(s.view.run, 0, static_cast<int>(s.runs.size()) - 1) + 1},
      {"layer", std::clamp(s.view.layer, 0, static_cast<int>(depth) - 1) + 1},
      {"measure", std::string(kGradientMeasureKeys[static_cast<size_t>(std::clamp(
                      s.view.measure, 0, static_cast<int>(kGradientMeasureKeys.size()) - 1))])},
      {"horizon", s.view.horizon}};
  Json runs = Json::array();
  for (const auto& r : s.runs) runs.push_back(runToJson(r));
  j["runs"] = runs;
  return pretty(j);
}

std::string weightsToJson(const Mlp& net) {
  Json layers = Json::array();
  for (int l = 0; l < net.layerCount(); ++l) {
    const auto& layer = net.layer(l);
    const std::string name = cat("layer ", std::to_string(l + 1));
    Json weight = Json::array();
    // W is column-major; torch's row r is W.row(r): copy it out contiguous.
    std::vector<float> row(static_cast<size_t>(layer.W.cols()));
    for (Eigen::Index r = 0; r < layer.W.rows(); ++r) {
      for (Eigen::Index c = 0; c < layer.W.cols(); ++c) row[static_cast<size_t>(c)] = layer.W(r, c);
      weight.push_back(floatsToJson(row.data(), layer.W.cols(), cat(name, " weight")));
    }
    Json entry = Json::object();
    entry["weight"] = weight;
    entry["bias"] = floatsToJson(layer.b.data(), layer.b.size(), cat(name, " bias"));
    if (layer.activation == Activation::PReLU)
      entry["alpha"] = floatsToJson(layer.alpha.data(), layer.alpha.size(), cat(name, " alpha"));
    if (layer.normKind != Norm::None) {
      const auto& n = layer.norm;
      Json norm = Json::object();
      norm["weight"] = floatsToJson(n.weight.data(), n.weight.size(), cat(name, " norm weight"));
      norm["bias"] = floatsToJson(n.bias.data(), n.bias.size(), cat(name, " norm bias"));
      if (layer.normKind == Norm::Batch) {
        norm["running_mean"] = floatsToJson(n.runningMean.data(), n.runningMean.size(),
                                            cat(name, " norm running_mean"));
        norm["running_var"] =
            floatsToJson(n.runningVar.data(), n.runningVar.size(), cat(name, " norm running_var"));
      }
      entry["norm"] = norm;
    }
    layers.push_back(entry);
  }
  Json root = Json::object();
  root["layers"] = layers;
  return pretty(root);
}

void parseWeights(std::string_view text, Mlp& net) {
  const Json root = parseJson(text);
  if (!root.is_object()) wrongType("", "a JSON object {\"layers\": [...]} at the top level", root);
  checkObject(root, "", {"layers"});
  const Json* layers = find(root, "layers");
  if (!layers) fail("layers", "missing");
  if (!layers->is_array()) wrongType("layers", "an array of layers", *layers);
  const int L = net.layerCount();
  if (static_cast<int>(layers->size()) != L)
    fail("layers",
         cat("the file has ", std::to_string(layers->size()), " layers, the network expects ",
             std::to_string(L), " (", std::to_string(L - 1), " hidden + the output layer)"));
  // Everything is read and checked before the network changes.
  std::vector<Mat<float>> W(static_cast<size_t>(L));
  std::vector<Vec<float>> b(static_cast<size_t>(L)), alpha(static_cast<size_t>(L));
  std::vector<NormParams<float>> norms(static_cast<size_t>(L));
  for (int l = 0; l < L; ++l) {
    const auto& layer = net.layer(l);
    const std::string at = element("layers", static_cast<size_t>(l));
    const std::string name = cat("layer ", std::to_string(l + 1));
    const Json& entry = (*layers)[static_cast<size_t>(l)];
    checkObject(entry, at, {"weight", "bias", "alpha", "norm"});
    const Json* w = find(entry, "weight");
    if (!w) fail(child(at, "weight"), "missing");
    const std::string wAt = child(at, "weight");
    if (!w->is_array()) wrongType(wAt, "an array of rows (out rows of in values)", *w);
    if (!w->empty() && !(*w)[0].is_array())
      wrongType(element(wAt, 0), "an array of numbers", (*w)[0]);
    const Eigen::Index rows = static_cast<Eigen::Index>(w->size());
    const Eigen::Index cols = rows > 0 ? static_cast<Eigen::Index>((*w)[0].size()) : 0;
    if (rows != layer.W.rows() || cols != layer.W.cols())
      fail(name, cat("weight is ", shapeText(rows, cols), ", the network expects ",
                     shapeText(layer.W.rows(), layer.W.cols())));
    W[static_cast<size_t>(l)].resize(rows, cols);
    for (Eigen::Index r = 0; r < rows; ++r) {
      const std::string rowAt = element(wAt, static_cast<size_t>(r));
      const Json& row = (*w)[static_cast<size_t>(r)];
      if (!row.is_array()) wrongType(rowAt, "an array of numbers", row);
      if (static_cast<Eigen::Index>(row.size()) != cols)
        fail(rowAt, cat("has ", std::to_string(row.size()), " values, the first row ",
                        std::to_string(cols)));
      for (Eigen::Index c = 0; c < cols; ++c)
        W[static_cast<size_t>(l)](r, c) =
            readFloat(row[static_cast<size_t>(c)], element(rowAt, static_cast<size_t>(c)));
    }
    const Json* bias = find(entry, "bias");
    if (!bias) fail(child(at, "bias"), "missing");
    b[static_cast<size_t>(l)] = readVector(*bias, child(at, "bias"), name, "bias", layer.b.size());
    const Json* a = find(entry, "alpha");
    if (a && layer.activation != Activation::PReLU)
      fail(name, cat("has \"alpha\" but is a ", activationInfo(layer.activation).key,
                     " layer (only PReLU layers have learned slopes)"));
    alpha[static_cast<size_t>(l)] =
        a ? readVector(*a, child(at, "alpha"), name, "alpha", layer.alpha.size()) : layer.alpha;
    norms[static_cast<size_t>(l)] = readNorm(find(entry, "norm"), child(at, "norm"), name, layer);
  }
  for (int l = 0; l < L; ++l) {
    auto& layer = net.layer(l);
    layer.W = std::move(W[static_cast<size_t>(l)]);
    layer.b = std::move(b[static_cast<size_t>(l)]);
    layer.alpha = std::move(alpha[static_cast<size_t>(l)]);
    auto& from = norms[static_cast<size_t>(l)];
    layer.norm.weight = std::move(from.weight);
    layer.norm.bias = std::move(from.bias);
    layer.norm.runningMean = std::move(from.runningMean);
    layer.norm.runningVar = std::move(from.runningVar);
  }
}

void loadWeights(const std::string& path, Mlp& net) {
  const std::string text = readTextFile(path);
  try {
    parseWeights(text, net);
  } catch (const JsonError& e) {
    throw JsonError(cat(path, ": ", e.what()));
  }
}

//-----------------------------------------------------------------------------
// [SECTION] Files
//-----------------------------------------------------------------------------

std::string readTextFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(cat(path, ": cannot open (", std::strerror(errno), ")"));
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) throw std::runtime_error(cat(path, ": cannot read (", std::strerror(errno), ")"));
  return std::move(buffer).str();
}

void writeFileAtomically(const std::string& path, std::string_view text) {
  const std::string temp = cat(path, ".tmp", std::to_string(::getpid()));
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    if (!out) throw std::runtime_error(cat(path, ": cannot write (", std::strerror(errno), ")"));
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    out.close();
    if (!out) {
      std::remove(temp.c_str());
      throw std::runtime_error(cat(path, ": cannot write (", std::strerror(errno), ")"));
    }
  }
  std::error_code ec;
  std::filesystem::rename(temp, path, ec);
  if (ec) {
    std::remove(temp.c_str());
    throw std::runtime_error(cat(path, ": cannot write (", ec.message(), ")"));
  }
}

}  // namespace gradscope
