// Lesson files: both languages load and list the presets of assets/presets/ in order, every
// preset loads, every try-next button applies cleanly and changes something, the Korean texts
// are Korean, and a bad change is refused with its JSON path.
#include "train/lesson.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

namespace gradscope {
namespace {

namespace fs = std::filesystem;

const std::string kAssets = GRADSCOPE_ASSETS_DIR;

std::vector<std::string> presetNames() {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(kAssets + "/presets"))
    if (entry.path().extension() == ".json") names.push_back(entry.path().stem().string());
  std::sort(names.begin(), names.end());  // "08-…" before "08b-…": '-' < 'b'
  return names;
}

Preset presetOf(const Lesson& lesson) {
  return loadPreset(kAssets + "/presets/" + lesson.preset + ".json");
}

// True if the UTF-8 text holds a Hangul syllable (U+AC00 … U+D7A3).
bool hasHangul(const std::string& text) {
  for (size_t i = 0; i + 2 < text.size(); ++i) {
    const auto b0 = static_cast<unsigned char>(text[i]);
    if ((b0 & 0xF0) != 0xE0) continue;
    const unsigned cp = ((b0 & 0x0Fu) << 12) |
                        ((static_cast<unsigned char>(text[i + 1]) & 0x3Fu) << 6) |
                        (static_cast<unsigned char>(text[i + 2]) & 0x3Fu);
    if (cp >= 0xAC00 && cp <= 0xD7A3) return true;
  }
  return false;
}

std::string lessonError(const std::string& text) {
  try {
    parseLessons(text, "test.json");
  } catch (const JsonError& e) {
    return e.what();
  }
  return {};
}

// One lesson around a single change object.
std::string withChange(const std::string& change) {
  return R"({"language": "English", "lessons": [{"id": "a", "preset": "a", "title": "t",
    "body": "b", "watch": "w", "try_next": {"label": "l", "changes": [)" +
         change + "]}}]}";
}

TEST(Lessons, BothLanguagesListThePresetsInOrder) {
  const auto names = presetNames();
  ASSERT_EQ(names.size(), 18u);
  EXPECT_EQ(names.front(), "01-deep-sigmoid");
  EXPECT_EQ(names.back(), "17-images-init");
  for (const char* language : {"en", "ko"}) {
    SCOPED_TRACE(language);
    const auto lessons = loadLessons(kAssets + "/lessons/" + language + ".json");
    ASSERT_EQ(lessons.size(), names.size());
    for (size_t i = 0; i < names.size(); ++i) {
      EXPECT_EQ(lessons[i].id, names[i]);
      EXPECT_EQ(lessons[i].preset, names[i]);
    }
  }
}

TEST(Lessons, AreNumberedAsTheirTextsReferToThem) {
  const auto lessons = loadLessons(kAssets + "/lessons/en.json");
  std::vector<std::string> numbers;
  for (const auto& l : lessons) numbers.push_back(lessonNumber(l));
  EXPECT_EQ(numbers, (std::vector<std::string>{"1", "2", "3", "4", "5", "6", "7", "8", "8b", "9",
                                               "10", "11", "12", "13", "14", "15", "16", "17"}));
}

// A lesson unfolds on screen by itself: its speed cap and horizon make training pause after
// about 30 seconds, at the step its claim test checks.
TEST(Lessons, EveryPresetLoadsWithATitleAndUnfoldsOverAboutThirtySeconds) {
  for (const auto& name : presetNames()) {
    SCOPED_TRACE(name);
    const Preset p = loadPreset(kAssets + "/presets/" + name + ".json");
    EXPECT_FALSE(p.title.empty());
    EXPECT_FALSE(p.description.empty());
    EXPECT_EQ(p.session.speed, SpeedMode::Capped);
    ASSERT_GT(p.session.view.horizon, 0);
    const double seconds = static_cast<double>(p.session.view.horizon) / p.session.stepsPerSecond;
    EXPECT_GE(seconds, 20.0);
    EXPECT_LE(seconds, 40.0);
    EXPECT_TRUE(validateSession(p.session).empty());
  }
}

TEST(Lessons, LessonOneComparesSigmoidAndReluFromTheSameWeights) {
  // The app opens on lesson 1: compare mode, sigmoid and ReLU differing in nothing else.
  const Preset p = loadPreset(kAssets + "/presets/01-deep-sigmoid.json");
  ASSERT_EQ(p.session.runs.size(), 2u);
  EXPECT_EQ(p.session.runs[0].activation.activation, Activation::Sigmoid);
  EXPECT_EQ(p.session.runs[1].activation.activation, Activation::ReLU);
  RunConfig relu = p.session.runs[1];
  relu.activation = p.session.runs[0].activation;
  relu.label = p.session.runs[0].label;
  EXPECT_EQ(relu, p.session.runs[0]);
  EXPECT_EQ(p.session.runs[0].init, Init::HeNormal);
  EXPECT_EQ(p.session.runs[0].hidden, std::vector<int>(10, 10));
  EXPECT_EQ(p.session.runs[0].optimizer.kind, OptimizerKind::SGD);
}

TEST(Lessons, EveryTryNextAppliesCleanlyAndChangesTheSession) {
  for (const char* language : {"en", "ko"}) {
    for (const Lesson& lesson : loadLessons(kAssets + "/lessons/" + language + ".json")) {
      SCOPED_TRACE(std::string(language) + " " + lesson.id);
      const Preset p = presetOf(lesson);
      SessionConfig changed;
      ASSERT_NO_THROW(changed = applyTryNext(p.session, lesson));
      EXPECT_NE(changed, p.session);
      EXPECT_TRUE(validateSession(changed).empty());
      // Applying it twice changes nothing more: the button is safe to press again.
      EXPECT_EQ(applyTryNext(changed, lesson), changed);
    }
  }
}

// The Lessons tab tells the learner when the session is not the lesson shown: each lesson's
// sessions are its preset's and its try-next's; another lesson's, or a changed activation or
// depth, is not. A new seed, speed or view is still the lesson.
TEST(Lessons, ASessionIsTheLessonUntilItsRunsOrDataChange) {
  const auto lessons = loadLessons(kAssets + "/lessons/en.json");
  ASSERT_GE(lessons.size(), 3u);
  std::vector<std::vector<SessionConfig>> sessions;
  for (const Lesson& lesson : lessons) {
    sessions.push_back(lessonSessions(presetOf(lesson).session, lesson));
    EXPECT_EQ(sessions.back().size(), 2u) << lesson.id;  // every lesson has a try-next
  }
  for (size_t i = 0; i < lessons.size(); ++i) {
    SCOPED_TRACE(lessons[i].id);
    const SessionConfig preset = presetOf(lessons[i]).session;
    EXPECT_TRUE(sessionIsLesson(preset, sessions[i]));
    EXPECT_TRUE(sessionIsLesson(applyTryNext(preset, lessons[i]), sessions[i]));
    SessionConfig same = preset;
    same.seed += 7;
    same.speed = SpeedMode::Unlimited;
    same.view.layer = 1;
    EXPECT_TRUE(sessionIsLesson(same, sessions[i]));
    for (size_t j = 0; j < lessons.size(); ++j) {
      if (j != i && presetOf(lessons[j]).session.runs != preset.runs) {
        EXPECT_FALSE(sessionIsLesson(preset, sessions[j])) << lessons[j].id;
      }
    }
    SessionConfig activation = preset;
    activation.runs[0].activation = {activation.runs[0].activation.activation == Activation::Tanh
                                         ? Activation::ELU
                                         : Activation::Tanh,
                                     0.0};
    EXPECT_FALSE(sessionIsLesson(activation, sessions[i]));
    SessionConfig depth = preset;
    depth.runs[0].hidden.push_back(depth.runs[0].hidden.back());
    EXPECT_FALSE(sessionIsLesson(depth, sessions[i]));
  }
}

TEST(Lessons, BothLanguagesOfferTheSameChanges) {
  const auto en = loadLessons(kAssets + "/lessons/en.json");
  const auto ko = loadLessons(kAssets + "/lessons/ko.json");
  ASSERT_EQ(en.size(), ko.size());
  for (size_t i = 0; i < en.size(); ++i) {
    SCOPED_TRACE(en[i].id);
    const Preset p = presetOf(en[i]);
    EXPECT_EQ(applyTryNext(p.session, en[i]), applyTryNext(p.session, ko[i]));
  }
}

TEST(Lessons, KoreanTextsAreKorean) {
  for (const Lesson& l : loadLessons(kAssets + "/lessons/ko.json")) {
    SCOPED_TRACE(l.id);
    for (const std::string* text : {&l.title, &l.body, &l.watch, &l.tryNextLabel})
      EXPECT_TRUE(hasHangul(*text)) << *text;
  }
  for (const Lesson& l : loadLessons(kAssets + "/lessons/en.json"))
    EXPECT_FALSE(hasHangul(l.title + l.body + l.watch + l.tryNextLabel)) << l.id;
}

TEST(Lessons, TheSecondLessonStatesTheArithmetic) {
  for (const char* language : {"en", "ko"}) {
    const auto lessons = loadLessons(kAssets + "/lessons/" + language + ".json");
    EXPECT_NE(lessons[1].body.find("0.25¹⁰ ≈ 9.5e-7"), std::string::npos) << language;
  }
}

TEST(Lessons, ChangesKeepWhatTheyDoNotName) {
  const auto lessons = loadLessons(kAssets + "/lessons/en.json");
  const Preset p = presetOf(lessons[0]);
  const SessionConfig c = applyTryNext(p.session, lessons[0]);
  EXPECT_EQ(c.runs[0].activation.activation, Activation::ReLU);
  EXPECT_EQ(c.runs[0].label, "Sigmoid → ReLU");  // so the legend says what changed
  EXPECT_EQ(c.runs[0].init, p.session.runs[0].init);
  EXPECT_EQ(c.runs[0].hidden, p.session.runs[0].hidden);
  EXPECT_EQ(c.runs[0].optimizer, p.session.runs[0].optimizer);
  EXPECT_EQ(c.runs[1], p.session.runs[1]);
  EXPECT_EQ(c.data, p.session.data);
  EXPECT_EQ(c.panels, p.session.panels);
}

TEST(Lessons, ANewActivationTakesItsOwnDefaultParameter) {
  // Sigmoid's parameter is 0; carried over, Leaky ReLU's slope would be 0 (a plain ReLU).
  const auto lessons =
      parseLessons(withChange(R"({"run": 0, "set": {"activation": "leaky_relu"}})"));
  SessionConfig s;  // one sigmoid run
  const SessionConfig c = applyTryNext(s, lessons[0]);
  EXPECT_EQ(c.runs[0].activation.activation, Activation::LeakyReLU);
  EXPECT_EQ(c.runs[0].activation.param, activationInfo(Activation::LeakyReLU).paramDefault);
  const auto explicitParam = parseLessons(
      withChange(R"({"run": 0, "set": {"activation": "leaky_relu", "activation_param": 0.3}})"));
  EXPECT_EQ(applyTryNext(s, explicitParam[0]).runs[0].activation.param, 0.3);
}

TEST(Lessons, DataChangesMergeKeyByKey) {
  const auto lessons = parseLessons(withChange(R"({"data": {"dataset": "spiral"}})"));
  SessionConfig s;
  s.data.samples = 123;
  const SessionConfig c = applyTryNext(s, lessons[0]);
  EXPECT_EQ(c.data.kind, DatasetKind::Spiral);
  EXPECT_EQ(c.data.samples, 123);
}

TEST(Lessons, BadChangesAreRefusedWithTheirPath) {
  EXPECT_EQ(lessonError(withChange(R"({"run": 0, "set": {"activaton": "relu"}})")),
            "test.json: lessons[0].try_next.changes[0].set.activaton: unknown key (allowed here: "
            "label, hidden, activation, activation_param, layer_activations, init, init_constant, "
            "bias_init, loss, optimizer, batch, norm, residual, clip_norm, dropout)");
  EXPECT_EQ(
      lessonError(withChange(R"({"run": 0, "set": {"activation": "rleu"}})"))
          .rfind("test.json: lessons[0].try_next.changes[0].set.activation: 'rleu' is not one of",
                 0),
      0u);
  EXPECT_EQ(
      lessonError(withChange(R"({"run": 0, "set": {"optimizer": {"name": "adam", "lr": -1}}})"))
          .rfind("test.json: lessons[0].try_next.changes[0].set.optimizer.lr: ", 0),
      0u);
  EXPECT_EQ(lessonError(withChange(R"({"data": {"noise": 2}})")),
            "test.json: lessons[0].try_next.changes[0].data.noise: must be 0 to 1 (got 2)");
  EXPECT_EQ(lessonError(withChange(R"({"data": {"csv": "x.csv"}})")),
            "test.json: lessons[0].try_next.changes[0].data.csv: unknown key (allowed here: "
            "dataset, samples, noise, test_fraction)");
  EXPECT_EQ(lessonError(withChange(R"({"run": 0, "sett": {}})")),
            "test.json: lessons[0].try_next.changes[0].sett: unknown key (allowed here: run, set, "
            "data)");
  EXPECT_EQ(
      lessonError(withChange(R"({"set": {"activation": "relu"}})")),
      "test.json: lessons[0].try_next.changes[0].run: missing (which run \"set\" applies to)");
  EXPECT_EQ(lessonError(withChange(R"({"run": 4, "set": {"activation": "relu"}})")),
            "test.json: lessons[0].try_next.changes[0].run: expected a run index 0 to 3 (got 4)");
  EXPECT_EQ(lessonError(withChange(R"({"run": 0, "set": {}})")),
            "test.json: lessons[0].try_next.changes[0].set: sets nothing");
  EXPECT_EQ(lessonError(withChange("{}")),
            "test.json: lessons[0].try_next.changes[0]: needs \"set\" (with \"run\") or \"data\"");
}

TEST(Lessons, BadLessonsAreRefusedWithTheirPath) {
  EXPECT_EQ(lessonError("[]"), "test.json: expected {\"language\": ..., \"lessons\": [...]}");
  EXPECT_EQ(lessonError(R"({"lesons": []})"),
            "test.json: lesons: unknown key (allowed here: language, lessons)");
  EXPECT_EQ(lessonError(R"({"lessons": []})"),
            "test.json: lessons: expected a non-empty array of lessons");
  EXPECT_EQ(lessonError(R"({"lessons": [{"id": "a"}]})"), "test.json: lessons[0].preset: missing");
  std::string twice = withChange(R"({"run": 0, "set": {"init": "he_normal"}})");
  const std::string one =
      twice.substr(twice.find("{\"id\""), twice.rfind(']') - twice.find("{\"id\""));
  twice.insert(twice.rfind(']'), ", " + one);
  EXPECT_EQ(lessonError(twice), "test.json: lessons[1].id: 'a' is used by an earlier lesson");
  EXPECT_EQ(lessonError(R"({"lessons": [{"id": "a", "preset": "a", "title": " ", "body": "b",
                           "watch": "w", "try_next": {"label": "l", "changes": []}}]})"),
            "test.json: lessons[0].title: must not be empty");
  EXPECT_EQ(lessonError("{\"lessons\": [}").rfind("test.json: line 1, column 14: syntax error", 0),
            0u);
}

