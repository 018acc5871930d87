"""A small real SMTP server for the notices tests (Python 3.12 dropped smtpd): it answers
each message with "250 2.0.0 Ok: queued as Q<n>", keeps what it received, and can drop the
connection at the Nth message, before or after accepting it, as a failing server would."""

from __future__ import annotations

import socketserver
import threading
from dataclasses import dataclass, field


@dataclass
class Mailbox:
    messages: list[bytes] = field(default_factory=list)
    # Drop the connection at this message (1-based): "before" its 250, or just "after" it.
    drop_at: int = 0
    drop_when: str = "before"
    lock: threading.Lock = field(default_factory=threading.Lock)


class _Handler(socketserver.StreamRequestHandler):
    def _reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")
        self.wfile.flush()

    def handle(self) -> None:
        box: Mailbox = self.server.mailbox
        self._reply("220 test ESMTP")
        while True:
            line = self.rfile.readline()
            if not line:
                return
            verb = line.decode("ascii", "replace").strip().upper()
            if verb.startswith(("EHLO", "HELO")):
                self._reply("250 test")
            elif verb.startswith(("MAIL", "RCPT", "RSET", "NOOP")):
                self._reply("250 2.1.0 Ok")
            elif verb == "DATA":
                self._reply("354 End data with <CR><LF>.<CR><LF>")
                data = b""
                while True:
                    chunk = self.rfile.readline()
                    if not chunk or chunk == b".\r\n":
                        break
                    data += chunk
                with box.lock:
                    n = len(box.messages) + 1
                    drop = box.drop_at == n
                    if drop and box.drop_when == "before":
                        return  # connection closed without an answer: not accepted
                    box.messages.append(data)
                if drop:  # accepted, then gone before the client read the answer
                    return
                self._reply(f"250 2.0.0 Ok: queued as Q{n}")
            elif verb == "QUIT":
                self._reply("221 Bye")
                return
            else:
                self._reply("502 Not implemented")


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


def start(mailbox: Mailbox) -> tuple[_Server, int]:
    server = _Server(("127.0.0.1", 0), _Handler)
    server.mailbox = mailbox
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, server.server_address[1]
