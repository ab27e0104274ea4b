// Watched runs' sources (see watch_server.h): a user-only Unix socket, loopback TCP, a file.
#include "train/watch_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

namespace gradscope {
namespace {

constexpr std::size_t kReadPerPoll = 4u * 1024 * 1024;

std::string errnoText() { return std::strerror(errno); }

std::runtime_error failure(const std::string& where, const std::string& what) {
  return std::runtime_error("--watch " + where + ": " + what);
}

// The fallback directory /tmp/gradscope-<uid>: made 0700, and refused unless this user owns it
// and nobody else can enter it (another user could otherwise have made it first).
void ensurePrivateDir(const std::string& dir) {
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST)
    throw failure(dir, "cannot create the directory (" + errnoText() + ")");
  struct stat st {};
  if (::lstat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode) || st.st_uid != ::getuid() ||
      (st.st_mode & 077) != 0)
    throw failure(dir, "not a directory of this user's with mode 0700; remove it and try again");
}

sockaddr_un unixAddress(const std::string& path) {
  sockaddr_un a{};
  a.sun_family = AF_UNIX;
  if (path.size() >= sizeof a.sun_path) throw failure(path, "the socket path is too long");
  std::memcpy(a.sun_path, path.c_str(), path.size() + 1);
  return a;
}

}  // namespace

std::string WatchAddress::text() const {
  switch (kind) {
    case Kind::UnixSocket:
      return path;
    case Kind::Tcp:
      return "127.0.0.1:" + std::to_string(port);
    case Kind::File:
      break;
  }
  return path;
}

std::string defaultWatchSocket() {
  if (const char* p = std::getenv("GRADSCOPE_SOCKET"); p && *p) return p;
  if (const char* run = std::getenv("XDG_RUNTIME_DIR"); run && *run)
    return std::string(run) + "/gradscope-watch.sock";
  return "/tmp/gradscope-" + std::to_string(::getuid()) + "/watch.sock";
}

WatchAddress parseWatchAddress(std::string_view text) {
  WatchAddress a;
  if (text.empty()) {
    a.path = defaultWatchSocket();
    return a;
  }
  if (text.starts_with("unix:")) {
    a.path = std::string(text.substr(5));
    if (a.path.empty()) throw std::invalid_argument("--watch unix:PATH needs a path");
    return a;
  }
  for (std::string_view host : {"127.0.0.1:", "localhost:"}) {
    if (!text.starts_with(host)) continue;
    const std::string_view port = text.substr(host.size());
    int value = 0;
    const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (ec != std::errc() || end != port.data() + port.size() || value < 1 || value > 65535)
      throw std::invalid_argument("--watch " + std::string(text) +
                                  ": expected a port 1 to 65535 after the host");
    a.kind = WatchAddress::Kind::Tcp;
    a.port = value;
    return a;
  }
  a.kind = WatchAddress::Kind::File;
  a.path = std::string(text);
  return a;
}

