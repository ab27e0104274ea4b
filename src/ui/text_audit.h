// What the window shows in Latin letters, read back from a frame's draw data: every glyph quad
// of the font atlas is mapped back to its character and the characters are joined into words
// where the pen moved on by exactly the glyph's advance. In Korean, a Latin word that is not
// one the translations keep (ReLU, Adam, lr, Ctrl…) is text that bypassed the translation
// table; the window test reads the list from the state file.
#pragma once

#include <set>
#include <string>
#include <vector>

struct ImDrawData;
struct ImFont;

namespace gradscope::ui {

// The distinct words of two or more Latin letters (and '_') drawn in `data` with `font`, sorted,
// less the words in `kept`.
std::vector<std::string> latinWords(const ImDrawData& data, const ImFont& font,
                                    const std::set<std::string>& kept);

// The Latin words that stay as they are in Korean: those the Korean texts themselves contain,
// and the names and formulas of activations, optimizers and their PyTorch arguments, inits and
// losses.
std::set<std::string> keptLatinWords(const std::string& koreanText);

}  // namespace gradscope::ui
