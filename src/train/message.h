// A text the train layer hands to whoever shows it, in no language yet: a key and its
// arguments, with the English beside them. The app looks the key up in its translations
// (assets/i18n/<language>.json, the English here the fallback); `gradscope train`, bench and
// the tests read the English. So a run label, a divergence reason or a refusal is worded once,
// where it is made, and shown in the user's language.
//
//   said("diverge.lr", "diverged at step %1$s: %2$s — lower the learning rate",
//        {verbatim("12"), said("diverge.loss", "loss is %1$s", {verbatim("nan")})})
//
// Formats take only strings: "%1$s" … "%9$s" (a translation may reorder them) or "%s" in turn;
// "%%" is a percent sign.
#pragma once

#include <functional>
#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

namespace gradscope {

struct Message {
  // A key of the translations; "" for text shown alike in every language (a number, a name, a
  // path, a label the user typed): `english` as it is, or, with args, the args joined by it.
  std::string key;
  std::string english;        // the English format (key "": the text or the separator)
  std::vector<Message> args;  // what the format's %N$s stand for

  bool empty() const { return key.empty() && english.empty() && args.empty(); }
  bool operator==(const Message&) const = default;
};

Message said(std::string key, std::string english, std::vector<Message> args = {});
Message verbatim(std::string text);
// The parts joined by `separator` (in every language), e.g. a label's "ReLU, Xavier".
Message joined(std::vector<Message> parts, std::string separator);

// A message's format in some language: the English, or a translation of m.key.
using MessageFormat = std::function<std::string(const Message& m)>;

// The text of `m`, each message (arguments too) formatted by `format`.
std::string render(const Message& m, const MessageFormat& format);
// The text of `m` in English.
std::string english(const Message& m);
// `format` with its conversions replaced by `args` (the pure part of render).
std::string substitute(std::string_view format, const std::vector<std::string>& args);

std::ostream& operator<<(std::ostream& out, const Message& m);  // the English

}  // namespace gradscope
