// Messages in no language yet (see message.h).
#include "train/message.h"

#include <ostream>

namespace gradscope {

Message said(std::string key, std::string english, std::vector<Message> args) {
  return {std::move(key), std::move(english), std::move(args)};
}

Message verbatim(std::string text) { return {{}, std::move(text), {}}; }

Message joined(std::vector<Message> parts, std::string separator) {
  if (parts.size() == 1) return std::move(parts.front());
  return {{}, std::move(separator), std::move(parts)};
}

std::string substitute(std::string_view format, const std::vector<std::string>& args) {
  std::string out;
  size_t next = 0;  // the argument a plain %s takes
  for (size_t i = 0; i < format.size(); ++i) {
    if (format[i] != '%' || i + 1 >= format.size()) {
      out += format[i];
      continue;
    }
    const char c = format[i + 1];
    if (c == '%') {
      out += '%';
      ++i;
    } else if (c == 's') {
      if (next < args.size()) out += args[next];
      ++next;
      ++i;
    } else if (c >= '1' && c <= '9' && i + 3 < format.size() && format[i + 2] == '$' &&
               format[i + 3] == 's') {
      const size_t n = static_cast<size_t>(c - '1');
      if (n < args.size()) out += args[n];
      i += 3;
    } else {
      out += '%';  // not a conversion these formats use: shown as written
    }
  }
  return out;
}

std::string render(const Message& m, const MessageFormat& format) {
  if (m.key.empty()) {
    if (m.args.empty()) return m.english;
    std::string out;
    for (size_t i = 0; i < m.args.size(); ++i)
      out += (i == 0 ? "" : m.english) + render(m.args[i], format);
    return out;
  }
  std::vector<std::string> args;
  args.reserve(m.args.size());
  for (const Message& a : m.args) args.push_back(render(a, format));
  return substitute(format(m), args);
}

std::string english(const Message& m) {
  return render(m, [](const Message& x) { return x.english; });
}

std::ostream& operator<<(std::ostream& out, const Message& m) { return out << english(m); }

}  // namespace gradscope
