"""A small HTTP/1.1 TCP proxy (threads and sockets) that injects network faults between a client and a server.

Each client connection gets its own upstream connection; requests on it are parsed one by one (headers and a
``Content-Length`` body), forwarded, and the server's full response is read before being relayed. A rule
(``Fault``) can, for the first ``times`` matching requests:

* ``drop_response``: forward the whole request, read the server's whole response (so the server has
  committed), then close the client connection without sending a byte of it (a lost ack);
* ``cut_after``: forward the headers and only the first ``cut_after`` bytes of the body, then close both
  connections (a connection cut mid-upload).

``skip`` lets that many matching requests through before the fault starts.

``events`` records what happened to every request: ``(method, path, headers, action)``.
"""

import socket
import threading
from dataclasses import dataclass


@dataclass
class Fault:
    method: str
    path_prefix: str
    times: int
    drop_response: bool = False
    cut_after: int | None = None
    skip: int = 0  # let this many matching requests through first
    hits: int = 0
    seen: int = 0

    def matches(self, method: str, path: str) -> bool:
        if method != self.method or not path.startswith(self.path_prefix) or self.hits >= self.times:
            return False
        self.seen += 1
        return self.seen > self.skip


@dataclass
class Event:
    method: str
    path: str
    headers: dict[str, str]
    action: str


class _Closed(Exception):
    pass


def _read_head(sock: socket.socket, buf: bytearray) -> bytes:
    while b"\r\n\r\n" not in buf:
        data = sock.recv(65536)
        if not data:
            raise _Closed
        buf += data
    end = buf.index(b"\r\n\r\n") + 4
    head = bytes(buf[:end])
    del buf[:end]
    return head


def _read_exact(sock: socket.socket, buf: bytearray, n: int) -> bytes:
    while len(buf) < n:
        data = sock.recv(65536)
        if not data:
            raise _Closed
        buf += data
    out = bytes(buf[:n])
    del buf[:n]
    return out


def _headers(head: bytes) -> tuple[str, dict[str, str]]:
    lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            k, v = line.split(":", 1)
            headers[k.strip().lower()] = v.strip()
    return lines[0], headers


def _read_chunked(sock: socket.socket, buf: bytearray) -> bytes:
    out = bytearray()
    while True:
        while b"\r\n" not in buf:
            data = sock.recv(65536)
            if not data:
                raise _Closed
            buf += data
        end = buf.index(b"\r\n") + 2
        line = bytes(buf[:end])
        del buf[:end]
        out += line
        size = int(line.split(b";")[0].strip(), 16)
        if size == 0:
            while not out.endswith(b"\r\n\r\n"):  # trailers, then the blank line
                out += _read_exact(sock, buf, 1)
            return bytes(out)
        out += _read_exact(sock, buf, size + 2)


class FaultProxy:
    """``FaultProxy(upstream_port).start()``; point the client at ``proxy.url``; add ``Fault`` rules."""

    def __init__(self, upstream_port: int, host: str = "127.0.0.1") -> None:
        self.upstream = (host, upstream_port)
        self.faults: list[Fault] = []
        self.events: list[Event] = []
        self.forwarded = threading.Event()  # set each time a whole request has reached the server
        self.answered = threading.Event()  # set each time the server's whole response has been read
        self._lock = threading.Lock()
        self._listener = socket.create_server((host, 0))
        self.port = self._listener.getsockname()[1]
        self.url = f"http://{host}:{self.port}"
        self._stopping = False

    def add(self, fault: Fault) -> Fault:
        with self._lock:
            self.faults.append(fault)
        return fault

    def start(self) -> "FaultProxy":
        threading.Thread(target=self._accept, daemon=True).start()
        return self

    def stop(self) -> None:
        self._stopping = True
        self._listener.close()

    def _accept(self) -> None:
        while not self._stopping:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _rule(self, method: str, path: str) -> Fault | None:
        with self._lock:
            for fault in self.faults:
                if fault.matches(method, path):
                    fault.hits += 1
                    return fault
        return None

    def _serve(self, client: socket.socket) -> None:
        upstream: socket.socket | None = None
        cbuf, ubuf = bytearray(), bytearray()
        try:
            while True:
                head = _read_head(client, cbuf)
                start, headers = _headers(head)
                method, path = start.split(" ")[:2]
                length = int(headers.get("content-length", "0"))
                fault = self._rule(method, path)
                if upstream is None:
                    upstream = socket.create_connection(self.upstream)
                if fault is not None and fault.cut_after is not None:
                    body = _read_exact(client, cbuf, min(length, fault.cut_after))
                    upstream.sendall(head + body)
                    self.events.append(Event(method, path, headers, "cut"))
                    return
                upstream.sendall(head + _read_exact(client, cbuf, length))
                self.forwarded.set()
                response = self._response(upstream, ubuf, method)
                self.answered.set()
                if fault is not None and fault.drop_response:
                    self.events.append(Event(method, path, headers, "dropped"))
                    return
                self.events.append(Event(method, path, headers, "forwarded"))
                client.sendall(response)
        except (_Closed, OSError):
            return
        finally:
            client.close()
            if upstream is not None:
                upstream.close()

    @staticmethod
    def _response(upstream: socket.socket, buf: bytearray, method: str) -> bytes:
        head = _read_head(upstream, buf)
        start, headers = _headers(head)
        status = int(start.split(" ")[1])
        if method == "HEAD" or status in (204, 304) or 100 <= status < 200:
            return head
        if headers.get("transfer-encoding", "").lower() == "chunked":
            return head + _read_chunked(upstream, buf)
        return head + _read_exact(upstream, buf, int(headers.get("content-length", "0")))
