// Latin words on screen (see text_audit.h).
#include "ui/text_audit.h"

#include <imgui.h>

#include <array>
#include <cmath>
#include <map>

#include "core/activation.h"
#include "core/init.h"
#include "core/loss.h"
#include "core/optimizer/optimizer.h"

namespace gradscope::ui {
namespace {

// Letters and '_' (weight_decay is one word).
bool latin(unsigned c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }

void addWords(std::string_view text, std::set<std::string>& out) {
  std::string word;
  for (char c : text) {
    if (latin(static_cast<unsigned char>(c))) {
      word += c;
      continue;
    }
    if (word.size() >= 2) out.insert(word);
    word.clear();
  }
  if (word.size() >= 2) out.insert(word);
}

}  // namespace

std::vector<std::string> latinWords(const ImDrawData& data, const ImFont& font,
                                    const std::set<std::string>& kept) {
  std::map<std::array<float, 4>, const ImFontGlyph*> byUv;
  for (const ImFontGlyph& g : font.Glyphs)
    if (g.Visible && g.X1 > g.X0) byUv.emplace(std::array{g.U0, g.V0, g.U1, g.V1}, &g);
  std::set<std::string> found;
  for (int l = 0; l < data.CmdListsCount; ++l) {
    const ImVector<ImDrawVert>& v = data.CmdLists[l]->VtxBuffer;
    std::string word;
    float nextPen = NAN, lineTop = NAN;
    const auto flush = [&] {
      if (word.size() >= 2 && !kept.count(word)) found.insert(word);
      word.clear();
    };
    for (int i = 0; i + 3 < v.Size;) {
      // ImFont::RenderText writes a glyph as 4 vertices: (x0,y0) (x1,y0) (x1,y1) (x0,y1) with
      // the glyph's UV rectangle; other shapes use the atlas' white pixel or line UVs.
      const ImDrawVert &a = v[i], &b = v[i + 1], &c = v[i + 2], &d = v[i + 3];
      const auto it = byUv.find(std::array{a.uv.x, a.uv.y, c.uv.x, c.uv.y});
      if (it == byUv.end() || b.uv.x != c.uv.x || b.uv.y != a.uv.y || d.uv.x != a.uv.x ||
          d.uv.y != c.uv.y) {
        flush();
        nextPen = NAN;
        ++i;
        continue;
      }
      const ImFontGlyph& g = *it->second;
      const float scale = (c.pos.x - a.pos.x) / (g.X1 - g.X0);
      const float pen = a.pos.x - g.X0 * scale, top = a.pos.y - g.Y0 * scale;
      // A space is not drawn: the pen moved on further than the last glyph's advance.
      if (!(std::abs(pen - nextPen) < 0.5f && std::abs(top - lineTop) < 0.5f)) flush();
      if (latin(g.Codepoint))
        word += static_cast<char>(g.Codepoint);
      else
        flush();
      nextPen = pen + g.AdvanceX * scale;
      lineTop = top;
      i += 4;
    }
    flush();
  }
  return {found.begin(), found.end()};
}

std::set<std::string> keptLatinWords(const std::string& koreanText) {
  std::set<std::string> out;
  addWords(koreanText, out);
  for (const auto& a : activationTable()) {
    addWords(a.name, out);
    addWords(a.formula, out);
    addWords(a.paramName, out);
  }
  for (const auto& o : optimizerTable()) {
    addWords(o.name, out);
    for (const auto& p : o.params) {
      addWords(p.torchName, out);
      addWords(p.key, out);
      for (auto choice : p.choices) addWords(choice, out);
    }
  }
  for (const auto& i : initTable()) {
    addWords(i.shortName, out);
    addWords(i.formula, out);
  }
  for (const auto& l : lossTable()) addWords(l.formula, out);
  return out;
}

}  // namespace gradscope::ui
