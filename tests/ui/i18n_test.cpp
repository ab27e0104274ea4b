// Translations: lookup with English fallback, and the shipped files cover each other.
#include "ui/i18n.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>

namespace gradscope::ui {
namespace {

std::string read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(I18n, LooksUpWithEnglishFallback) {
  ASSERT_EQ(loadTranslationText(Language::English, R"({"strings": {"a": "apple", "b": "bear"}})"),
            "");
  ASSERT_EQ(loadTranslationText(Language::Korean, R"({"strings": {"a": "사과"}})"), "");
  setLanguage(Language::Korean);
  EXPECT_STREQ(tr("a"), "사과");
  EXPECT_STREQ(tr("b"), "bear");   // not translated: English
  EXPECT_STREQ(tr("zzz"), "zzz");  // unknown: the key
  EXPECT_STREQ(trOr("zzz", "fallback"), "fallback");
  setLanguage(Language::English);
  EXPECT_STREQ(tr("a"), "apple");
  EXPECT_EQ(koreanText(), "사과");
  EXPECT_NE(loadTranslationText(Language::English, "[1, 2]"), "");
}

TEST(I18n, ShippedFilesAgree) {
  const auto en = nlohmann::json::parse(read(GRADSCOPE_ASSETS_DIR "/i18n/en.json"));
  const auto ko = nlohmann::json::parse(read(GRADSCOPE_ASSETS_DIR "/i18n/ko.json"));
  // Every English tooltip and UI text has its Korean twin, with Hangul in it.
  for (const auto& [key, value] : en["strings"].items()) {
    ASSERT_TRUE(ko["strings"].contains(key)) << key;
    const std::string k = ko["strings"][key];
    bool hangul = false;
    for (size_t i = 0; i + 2 < k.size(); ++i)
      hangul |=
          static_cast<unsigned char>(k[i]) >= 0xEA && static_cast<unsigned char>(k[i]) <= 0xED;
    EXPECT_TRUE(hangul) << key << ": " << k;
  }
  EXPECT_EQ(loadTranslations(GRADSCOPE_ASSETS_DIR), "");
}

}  // namespace
}  // namespace gradscope::ui
