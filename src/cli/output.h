// What the subcommands write files with: a file that appears only when complete, and floats
// as the shortest text that reads back as the same float.
#pragma once

#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <string_view>

#include "cli/text.h"

namespace gradscope::cli {

// A file written under a temporary name beside its final one and renamed into place by
// commit(), so a failed or interrupted command leaves no partial file behind.
class PendingFile {
 public:
  explicit PendingFile(std::string path)
      : m_path(std::move(path)), m_temp(cat(m_path, ".tmp", std::to_string(::getpid()))) {
    m_out.open(m_temp, std::ios::binary | std::ios::trunc);
    if (!m_out)
      throw std::runtime_error(cat("cannot write '", m_path, "' (", std::strerror(errno), ")"));
  }
  PendingFile(const PendingFile&) = delete;
  PendingFile& operator=(const PendingFile&) = delete;
  ~PendingFile() { discard(); }

  const std::string& path() const { return m_path; }
  void write(std::string_view text) {
    m_out.write(text.data(), static_cast<std::streamsize>(text.size()));
  }
  void commit() {
    m_out.close();
    if (m_out.fail())
      throw std::runtime_error(cat("cannot write '", m_path, "' (", std::strerror(errno), ")"));
    std::error_code ec;
    std::filesystem::rename(m_temp, m_path, ec);
    if (ec) throw std::runtime_error(cat("cannot write '", m_path, "' (", ec.message(), ")"));
    m_done = true;
  }
  void discard() {
    if (m_done) return;
    m_out.close();
    std::remove(m_temp.c_str());
    m_done = true;
  }

 private:
  std::string m_path, m_temp;
  std::ofstream m_out;
  bool m_done = false;
};

inline void appendFloat(std::string& line, float v) {
  char buf[32];
  const auto res = std::to_chars(buf, buf + sizeof buf, v);
  line.append(buf, res.ptr);
}

}  // namespace gradscope::cli
