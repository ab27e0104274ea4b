// Translations (see i18n.h).
#include "ui/i18n.h"

#include <nlohmann/json.hpp>

#include <fstream>
#include <map>
#include <set>
#include <sstream>

namespace gradscope::ui {
namespace {

std::map<std::string, std::string, std::less<>> g_text[2];
std::string g_korean;
Language g_language = Language::English;
std::set<std::string, std::less<>> g_untranslated;  // UI thread only, like every lookup

}  // namespace

std::string loadTranslationText(Language lang, std::string_view text) {
  const auto j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_object() || !j.contains("strings") || !j["strings"].is_object())
    return "not a translation file";
  auto& table = g_text[static_cast<int>(lang)];
  table.clear();
  for (const auto& [key, value] : j["strings"].items())
    if (value.is_string()) table[key] = value.get<std::string>();
  if (lang == Language::Korean) {
    g_korean.clear();
    for (const auto& [key, value] : table) g_korean += value;
  }
  return {};
}

std::string loadTranslations(const std::string& assetsDir) {
  std::string errors;
  const char* files[] = {"en.json", "ko.json"};
  for (int i = 0; i < 2; ++i) {
    const std::string path = assetsDir + "/i18n/" + files[i];
    std::ifstream in(path);
    if (!in) {
      errors += (errors.empty() ? "" : "; ") + path + ": cannot open";
      continue;
    }
    std::stringstream s;
    s << in.rdbuf();
    if (auto err = loadTranslationText(static_cast<Language>(i), s.str()); !err.empty())
      errors += (errors.empty() ? "" : "; ") + path + ": " + err;
  }
  return errors;
}

void setLanguage(Language l) { g_language = l; }
Language language() { return g_language; }

const char* trOr(std::string_view key, const char* fallback) {
  if (g_language != Language::English && !g_text[static_cast<int>(g_language)].contains(key) &&
      !g_untranslated.contains(key))
    g_untranslated.emplace(key);
  for (int lang : {static_cast<int>(g_language), 0}) {
    const auto& table = g_text[lang];
    if (const auto it = table.find(key); it != table.end()) return it->second.c_str();
  }
  return fallback;
}

const char* tr(std::string_view key) {
  const char* text = trOr(key, nullptr);
  if (text) return text;
  // Unknown key: show the key itself (stable storage so the pointer stays valid).
  static std::map<std::string, std::string, std::less<>> missing;
  auto it = missing.find(key);
  if (it == missing.end()) it = missing.emplace(std::string(key), std::string(key)).first;
  return it->second.c_str();
}

std::string trMessage(const Message& message) {
  return render(message,
                [](const Message& m) { return std::string(trOr(m.key, m.english.c_str())); });
}

std::string trId(std::string_view key) {
  std::string label(tr(key));
  label += "###";
  label += key;
  return label;
}

std::vector<std::string> untranslatedKeys() {
  return {g_untranslated.begin(), g_untranslated.end()};
}

const std::string& koreanText() { return g_korean; }

}  // namespace gradscope::ui
