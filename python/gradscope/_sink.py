# Where the stream's lines go: the app's Unix socket, a loopback TCP port or a file. A sink
# never blocks and never raises: lines wait in a bounded buffer, whole lines that do not fit
# are dropped, and a missing or vanished app costs one warning and a cheap reconnection
# attempt now and then. Training never waits for the viewer.
import errno
import os
import re
import select
import socket
import sys
import time

MAX_BUFFER_BYTES = 8 * 1024 * 1024
RECONNECT_SECONDS = 2.0
CLOSE_FLUSH_SECONDS = 2.0

_warned = set()


def warn_once(key, message):
    """One line on stderr per kind of trouble, for the whole process."""
    if key in _warned:
        return
    _warned.add(key)
    try:
        sys.stderr.write("gradscope: %s\n" % message)
        sys.stderr.flush()
    except Exception:  # a closed stderr must not reach the training loop either
        pass


def default_socket_path():
    """$GRADSCOPE_SOCKET, else $XDG_RUNTIME_DIR/gradscope-watch.sock, else
    /tmp/gradscope-<uid>/watch.sock (the app's side reads the same, docs/STREAM.md)."""
    path = os.environ.get("GRADSCOPE_SOCKET")
    if path:
        return path
    run = os.environ.get("XDG_RUNTIME_DIR")
    if run:
        return os.path.join(run, "gradscope-watch.sock")
    return os.path.join("/tmp", "gradscope-%d" % os.getuid(), "watch.sock")


_TCP = re.compile(r"^(127\.0\.0\.1|localhost):(\d{1,5})$")


def make_sink(to):
    """to: None (the app's socket), "unix:PATH", "127.0.0.1:PORT", or a file path."""
    if to is None:
        return SocketSink(socket.AF_UNIX, default_socket_path())
    to = os.fspath(to)
    if to.startswith("unix:"):
        return SocketSink(socket.AF_UNIX, to[len("unix:"):])
    m = _TCP.match(to)
    if m:
        port = int(m.group(2))
        if not 0 < port < 65536:
            raise ValueError("gradscope.watch: port %d is out of range" % port)
        return SocketSink(socket.AF_INET, ("127.0.0.1", port))
    return FileSink(to)


class FileSink:
    """Appends lines to a file, one flush per line so `gradscope --watch FILE` follows."""

    def __init__(self, path):
        self.where = path
        self.dropped = 0
        # Opened at once so a wrong path is reported by watch(), not mid-training.
        self._file = open(path, "wb")

    def begin(self, header):
        self.write(header)

    def write(self, line):
        if self._file is None:
            self.dropped += 1
            return
        try:
            self._file.write(line)
            self._file.flush()
        except OSError as e:
            self.dropped += 1
            warn_once(("file", self.where), "cannot write %s (%s); dropping records"
                      % (self.where, e.strerror or e))

    def close(self):
        f, self._file = self._file, None
        if f is not None:
            try:
                f.close()
            except OSError:
                pass


class SocketSink:
    """A non-blocking stream socket to the app, reconnecting every RECONNECT_SECONDS while it
    is away; each connection starts with the header."""

    def __init__(self, family, address):
        self._family = family
        self._address = address
        self.where = address if isinstance(address, str) else "%s:%d" % address
        self._sock = None
        self._connecting = False
        self._header = None
        self._buffer = bytearray()
        self._next_attempt = 0.0
        self.dropped = 0
        self.connections = 0

    def begin(self, header):
        self._header = header
        self._try_connect()

    def write(self, line):
        try:
            if self._sock is None:
                self._try_connect()
            if self._sock is None or self._connecting and not self._finish_connect():
                self.dropped += 1
                return
            if len(self._buffer) + len(line) > MAX_BUFFER_BYTES:
                self.dropped += 1
                warn_once(("slow", self.where), "the app at %s is not keeping up; dropping "
                          "records until it does" % self.where)
            else:
                self._buffer += line
            self._pump()
        except Exception as e:  # never into the training loop
            self.dropped += 1
            warn_once(("socket", self.where), "streaming to %s failed (%s); dropping records"
                      % (self.where, e))
            self._disconnect()

    def close(self):
        """Sends what is buffered, waiting at most CLOSE_FLUSH_SECONDS, then closes."""
        try:
            if self._sock is not None and self._connecting:
                self._finish_connect(wait=CLOSE_FLUSH_SECONDS)
            deadline = time.monotonic() + CLOSE_FLUSH_SECONDS
            while self._sock is not None and not self._connecting and self._buffer:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                select.select([], [self._sock], [], left)
                self._pump()
        except Exception:
            pass
        self._disconnect()
        self._header = None

    # -- internals --

    def _try_connect(self):
        now = time.monotonic()
        if self._header is None or now < self._next_attempt:
            return
        self._next_attempt = now + RECONNECT_SECONDS
        sock = socket.socket(self._family, socket.SOCK_STREAM)
        sock.setblocking(False)
        err = sock.connect_ex(self._address)
        if err == 0:
            self._connected(sock)
        elif err in (errno.EINPROGRESS, errno.EAGAIN):
            self._sock, self._connecting = sock, True
        else:
            sock.close()
            warn_once(("absent", self.where), "no gradscope app is watching at %s (%s; start "
                      "`gradscope --watch`); records are dropped until one is"
                      % (self.where, os.strerror(err)))

    def _finish_connect(self, wait=0.0):
        _, writable, _ = select.select([], [self._sock], [], wait)
        if not writable:
            return False
        err = self._sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
        if err:
            self._disconnect()
            warn_once(("absent", self.where), "no gradscope app is watching at %s (%s)"
                      % (self.where, os.strerror(err)))
            return False
        self._connected(self._sock)
        return True

    def _connected(self, sock):
        self._sock, self._connecting = sock, False
        self.connections += 1
        self._buffer = bytearray(self._header)

    def _pump(self):
        while self._buffer:
            try:
                sent = self._sock.send(self._buffer, socket.MSG_NOSIGNAL)
            except (BlockingIOError, InterruptedError):
                return
            except OSError as e:
                warn_once(("closed", self.where), "the app at %s closed the connection (%s); "
                          "dropping records until it is back" % (self.where, e.strerror or e))
                self._disconnect()
                return
            del self._buffer[:sent]

    def _disconnect(self):
        sock, self._sock, self._connecting = self._sock, None, False
        self._buffer = bytearray()
        self._next_attempt = time.monotonic() + RECONNECT_SECONDS
        if sock is not None:
            try:
                sock.close()
            except OSError:
                pass
