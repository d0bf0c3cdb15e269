"""A fault-injecting proxy of the tests' own, between the senders and the collector.

It relays HTTP/1.1 requests one at a time (each to a fresh connection to the
collector, so a fault can hit any request, also on a kept-alive connection) and can:
- `refuse()`: close its listening socket (new connections are refused) until `accept()`;
- `inject("500", n)`: answer the next n requests 500 itself, without relaying them;
- `inject("slow", n, delay)`: relay the next n requests, but hold the collector's
  answer back `delay` seconds (longer than the sender's timeout: the batch is stored,
  the sender does not know, and retries: a duplicate for the collector to drop);
- `inject("cut", n)`: relay only the first half of the next n request bodies, then
  cut both connections (a reset, mid-batch).
A request that finds the collector away (killed) has its connection closed. `counts`
says how many requests each fault hit, and how many answers of each status were relayed.
"""

from __future__ import annotations

import socket
import struct
import threading
import time
from collections import Counter

from delivery_support.broker import free_port


def _read_head(connection: socket.socket, buffer: bytearray) -> bytes | None:
    while b"\r\n\r\n" not in buffer:
        chunk = connection.recv(65536)
        if not chunk:
            return None
        buffer.extend(chunk)
    end = buffer.index(b"\r\n\r\n") + 4
    head = bytes(buffer[:end])
    del buffer[:end]
    return head


def _content_length(head: bytes) -> int:
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return int(value.strip())
    return 0


def _read_exactly(connection: socket.socket, buffer: bytearray, size: int) -> bytes | None:
    while len(buffer) < size:
        chunk = connection.recv(65536)
        if not chunk:
            return None
        buffer.extend(chunk)
    body = bytes(buffer[:size])
    del buffer[:size]
    return body


def _reset(connection: socket.socket) -> None:
    """Close with a TCP reset, as a cut cable or a crashed peer looks."""
    try:
        connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    except OSError:
        pass
    connection.close()


class FaultProxy:
    def __init__(self, upstream_port: int) -> None:
        self.upstream_port = upstream_port
        self.port = free_port()
        self.counts: Counter[str] = Counter()
        self._faults: list[tuple[str, float]] = []
        self._lock = threading.Lock()
        self._listener: socket.socket | None = None
        self._closed = False
        self.accept()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def accept(self) -> None:
        with self._lock:
            if self._listener is not None:
                return
            listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            listener.bind(("127.0.0.1", self.port))
            listener.listen(128)
            self._listener = listener
        threading.Thread(target=self._serve, args=(listener,), daemon=True).start()

    def refuse(self) -> None:
        with self._lock:
            listener, self._listener = self._listener, None
        if listener is not None:
            # shutdown wakes the accepting thread, so the port is free to bind again
            try:
                listener.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            listener.close()
            self.counts["refused periods"] += 1

    def inject(self, fault: str, requests: int, delay: float = 0.0) -> None:
        with self._lock:
            self._faults.extend([(fault, delay)] * requests)

    def pending_faults(self) -> int:
        with self._lock:
            return len(self._faults)

    def close(self) -> None:
        self._closed = True
        self.refuse()

    def _serve(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # refused from now on, or closed
            threading.Thread(target=self._relay, args=(client,), daemon=True).start()

    def _next_fault(self) -> tuple[str, float]:
        with self._lock:
            return self._faults.pop(0) if self._faults else ("", 0.0)

    def _relay(self, client: socket.socket) -> None:
        buffer = bytearray()
        try:
            while True:
                head = _read_head(client, buffer)
                if head is None:
                    break
                body = _read_exactly(client, buffer, _content_length(head))
                if body is None:
                    break
                fault, delay = self._next_fault()
                if fault == "500":
                    self.counts["500"] += 1
                    client.sendall(b"HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n\r\n")
                    continue
                try:
                    upstream = socket.create_connection(("127.0.0.1", self.upstream_port), timeout=30)
                except OSError:
                    self.counts["collector away"] += 1
                    _reset(client)
                    return
                if fault == "cut":
                    self.counts["cut mid-batch"] += 1
                    upstream.sendall(head + body[: len(body) // 2])
                    _reset(upstream)
                    _reset(client)
                    return
                try:
                    upstream.sendall(head + body)
                    answer = bytearray()
                    response_head = _read_head(upstream, answer)
                    if response_head is None:
                        self.counts["collector away"] += 1
                        _reset(client)
                        return
                    response_body = _read_exactly(upstream, answer, _content_length(response_head))
                finally:
                    upstream.close()
                if response_body is None:
                    _reset(client)
                    return
                if fault == "slow":
                    self.counts["slow answer"] += 1
                    time.sleep(delay)
                status = response_head.split(b" ", 2)[1].decode("ascii", "replace")
                self.counts[f"relayed {status}"] += 1
                client.sendall(response_head + response_body)
        except OSError:
            pass
        finally:
            client.close()