WatchServer::WatchServer(WatchAddress address, int maxClients)
    : m_address(std::move(address)), m_maxClients(maxClients) {
  if (m_address.kind == WatchAddress::Kind::File) return;  // followed in poll(), once it exists
  if (m_address.kind == WatchAddress::Kind::Tcp) {
    m_listen = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (m_listen < 0) throw failure(m_address.text(), "no socket (" + errnoText() + ")");
    const int on = 1;
    ::setsockopt(m_listen, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<std::uint16_t>(m_address.port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);  // never another interface
    if (::bind(m_listen, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
        ::listen(m_listen, 8) != 0) {
      const std::string why = errnoText();
      ::close(m_listen);
      throw failure(m_address.text(), "cannot listen (" + why + ")");
    }
    return;
  }
  const std::string& path = m_address.path;
  if (const auto slash = path.rfind('/'); slash != std::string::npos && slash > 0) {
    const std::string dir = path.substr(0, slash);
    if (dir == "/tmp/gradscope-" + std::to_string(::getuid())) ensurePrivateDir(dir);
  }
  const sockaddr_un a = unixAddress(path);
  m_listen = ::socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (m_listen < 0) throw failure(path, "no socket (" + errnoText() + ")");
  struct stat st {};
  if (::lstat(path.c_str(), &st) == 0) {
    if (!S_ISSOCK(st.st_mode)) {
      ::close(m_listen);
      throw failure(path, "exists and is not a socket");
    }
    // A socket someone answers on is another app's; one nobody answers on is left by a crash.
    const int probe = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    const bool live =
        probe >= 0 && ::connect(probe, reinterpret_cast<const sockaddr*>(&a), sizeof a) == 0;
    if (probe >= 0) ::close(probe);
    if (live) {
      ::close(m_listen);
      throw failure(path, "another gradscope is already watching there");
    }
    ::unlink(path.c_str());
  }
  // Made 0600: bind() applies the umask (a socket others may not write to already refuses
  // them), and the mode is narrowed before anyone is accepted.
  if (::bind(m_listen, reinterpret_cast<const sockaddr*>(&a), sizeof a) != 0) {
    const std::string why = errnoText();
    ::close(m_listen);
    throw failure(path, "cannot create the socket (" + why + ")");
  }
  m_madeSocket = true;
  if (::chmod(path.c_str(), 0600) != 0 || ::listen(m_listen, 8) != 0) {
    const std::string why = errnoText();
    ::close(m_listen);
    ::unlink(path.c_str());
    throw failure(path, "cannot listen (" + why + ")");
  }
}

WatchServer::~WatchServer() {
  for (const Client& c : m_clients) ::close(c.fd);
  if (m_listen >= 0) ::close(m_listen);
  if (m_file >= 0) ::close(m_file);
  if (m_madeSocket) ::unlink(m_address.path.c_str());
}

void WatchServer::close(int source) {
  for (std::size_t i = 0; i < m_clients.size(); ++i)
    if (m_clients[i].id == source) {
      ::close(m_clients[i].fd);
      m_clients.erase(m_clients.begin() + static_cast<std::ptrdiff_t>(i));
      return;
    }
  if (m_address.kind == WatchAddress::Kind::File && source == 0 && m_file >= 0) {
    ::close(m_file);
    m_file = -1;
    m_fileClosed = true;
  }
}

void WatchServer::pollFile(std::vector<WatchEvent>& events) {
  if (m_fileClosed) return;
  if (m_file < 0) {
    m_file = ::open(m_address.path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (m_file < 0) return;  // not there yet: the run has not started
    events.push_back({WatchEvent::Kind::Opened, 0, {}, m_address.path});
  }
  struct stat st {};
  if (::fstat(m_file, &st) == 0 && st.st_size < m_offset) {
    events.push_back({WatchEvent::Kind::Closed, 0, {}, "the file was truncated while being read"});
    close(0);
    return;
  }
  std::string bytes;
  char buf[1 << 16];
  while (bytes.size() < kReadPerPoll) {
    const ssize_t got = ::read(m_file, buf, sizeof buf);
    if (got <= 0) break;  // the end for now: the writer may add more
    bytes.append(buf, static_cast<std::size_t>(got));
  }
  m_offset += static_cast<long long>(bytes.size());
  if (!bytes.empty()) events.push_back({WatchEvent::Kind::Data, 0, std::move(bytes), {}});
}

void WatchServer::poll(std::vector<WatchEvent>& events) {
  if (m_address.kind == WatchAddress::Kind::File) return pollFile(events);
  for (;;) {
    const int fd = ::accept4(m_listen, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) break;
    if (m_address.kind == WatchAddress::Kind::UnixSocket) {
      // The socket's mode already keeps other users out; their credentials are checked too.
      ucred cred{};
      socklen_t size = sizeof cred;
      if (::getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &size) != 0 || cred.uid != ::getuid()) {
        ::close(fd);
        events.push_back({WatchEvent::Kind::Refused, 0, {}, "a connection from another user"});
        continue;
      }
    }
    if (static_cast<int>(m_clients.size()) >= m_maxClients) {
      ::close(fd);
      events.push_back({WatchEvent::Kind::Refused,
                        0,
                        {},
                        "already watching " + std::to_string(m_maxClients) + " runs"});
      continue;
    }
    const Client c{fd, m_nextId++};
    m_clients.push_back(c);
    events.push_back({WatchEvent::Kind::Opened, c.id, {}, m_address.text()});
  }
  char buf[1 << 16];
  for (std::size_t i = 0; i < m_clients.size();) {
    Client& c = m_clients[i];
    std::string bytes;
    bool closed = false;
    std::string why;
    while (bytes.size() < kReadPerPoll) {
      const ssize_t got = ::read(c.fd, buf, sizeof buf);
      if (got > 0) {
        bytes.append(buf, static_cast<std::size_t>(got));
        continue;
      }
      if (got == 0) {
        closed = true;
      } else if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
        closed = true;
        why = errnoText();
      }
      break;
    }
    if (!bytes.empty()) events.push_back({WatchEvent::Kind::Data, c.id, std::move(bytes), {}});
    if (closed) {
      events.push_back({WatchEvent::Kind::Closed, c.id, {}, why});
      ::close(c.fd);
      m_clients.erase(m_clients.begin() + static_cast<std::ptrdiff_t>(i));
    } else {
      ++i;
    }
  }
}

}  // namespace gradscope
