// English and Korean UI texts (tooltips, lesson texts live in assets/, not in code): a key
// maps to the current language's text, falling back to English, then to the key itself.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "train/message.h"

namespace gradscope::ui {

enum class Language : std::uint8_t { English, Korean };

// Loads assets/i18n/en.json and ko.json from `assetsDir`; returns an empty string or what
// went wrong (the app then shows the keys' English fallbacks).
std::string loadTranslations(const std::string& assetsDir);
// Parses one language's file text (the pure part, unit-tested).
std::string loadTranslationText(Language language, std::string_view json);

void setLanguage(Language language);
Language language();

// The text for `key` in the current language (stable pointer until the next load).
const char* tr(std::string_view key);
// The text for `key`, or `fallback` when no language has it (tables' English help texts).
const char* trOr(std::string_view key, const char* fallback);

// A message of the train layer (a run label, a divergence reason, a refusal) in the current
// language: each key's text, its English where a language lacks it.
std::string trMessage(const Message& message);

// "text###key": the current language's text as a widget or window label whose ImGui ID is the
// key, so the widget keeps its state (open, selected, focused) when the language changes.
std::string trId(std::string_view key);

// The keys looked up while Korean was on that Korean lacks (tr/trOr showed English, the key
// or the fallback instead), sorted: what a Korean user saw untranslated so far.
std::vector<std::string> untranslatedKeys();

// Every Korean string, concatenated: the glyphs the Hangul font must contain.
const std::string& koreanText();

}  // namespace gradscope::ui
