// Translation coverage: every key the sources use has an English and a Korean text, every table
// entry the UI names (optimizers and their hyperparameters, inits, losses, norms, data sets,
// classes, slider formats) has a Korean one, a translated format takes the same arguments as
// the English, and no widget or text call shows an English literal that bypasses tr().
// The sources are scanned as text (comments and string literals told apart), so the test
// follows the code wherever a new string is added, whatever its formatting.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "core/dataset.h"
#include "core/dataset_idx.h"
#include "core/init.h"
#include "core/loss.h"
#include "core/norm.h"
#include "core/optimizer/optimizer.h"
#include "train/config_schema.h"

namespace gradscope {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

std::string read(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

Json strings(const char* language) {
  return Json::parse(read(fs::path(GRADSCOPE_ASSETS_DIR) / "i18n" / language))["strings"];
}

bool hasHangul(const std::string& s) {
  // U+AC00..U+D7A3 (syllables) start with the bytes EA..ED in UTF-8.
  for (size_t i = 0; i + 2 < s.size(); ++i)
    if (static_cast<unsigned char>(s[i]) >= 0xEA && static_cast<unsigned char>(s[i]) <= 0xED)
      return true;
  return false;
}

// One source file as code with its comments blanked and each string literal replaced by a
// placeholder `@N@`; the literals' contents (escapes resolved) in order.
struct Source {
  std::string path, code;
  std::vector<std::string> literals;
};

Source scan(const fs::path& path) {
  Source s{fs::relative(path, GRADSCOPE_SOURCE_DIR).string(), {}, {}};
  const std::string text = read(path);
  for (size_t i = 0; i < text.size();) {
    const char c = text[i];
    if (c == '/' && i + 1 < text.size() && text[i + 1] == '/') {
      while (i < text.size() && text[i] != '\n') ++i;
    } else if (c == '/' && i + 1 < text.size() && text[i + 1] == '*') {
      const size_t end = text.find("*/", i + 2);
      i = end == std::string::npos ? text.size() : end + 2;
      s.code += ' ';
    } else if (c == '\'') {
      s.code += c;
      for (++i; i < text.size() && text[i] != '\''; ++i) {
        if (text[i] == '\\') s.code += text[i++];
        s.code += text[i];
      }
      s.code += '\'';
      ++i;
    } else if (c == '"') {
      std::string lit;
      for (++i; i < text.size() && text[i] != '"'; ++i) {
        if (text[i] == '\\' && i + 1 < text.size()) {
          const char e = text[++i];
          lit += e == 'n' ? '\n' : e == 't' ? '\t' : e;
        } else {
          lit += text[i];
        }
      }
      ++i;
      // Adjacent literals ("a" "b") are one string.
      if (!s.code.empty() && s.code.back() == '@' && !s.literals.empty()) {
        size_t j = s.code.size() - 1;
        while (j > 0 && s.code[j - 1] != '@') --j;
        if (j > 0 && s.code.substr(j) == std::to_string(s.literals.size() - 1) + "@") {
          s.literals.back() += lit;
          continue;
        }
      }
      s.literals.push_back(lit);
      s.code += "@" + std::to_string(s.literals.size() - 1) + "@";
    } else {
      // Whitespace between adjacent literals must not separate them.
      if ((c == ' ' || c == '\n' || c == '\t') && !s.code.empty() && s.code.back() == '@') {
        size_t k = i;
        while (k < text.size() && (text[k] == ' ' || text[k] == '\n' || text[k] == '\t')) ++k;
        if (k < text.size() && text[k] == '"') {
          i = k;
          continue;
        }
      }
      s.code += c;
      ++i;
    }
  }
  return s;
}

std::vector<Source> sources() {
  std::vector<Source> out;
  for (const auto& e : fs::recursive_directory_iterator(GRADSCOPE_SOURCE_DIR)) {
    const auto ext = e.path().extension();
    if (e.is_regular_file() && (ext == ".cpp" || ext == ".h")) out.push_back(scan(e.path()));
  }
  EXPECT_GT(out.size(), 20u);
  return out;
}

// The literals inside the balanced parentheses that start at code[open] ('('); with
// `firstArgOnly`, those before the first top-level comma.
std::vector<int> literalsInCall(const std::string& code, size_t open, bool firstArgOnly) {
  std::vector<int> out;
  int depth = 0;
  for (size_t i = open; i < code.size(); ++i) {
    const char c = code[i];
    if (c == '(' || c == '[' || c == '{') ++depth;
    if (c == ')' || c == ']' || c == '}') {
      if (--depth == 0) break;
    }
    if (c == ',' && depth == 1 && firstArgOnly) break;
    if (c == '@') {
      const size_t end = code.find('@', i + 1);
      out.push_back(std::stoi(code.substr(i + 1, end - i - 1)));
      i = end;
    }
  }
  return out;
}

// Every call of one of `names` (a regex alternation) in `source`: its literals.
std::vector<std::vector<int>> calls(const Source& s, const std::string& names, bool firstArgOnly) {
  std::vector<std::vector<int>> out;
  const std::regex call("(?:^|[^A-Za-z0-9_:])(?:" + names + ")\\s*\\(");
  for (auto it = std::sregex_iterator(s.code.begin(), s.code.end(), call);
       it != std::sregex_iterator(); ++it) {
    const size_t open = static_cast<size_t>(it->position(0) + it->length(0) - 1);
    out.push_back(literalsInCall(s.code, open, firstArgOnly));
  }
  return out;
}

// A key's namespace ("tip" of "tip.play").
std::string prefix(const std::string& key) { return key.substr(0, key.find('.')); }

// The keys the sources use: literals inside tr()/trOr()/trId() calls (a literal ending in '.'
// is the prefix of a key built at run time), and any literal shaped like a key of a namespace
// the tables have (keys chosen before the call: tab("view.plane", ...), key = "title.images").
std::map<std::string, std::string> usedKeys(const std::vector<Source>& all, const Json& en) {
  std::set<std::string> namespaces;
  for (const auto& [key, value] : en.items()) namespaces.insert(prefix(key));
  const std::regex keyShape("[a-z_]+\\.[A-Za-z0-9_.\\-]*[A-Za-z0-9_]");
  const std::regex fileName("\\.(json|csv|png|mp4|gif|ttf|ttc)$");
  std::map<std::string, std::string> keys;  // key → file
  for (const auto& s : all) {
    for (const auto& lits : calls(s, "tr|trId", false))
      for (int i : lits)
        if (s.literals[static_cast<size_t>(i)].back() != '.')
          keys.emplace(s.literals[static_cast<size_t>(i)], s.path);
    for (const auto& lits : calls(s, "trOr", true))
      for (int i : lits)
        if (s.literals[static_cast<size_t>(i)].back() != '.')
          keys.emplace(s.literals[static_cast<size_t>(i)], s.path);
    if (s.path.rfind("ui/", 0) != 0) continue;  // elsewhere "view.horizon" is a JSON path
    for (const auto& lit : s.literals)
      if (std::regex_match(lit, keyShape) && namespaces.count(prefix(lit)) &&
          !std::regex_search(lit, fileName))
        keys.emplace(lit, s.path);
  }
  return keys;
}

// A printf format's conversions as "argument number:type" ("1:s", "2:ld"), sorted by argument;
// positional ("%2$d") and sequential ones alike. Text that is not a conversion is skipped.
std::vector<std::string> conversions(const std::string& f) {
  std::vector<std::pair<int, std::string>> out;
  int next = 1;
  for (size_t i = 0; i < f.size(); ++i) {
    if (f[i] != '%') continue;
    if (i + 1 < f.size() && f[i + 1] == '%') {
      ++i;
      continue;
    }
    size_t j = i + 1;
    int position = 0;
    size_t k = j;
    while (k < f.size() && std::isdigit(static_cast<unsigned char>(f[k]))) ++k;
    if (k > j && k < f.size() && f[k] == '$') position = std::stoi(f.substr(j, k - j)), j = k + 1;
    while (j < f.size() && std::string_view("-+ #0").find(f[j]) != std::string_view::npos) ++j;
    while (j < f.size() && (std::isdigit(static_cast<unsigned char>(f[j])) || f[j] == '.')) ++j;
    std::string length;
    while (j < f.size() && std::string_view("hlLqjzt").find(f[j]) != std::string_view::npos)
      length += f[j++];
    if (j >= f.size() || std::string_view("diouxXeEfFgGaAcsp").find(f[j]) == std::string_view::npos)
      continue;
    const char conv = f[j];
    const std::string type = std::string_view("eEfFgGaA").find(conv) != std::string_view::npos ? "f"
                             : conv == 's'                                                     ? "s"
                             : conv == 'c'                                                     ? "c"
                             : conv == 'p'                                                     ? "p"
                                           : length + "d";
    out.emplace_back(position > 0 ? position : next++, type);
    i = j;
  }
  std::sort(out.begin(), out.end());
  std::vector<std::string> result;
  for (const auto& [n, t] : out) result.push_back(std::to_string(n) + ":" + t);
  return result;
}

TEST(I18nCoverage, FormatConversionsAreParsed) {
  EXPECT_EQ(conversions("%s: loss %s, %.1f%% (%ld)"),
            (std::vector<std::string>{"1:s", "2:s", "3:f", "4:ld"}));
  EXPECT_EQ(conversions("%1$s: x = %3$s에서 %2$s"),
            (std::vector<std::string>{"1:s", "2:s", "3:s"}));
  EXPECT_EQ(conversions("100% 미만, 50%는"), std::vector<std::string>{});
}

TEST(I18nCoverage, EveryKeyInTheSourcesHasEnglishAndKorean) {
  const Json en = strings("en.json"), ko = strings("ko.json");
  const auto keys = usedKeys(sources(), en);
  // The scan sees the keys it must (a tr() call, a tab's key, a key chosen by a ternary).
  EXPECT_TRUE(keys.count("tip.play"));
  EXPECT_TRUE(keys.count("view.confusion"));
  EXPECT_TRUE(keys.count("title.images"));
  EXPECT_TRUE(keys.count("confusion.on_train"));
  EXPECT_GT(keys.size(), 150u);
  for (const auto& [key, file] : keys) {
    EXPECT_TRUE(en.contains(key)) << key << " (" << file << ") has no English text";
    ASSERT_TRUE(ko.contains(key)) << key << " (" << file << ") has no Korean text";
    EXPECT_TRUE(hasHangul(ko[key].get<std::string>())) << key << ": " << ko[key];
  }
}

TEST(I18nCoverage, EveryTableNameAndHelpTheUiShowsHasKorean) {
  const Json ko = strings("ko.json");
  std::vector<std::string> keys;
  for (const auto& o : optimizerTable()) {
    keys.push_back("opt." + std::string(o.key));
    for (const auto& p : o.params) keys.push_back("hp." + std::string(p.key));
  }
  for (const auto& i : initTable()) keys.push_back("init." + std::string(i.key));
  for (const auto& l : lossTable()) keys.push_back("loss_fn." + std::string(l.key));
  for (const auto& n : normTable()) keys.push_back("norm." + std::string(n.key));
  for (const auto& d : datasetTable()) {
    keys.push_back("data." + std::string(d.key));
    keys.push_back("data_tip." + std::string(d.key));
  }
  for (const auto& c : fashionMnistClasses()) keys.push_back("class." + std::string(c));
  for (const auto& key : keys) {
    ASSERT_TRUE(ko.contains(key)) << key << " has no Korean text";
    EXPECT_TRUE(hasHangul(ko[key].get<std::string>())) << key << ": " << ko[key];
  }
}

// The train layer words its run labels, divergence reasons and refusals as messages
// (train/message.h): said("key", "English format", args). Each key has a Korean text, with
// Hangul, taking the English's arguments; the keys built from a table (an init's short name in
// a label) have one for every row.
TEST(I18nCoverage, EveryMessageOfTheTrainLayerHasKorean) {
  const Json ko = strings("ko.json");
  std::map<std::string, std::string> said;  // key → English format
  for (const auto& s : sources()) {
    if (s.path.rfind("train/", 0) != 0 && s.path.rfind("core/", 0) != 0) continue;
    for (const auto& lits : calls(s, "said", false)) {
      if (lits.size() < 2) continue;
      const std::string& key = s.literals[static_cast<size_t>(lits[0])];
      if (key.back() == '.') continue;  // a key built from a table, checked below
      said.emplace(key, s.literals[static_cast<size_t>(lits[1])]);
    }
  }
  // The scan finds them: a label's word, a divergence reason, a refusal.
  EXPECT_TRUE(said.count("label.residual"));
  EXPECT_TRUE(said.count("diverge.initial"));
  EXPECT_TRUE(said.count("session.saved_weights"));
  for (const auto& [key, english] : said) {
    ASSERT_TRUE(ko.contains(key)) << key << " (\"" << english << "\") has no Korean text";
    EXPECT_TRUE(hasHangul(ko[key].get<std::string>())) << key << ": " << ko[key];
    EXPECT_EQ(conversions(ko[key].get<std::string>()), conversions(english)) << key;
  }
  for (const auto& i : initTable()) {
    const std::string key = "init_short." + std::string(i.key);
    ASSERT_TRUE(ko.contains(key)) << key << " has no Korean text";
    EXPECT_EQ(conversions(ko[key].get<std::string>()), conversions(std::string(i.shortName)));
  }
}

// A slider format with words ("%.0f training images") is shown as "fmt.<path>".
TEST(I18nCoverage, SliderFormatsWithWordsHaveKoreanWithTheSameConversion) {
  const Json ko = strings("ko.json");
  const FieldSpec* fields[] = {&field::Samples,      &field::TrainImages,    &field::Noise,
                               &field::TestFraction, &field::StepsPerSecond, &field::EvalEvery,
                               &field::Horizon,      &field::BiasInit,       &field::InitConstant,
                               &field::Batch,        &field::ClipNorm,       &field::Dropout};
  int worded = 0;
  for (const FieldSpec* f : fields) {
    const std::string format(f->format);
    if (!std::regex_search(format, std::regex("[A-Za-z]{2}"))) continue;
    ++worded;
    const std::string key = "fmt." + std::string(f->path);
    ASSERT_TRUE(ko.contains(key)) << key << " (" << format << ") has no Korean text";
    EXPECT_TRUE(hasHangul(ko[key].get<std::string>())) << key;
    EXPECT_EQ(conversions(ko[key]), conversions(format)) << key;
  }
  EXPECT_GE(worded, 4);
}

// A Korean format that takes other arguments than the English would print garbage or crash.
TEST(I18nCoverage, KoreanFormatsTakeTheEnglishArguments) {
  const Json en = strings("en.json"), ko = strings("ko.json");
  int formats = 0;
  for (const auto& [key, value] : en.items()) {
    if (!ko.contains(key)) continue;
    const auto want = conversions(value.get<std::string>());
    formats += !want.empty();
    EXPECT_EQ(conversions(ko[key].get<std::string>()), want) << key << ": " << ko[key];
  }
  EXPECT_GT(formats, 20);
}

// Literals with English words passed straight to a call that shows text: each one bypasses
// the translation table. The visible part of a label is what precedes "##"; math, units and
// names that stay as they are (activation and optimizer names, file formats) are allowed.
TEST(I18nCoverage, NoEnglishLiteralIsShownWithoutTr) {
  const std::string shows =
      "ImGui::Text|ImGui::TextDisabled|ImGui::TextWrapped|ImGui::TextColored|"
      "ImGui::TextUnformatted|ImGui::BulletText|ImGui::LabelText|ImGui::Button|"
      "ImGui::SmallButton|ImGui::Checkbox|ImGui::RadioButton|ImGui::Selectable|ImGui::MenuItem|"
      "ImGui::BeginMenu|ImGui::TreeNode|ImGui::CollapsingHeader|ImGui::BeginTabItem|"
      "ImGui::Begin|ImGui::BeginCombo|ImGui::SliderInt|ImGui::SliderFloat|ImGui::SliderScalar|"
      "ImGui::InputText|ImGui::SetTooltip|ImGui::BeginPopupModal|AddText|plot::begin|"
      "plot::setupAxis|plot::line|plot::lineG|plot::histogram|plot::text|plot::bars|tooltip|"
      "wrappedText|section|flowText|toast|show|fieldSlider|seriesLine|std::snprintf";
  // Words that are the same in every language here.
  const std::set<std::string> allowed = {
      "dL",        "dW", "dz",  "Ctrl", "PNG",     "CSV",   "MP4",    "GIF",  "H264",
      "ms",        "ns", "lr",  "ReLU", "Sigmoid", "Tanh",  "SGD",    "Adam", "PyTorch",
      "gradscope", "ln", "exp", "nan",  "inf",     "Space", "English"};
  // Formatted for the terminal (stdout) or the --state-file report, never drawn.
  const std::set<std::string> terminalOnly = {
      "%lld frames at %d fps, %d×%d, %s",
      "%lld output frames at %d fps in %.1f s: %lld pictures stored, %lld dropped (encoder busy)",
      "items %.0f px wider than the window", "items %.0f px taller than the window",
      "training capped at %.0f steps/s a run"};
  const std::regex word("[A-Za-z]{2,}");
  const auto keys = usedKeys(sources(), strings("en.json"));
  std::vector<std::string> bypass;
  for (const auto& s : sources()) {
    if (s.path.rfind("ui/", 0) != 0) continue;  // the window's code; cli/ prints to a terminal
    std::set<int> translated;  // literals that are keys (inside tr() or shaped like one)
    for (const auto& lits : calls(s, "tr|trId|trOr|tableName", false))
      translated.insert(lits.begin(), lits.end());
    for (size_t i = 0; i < s.literals.size(); ++i)
      if (keys.count(s.literals[i])) translated.insert(static_cast<int>(i));
    for (const auto& lits : calls(s, shows, false))
      for (int i : lits) {
        if (translated.count(i) || terminalOnly.count(s.literals[static_cast<size_t>(i)])) continue;
        std::string visible = s.literals[static_cast<size_t>(i)];
        visible = visible.substr(0, visible.find("##"));
        // printf conversions are not words ("%ld", "%.3g").
        visible = std::regex_replace(visible, std::regex("%[-+ #0-9.$]*[hlLqjzt]*[a-zA-Z]"), " ");
        for (auto w = std::sregex_iterator(visible.begin(), visible.end(), word);
             w != std::sregex_iterator(); ++w)
          if (!allowed.count(w->str())) {
            bypass.push_back(s.path + ": \"" + s.literals[static_cast<size_t>(i)] + "\"");
            break;
          }
      }
  }
  EXPECT_TRUE(bypass.empty()) << [&] {
    std::string list;
    for (const auto& b : bypass) list += "\n  " + b;
    return list;
  }();
}

}  // namespace
}  // namespace gradscope
