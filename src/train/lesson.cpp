// Lesson files and their try-next changes (the schema is in lesson.h). A change is checked
// twice: its shape and values when the file loads (so a typo in a translation fails the tests,
// not the learner's click), and against the real session when applied. Values go through the
// preset reader itself, so a lesson can say exactly what a preset can, with the same messages.
#include "train/lesson.h"

#include <algorithm>
#include <array>
#include <iterator>
#include <nlohmann/json.hpp>
#include <set>
#include <span>
#include <string_view>

namespace gradscope {
namespace {

// ordered_json: the first unknown key reported is the first in the file.
using Json = nlohmann::ordered_json;

using Keys = std::span<const std::string_view>;

// The preset schema's run and data keys a change may set (data's "csv" is left out: a
// lesson names built-in data sets, not files on the author's disk).
constexpr std::array<std::string_view, 15> kRunKeys = {"label",
                                                       "hidden",
                                                       "activation",
                                                       "activation_param",
                                                       "layer_activations",
                                                       "init",
                                                       "init_constant",
                                                       "bias_init",
                                                       "loss",
                                                       "optimizer",
                                                       "batch",
                                                       "norm",
                                                       "residual",
                                                       "clip_norm",
                                                       "dropout"};
constexpr std::array<std::string_view, 4> kDataKeys = {"dataset", "samples", "noise",
                                                       "test_fraction"};
constexpr std::array<std::string_view, 2> kFileKeys = {"language", "lessons"};
constexpr std::array<std::string_view, 6> kLessonKeys = {"id",   "preset", "title",
                                                         "body", "watch",  "try_next"};
constexpr std::array<std::string_view, 2> kTryNextKeys = {"label", "changes"};
constexpr std::array<std::string_view, 3> kChangeKeys = {"run", "set", "data"};

// Concatenation through append (GCC 12 reports false -Wrestrict on "literal" + std::string).
template <typename... Parts>
std::string cat(const Parts&... parts) {
  std::string s;
  (s.append(std::string_view(parts)), ...);
  return s;
}

// `where` is a file name and JSON path, "en.json: lessons[2].title"; the file's top level is
// "en.json: ".
std::string child(const std::string& where, std::string_view key) {
  return where.ends_with(": ") ? cat(where, key) : cat(where, ".", key);
}

[[noreturn]] void fail(const std::string& where, std::string_view message) {
  throw JsonError(where.ends_with(": ") ? cat(where, message) : cat(where, ": ", message));
}

std::string keyList(Keys keys) {
  std::string list;
  for (auto k : keys) list.append(list.empty() ? "" : ", ").append(k);
  return list;
}

void checkKeys(const Json& object, const std::string& where, Keys allowed) {
  for (const auto& [key, value] : object.items()) {
    bool known = false;
    for (auto a : allowed) known = known || a == key;
    if (!known) fail(child(where, key), cat("unknown key (allowed here: ", keyList(allowed), ")"));
  }
}

const Json& member(const Json& object, const std::string& where, std::string_view key) {
  const auto it = object.find(std::string(key));
  if (it == object.end()) fail(child(where, key), "missing");
  return *it;
}

std::string text(const Json& object, const std::string& where, std::string_view key) {
  const Json& v = member(object, where, key);
  const std::string at = child(where, key);
  if (!v.is_string()) fail(at, "expected a string");
  std::string s = v.get<std::string>();
  if (s.find_first_not_of(" \t\r\n") == std::string::npos) fail(at, "must not be empty");
  return s;
}

const Json& object(const Json& parent, const std::string& where, std::string_view key) {
  const Json& v = member(parent, where, key);
  if (!v.is_object()) fail(child(where, key), "expected an object");
  return v;
}

// A preset reader message ("runs[0].activation: ...", "data.noise: ...") re-addressed to the
// change it came from.
[[noreturn]] void rethrowAt(const JsonError& e, const LessonChange& change, int run) {
  const std::string message = e.what();
  const std::string runPrefix = cat("runs[", std::to_string(run), "]");
  if (run >= 0 && message.starts_with(runPrefix))
    throw JsonError(cat(change.where, ".set", message.substr(runPrefix.size())));
  if (message.starts_with("data.")) throw JsonError(cat(change.where, ".", message));
  throw JsonError(cat(change.where, ": ", message));
}

LessonChange readChange(const Json& v, const std::string& where) {
  if (!v.is_object()) fail(where, R"(expected an object like {"run": 0, "set": {...}})");
  checkKeys(v, where, kChangeKeys);
  LessonChange change;
  change.where = where;
  const bool hasSet = v.contains("set"), hasRun = v.contains("run");
  if (!hasSet && !v.contains("data")) fail(where, R"(needs "set" (with "run") or "data")");
  if (hasSet && !hasRun) fail(cat(where, ".run"), R"(missing (which run "set" applies to))");
  if (hasRun && !hasSet) fail(cat(where, ".set"), R"(missing ("run" needs something to set))");
  Json probe = Json::object();  // a preset holding just this change's values, to check them
  if (hasRun) {
    const Json& r = v["run"];
    if (!r.is_number_integer() || r.get<long long>() < 0 || r.get<long long>() >= kMaxRuns)
      fail(cat(where, ".run"), cat("expected a run index 0 to ", std::to_string(kMaxRuns - 1),
                                   " (got ", r.dump(), ")"));
    change.run = r.get<int>();
    const Json& set = object(v, where, "set");
    if (set.empty()) fail(cat(where, ".set"), "sets nothing");
    checkKeys(set, cat(where, ".set"), kRunKeys);
    change.set = set.dump();
    Json run = set;
    // Layer overrides are checked against the deepest network, since the real depth is only
    // known when the change meets its session.
    if (run.contains("layer_activations") && !run.contains("hidden"))
      run["hidden"] = std::vector<int>(static_cast<size_t>(kMaxDepth), 1);
    probe["runs"] = Json::array({run});
  }
  if (v.contains("data")) {
    const Json& data = object(v, where, "data");
    if (data.empty()) fail(cat(where, ".data"), "sets nothing");
    checkKeys(data, cat(where, ".data"), kDataKeys);
    change.data = data.dump();
    probe["data"] = data;
  }
  try {
    parsePreset(probe.dump());
  } catch (const JsonError& e) {
    rethrowAt(e, change, 0);
  }
  return change;
}

Lesson readLesson(const Json& v, const std::string& where) {
  if (!v.is_object()) fail(where, "expected a lesson object");
  checkKeys(v, where, kLessonKeys);
  Lesson lesson;
  lesson.id = text(v, where, "id");
  lesson.preset = text(v, where, "preset");
  lesson.title = text(v, where, "title");
  lesson.body = text(v, where, "body");
  lesson.watch = text(v, where, "watch");
  const std::string at = cat(where, ".try_next");
  const Json& next = object(v, where, "try_next");
  checkKeys(next, at, kTryNextKeys);
  lesson.tryNextLabel = text(next, at, "label");
  const Json& changes = member(next, at, "changes");
  if (!changes.is_array() || changes.empty())
    fail(cat(at, ".changes"), "expected a non-empty array of changes");
  for (size_t i = 0; i < changes.size(); ++i)
    lesson.changes.push_back(readChange(changes[i], cat(at, ".changes[", std::to_string(i), "]")));
  return lesson;
}

}  // namespace

std::vector<Lesson> parseLessons(std::string_view source, const std::string& sourceName) {
  Json root;
  try {
    root = Json::parse(source.begin(), source.end());
  } catch (const Json::parse_error& e) {
    // e.what(): "[json.exception.parse_error.101] parse error at line 3, column 14: ..."
    const std::string what = e.what();
    const auto at = what.find("at line ");
    throw JsonError(cat(sourceName, ": ", at == std::string::npos ? what : what.substr(at + 3)));
  }
  const std::string top = cat(sourceName, ": ");
  if (!root.is_object()) fail(top, R"(expected {"language": ..., "lessons": [...]})");
  checkKeys(root, top, kFileKeys);
  if (const auto it = root.find("language"); it != root.end() && !it->is_string())
    fail(child(top, "language"), "expected a string");
  const std::string where = child(top, "lessons");
  const auto it = root.find("lessons");
  if (it == root.end()) fail(where, "missing");
  if (!it->is_array() || it->empty()) fail(where, "expected a non-empty array of lessons");
  std::vector<Lesson> lessons;
  std::set<std::string> ids;
  for (size_t i = 0; i < it->size(); ++i) {
    const std::string at = cat(where, "[", std::to_string(i), "]");
    lessons.push_back(readLesson((*it)[i], at));
    if (!ids.insert(lessons.back().id).second)
      fail(cat(at, ".id"), cat("'", lessons.back().id, "' is used by an earlier lesson"));
  }
  return lessons;
}

std::vector<Lesson> loadLessons(const std::string& path) {
  return parseLessons(readTextFile(path), path);
}

SessionConfig applyTryNext(const SessionConfig& session, const Lesson& lesson) {
  Preset preset;
  preset.session = session;
  for (const LessonChange& change : lesson.changes) {
    // Round trip through the preset schema, so the change is read with the preset's own
    // rules and messages.
    Json doc = Json::parse(presetToJson(preset));
    if (change.run >= 0) {
      const int runs = static_cast<int>(preset.session.runs.size());
      if (change.run >= runs)
        fail(cat(change.where, ".run"),
             cat("run ", std::to_string(change.run), " does not exist (the session has ",
                 std::to_string(runs), runs == 1 ? " run)" : " runs)"));
      Json& run = doc["runs"][static_cast<size_t>(change.run)];
      const Json set = Json::parse(change.set);
      // A new activation takes its own default parameter, not the old one's (a Leaky ReLU
      // with sigmoid's parameter 0 would be a plain ReLU).
      if (set.contains("activation") && !set.contains("activation_param"))
        run.erase("activation_param");
      // A shallower network drops the overrides of layers it no longer has.
      if (set.contains("hidden") && !set.contains("layer_activations") &&
          run.contains("layer_activations") && set["hidden"].is_array()) {
        Json& layers = run["layer_activations"];
        for (auto it = layers.begin(); it != layers.end();)
          it = std::stoul(it.key()) > set["hidden"].size() ? layers.erase(it) : std::next(it);
        if (layers.empty()) run.erase("layer_activations");
      }
      for (const auto& [key, value] : set.items()) run[key] = value;
    }
    if (!change.data.empty()) {
      const Json data = Json::parse(change.data);
      for (const auto& [key, value] : data.items()) doc["data"][key] = value;
      if (data.contains("dataset")) doc["data"]["csv"] = nullptr;  // a built-in set replaces a CSV
    }
    try {
      preset = parsePreset(doc.dump());
    } catch (const JsonError& e) {
      rethrowAt(e, change, change.run);
    }
  }
  return preset.session;
}

std::string lessonNumber(const Lesson& lesson) {
  std::string n = lesson.id.substr(0, lesson.id.find('-'));
  const size_t digits = n.find_first_not_of('0');
  return digits == std::string::npos ? n : n.substr(std::min(digits, n.size() - 1));
}

std::vector<SessionConfig> lessonSessions(const SessionConfig& preset, const Lesson& lesson) {
  std::vector<SessionConfig> out{preset};
  if (!lesson.changes.empty()) {
    try {
      out.push_back(applyTryNext(preset, lesson));
    } catch (const std::exception&) {
      // A try-next that does not apply is reported when it is pressed (lesson_test checks that
      // every lesson's applies to its own preset).
    }
  }
  return out;
}

bool sessionIsLesson(const SessionConfig& session, const std::vector<SessionConfig>& lesson) {
  return std::any_of(lesson.begin(), lesson.end(), [&](const SessionConfig& c) {
    return c.data == session.data && c.runs == session.runs;
  });
}

}  // namespace gradscope
