// Lessons: the classic experiments of the course material, one click away. A lesson is text
// (title, body, what to watch) plus the name of its preset in assets/presets/ and a "try next"
// button whose changes are applied to the running session. The texts live in
// assets/lessons/<language>.json so a translator never touches code:
//
//   {
//     "language": "English",
//     "lessons": [{
//       "id": "01-deep-sigmoid",            // unique; the same ids, in the same order, in
//       "preset": "01-deep-sigmoid",        //   every language's file
//       "title": "...", "body": "...", "watch": "...",
//       "try_next": {
//         "label": "Switch the sigmoid run to ReLU",
//         "changes": [{"run": 0, "set": {"activation": "relu"}},   // preset run keys
//                     {"data": {"dataset": "circle"}}]              // preset data keys
//       }
//     }, ...]
//   }
//
// A change's "set" takes the preset schema's run keys (config_json.h) and replaces those
// values whole: "optimizer": {"name": "adam"} means Adam with PyTorch's defaults, not the old
// optimizer's hyperparameters. Setting "activation" without "activation_param" gives the new
// activation its default parameter. "data" takes dataset, samples, noise and test_fraction.
#pragma once

#include <string>
#include <vector>

#include "train/config_json.h"
#include "train/run_config.h"

namespace gradscope {

struct LessonChange {
  int run = -1;       // the run "set" applies to; -1 when the change has no "set"
  std::string set;    // the "set" object as compact JSON ("" if none)
  std::string data;   // the "data" object as compact JSON ("" if none)
  std::string where;  // file and JSON path, for messages: "ko.json: lessons[3].try_next.changes[0]"

  bool operator==(const LessonChange&) const = default;
};

struct Lesson {
  std::string id;
  std::string preset;  // a preset name: assets/presets/<preset>.json
  std::string title;
  std::string body;
  std::string watch;
  std::string tryNextLabel;
  std::vector<LessonChange> changes;

  bool operator==(const Lesson&) const = default;
};

// The number the lessons' texts refer to a lesson by: its id's prefix without leading zeros,
// "01-deep-sigmoid" → "1", "08b-optimizers" → "8b"; the list shows "1 · Deep sigmoid on XOR".
std::string lessonNumber(const Lesson& lesson);

// Reads and validates a lessons file: structure, unknown keys, non-empty texts, unique ids, and
// every change's keys and values (as the preset schema reads them). Throws JsonError whose
// message starts with the path and the JSON path ("en.json: lessons[2].try_next.changes[0].set.
// activaton: unknown key (allowed here: ...)"); std::runtime_error if the file cannot be read.
std::vector<Lesson> loadLessons(const std::string& path);
// The same from text; `sourceName` starts the messages.
std::vector<Lesson> parseLessons(std::string_view text, const std::string& sourceName = "lessons");

// `session` with the lesson's try-next changes applied, validated like a preset. Throws
// JsonError naming the change ("en.json: lessons[0].try_next.changes[0].run: run 2 does not
// exist (the session has 2 runs)"). The result keeps everything the changes do not name.
SessionConfig applyTryNext(const SessionConfig& session, const Lesson& lesson);

// The sessions that are `lesson`'s experiment: its preset's (`preset`), and that one after
// the lesson's try-next changes (when they apply).
std::vector<SessionConfig> lessonSessions(const SessionConfig& preset, const Lesson& lesson);
// Whether `session` is one of `lessonSessions`: the same data and runs. The seed may differ
// (Reseed shows the same lesson on new data), and so may the speed, the panels and the view.
bool sessionIsLesson(const SessionConfig& session, const std::vector<SessionConfig>& lesson);

}  // namespace gradscope