TEST(Lessons, ARunTheSessionDoesNotHaveIsRefusedWhenApplied) {
  const auto lessons =
      parseLessons(withChange(R"({"run": 2, "set": {"activation": "relu"}})"), "en.json");
  SessionConfig s;  // one run
  try {
    applyTryNext(s, lessons[0]);
    FAIL() << "applied a change to a missing run";
  } catch (const JsonError& e) {
    EXPECT_STREQ(e.what(),
                 "en.json: lessons[0].try_next.changes[0].run: run 2 does not exist (the session "
                 "has 1 run)");
  }
}

TEST(Lessons, AValueThatDoesNotFitTheSessionIsRefusedWhenApplied) {
  // A lone activation_param is read against the run's own activation, known only when applied.
  const auto lessons =
      parseLessons(withChange(R"({"run": 0, "set": {"activation_param": 5}})"), "en.json");
  SessionConfig s;
  s.runs[0].activation = {Activation::LeakyReLU, 0.01};
  try {
    applyTryNext(s, lessons[0]);
    FAIL() << "a Leaky ReLU slope of 5 was accepted";
  } catch (const JsonError& e) {
    EXPECT_EQ(std::string(e.what()).rfind(
                  "en.json: lessons[0].try_next.changes[0].set.activation_param: Leaky ReLU", 0),
              0u)
        << e.what();
  }
}

TEST(Lessons, AShallowerNetworkDropsTheOverridesOfLostLayers) {
  const auto lessons = parseLessons(withChange(R"({"run": 0, "set": {"hidden": [4, 4]}})"));
  SessionConfig s;  // ten layers
  s.runs[0].layerActivations[1] = {Activation::ReLU, 0};
  s.runs[0].layerActivations[7] = {Activation::ReLU, 0};
  const SessionConfig c = applyTryNext(s, lessons[0]);
  EXPECT_EQ(c.runs[0].hidden, (std::vector<int>{4, 4}));
  ASSERT_EQ(c.runs[0].layerActivations.size(), 1u);
  EXPECT_TRUE(c.runs[0].layerActivations.contains(1));
}

TEST(Lessons, UnreadableFilesNameThePath) {
  try {
    loadLessons(kAssets + "/lessons/nope.json");
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("nope.json: cannot open"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace gradscope
