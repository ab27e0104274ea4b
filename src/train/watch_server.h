// Where watched runs come from (`gradscope --watch [ADDRESS]`, File → Watch a PyTorch run…):
// a Unix socket only this user can use, a loopback TCP port, or a file followed as it grows.
// Non-blocking throughout: the Session polls it between ticks, and neither a silent client nor
// a fast one can stall training or the UI. The stream's contents are not looked at here
// (train/watch_stream.h reads them).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace gradscope {

struct WatchAddress {
  enum class Kind { UnixSocket, Tcp, File };
  Kind kind = Kind::UnixSocket;
  std::string path;          // the socket or the file
  int port = 0;              // Tcp, on 127.0.0.1 only
  std::string text() const;  // as the user would write it
};

// $GRADSCOPE_SOCKET, else $XDG_RUNTIME_DIR/gradscope-watch.sock, else
// /tmp/gradscope-<uid>/watch.sock — the path python/gradscope/_sink.py connects to.
std::string defaultWatchSocket();

// --watch's argument: "" → the default socket; "unix:PATH"; "127.0.0.1:PORT" or
// "localhost:PORT" → loopback TCP; anything else is a file. Throws std::invalid_argument for a
// port outside 1 to 65535.
WatchAddress parseWatchAddress(std::string_view text);

// At most this many watched runs at once, as the app's own runs.
inline constexpr int kMaxWatchedRuns = 4;

struct WatchEvent {
  enum class Kind { Opened, Data, Closed, Refused };
  Kind kind = Kind::Data;
  int source = 0;     // a connection (or the file), stable until Closed
  std::string bytes;  // Data
  std::string text;   // Opened: where from; Closed: why, if not an orderly end; Refused: why
};

class WatchServer {
 public:
  // Listens on the socket (made with mode 0600 in a directory only this user can enter; a
  // stale socket from a crashed app is replaced, a live one refused) or the port (bound to
  // 127.0.0.1 only), or follows the file (which may not exist yet). Throws std::runtime_error
  // with one line naming the address.
  explicit WatchServer(WatchAddress address, int maxClients = kMaxWatchedRuns);
  ~WatchServer();  // closes every connection and removes the socket it made
  WatchServer(const WatchServer&) = delete;
  WatchServer& operator=(const WatchServer&) = delete;

  // What happened since the last call: connections opened and closed, bytes read (at most
  // 4 MiB per source per call). Never blocks.
  void poll(std::vector<WatchEvent>& events);
  // Drops a source (its stream was bad); no Closed event follows.
  void close(int source);

  const WatchAddress& address() const { return m_address; }

 private:
  struct Client {
    int fd = -1;
    int id = 0;
  };
  void pollFile(std::vector<WatchEvent>& events);

  WatchAddress m_address;
  int m_maxClients;
  int m_listen = -1;
  std::vector<Client> m_clients;
  int m_nextId = 1;
  bool m_madeSocket = false;
  // A followed file: its descriptor once it exists, and how far it has been read.
  int m_file = -1;
  long long m_offset = 0;
  bool m_fileClosed = false;
};

}  // namespace gradscope
