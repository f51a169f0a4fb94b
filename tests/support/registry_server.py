"""A real HTTP server on 127.0.0.1 that answers like the registries, from recorded fixtures.

Routes (``base`` is ``http://127.0.0.1:<port>``):

* ``{base}/pypi/<name>/json`` and ``{base}/pypi/<name>/<version>/json``: PyPI JSON API
  (``fixtures/pypi/json/<name>.json``, ``fixtures/pypi/version/<name>/<version>.json``)
* ``{base}/simple/<name>/``: PEP 691 JSON (``fixtures/pypi/simple/<name>.json``); the file host
  placeholder of the recorded pages (``https://files.index.example``) is answered by this server
* ``{base}/packages/.../<wheel>.metadata``: a wheel's core-metadata file, PEP 658
  (``fixtures/pypi/metadata/<wheel>.metadata``)
* ``{base}/pypistats/packages/<name>/recent``: pypistats (``fixtures/pypistats/<name>.json``)
* ``{base}/npm/<name>``: npm packument, or the abbreviated form when asked for with
  ``Accept: application/vnd.npm.install-v1+json`` (``fixtures/npm/{packument,abbreviated}/``)
* ``{base}/npm-downloads/point/last-month/<name>[,<name>...]``: npm downloads API

Anything without a fixture answers 404 with an empty body, as the mirrors do. Tests can add
routes (``server.routes[path] = Answer(...)``) or a handler for faults, and set a latency.
The server records every request, and the highest number in flight at once.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
FILES_PLACEHOLDER = b"https://files.index.example"
"""The file host of recorded simple-API pages (a placeholder): served by the loopback server."""
ABBREVIATED = "application/vnd.npm.install-v1+json"


@dataclass
class Answer:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=lambda: {"Content-Type": "application/json"})
    file: Path | None = None  # sent with sendfile(2) instead of body: fast for big documents


Handler = Callable[["RequestInfo"], Answer | None]


@dataclass(frozen=True)
class RequestInfo:
    path: str
    headers: dict[str, str]
    handler: BaseHTTPRequestHandler


class RegistryServer:
    def __init__(
        self, fixtures: Path = FIXTURES, *, latency: float = 0.0, tls: Path | None = None
    ) -> None:
        self.fixtures = fixtures
        self.latency = latency
        self.routes: dict[str, Answer] = {}
        self.handler: Handler | None = None
        self.requests: list[str] = []
        self.in_flight = 0
        self.max_in_flight = 0
        self._lock = threading.Lock()
        self._cache: dict[Path, bytes | None] = {}
        outer = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                outer._serve(self)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        class _Server(ThreadingHTTPServer):
            # The default listen backlog (5) drops connections when a client opens 16 at once,
            # and each drop costs a one-second SYN retransmission.
            request_queue_size = 128

        self.httpd = _Server(("127.0.0.1", 0), _Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        scheme = "http"
        if tls is not None:  # a directory with cert.pem and key.pem
            import ssl

            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(tls / "cert.pem", tls / "key.pem")
            self.httpd.socket = context.wrap_socket(self.httpd.socket, server_side=True)
            scheme = "https"
        self.base = f"{scheme}://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    # URLs to configure depguard with
    @property
    def index_url(self) -> str:
        return self.base

    @property
    def pypistats_url(self) -> str:
        return f"{self.base}/pypistats"

    @property
    def npm_registry(self) -> str:
        return f"{self.base}/npm"

    @property
    def npm_downloads_url(self) -> str:
        return f"{self.base}/npm-downloads"

    def env(self) -> dict[str, str]:
        return {
            "DEPGUARD_INDEX_URL": self.index_url,
            "DEPGUARD_PYPISTATS_URL": self.pypistats_url,
            "DEPGUARD_NPM_REGISTRY": self.npm_registry,
            "DEPGUARD_NPM_DOWNLOADS_URL": self.npm_downloads_url,
        }

    def start(self) -> RegistryServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def count(self, prefix: str) -> int:
        with self._lock:
            return sum(1 for r in self.requests if r.startswith(prefix))

    def reset(self) -> None:
        with self._lock:
            self.requests.clear()
            self.max_in_flight = 0
        self.routes.clear()
        self.handler = None
        self.latency = 0.0

    # -- serving ---------------------------------------------------------------------------
    def _serve(self, request: BaseHTTPRequestHandler) -> None:
        path = urlsplit(request.path).path
        with self._lock:
            self.requests.append(request.path)
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            if self.latency:
                time.sleep(self.latency)
            info = RequestInfo(path, {k.lower(): v for k, v in request.headers.items()}, request)
            answer = None
            if self.handler is not None:
                answer = self.handler(info)
            if answer is None:
                answer = self.routes.get(request.path) or self.routes.get(path)
            if answer is None:
                answer = self._fixture(path, info.headers.get("accept", ""))
            if answer.status < 0:
                return  # the handler already wrote (or deliberately broke) the response
            request.send_response(answer.status)
            for key, value in answer.headers.items():
                request.send_header(key, value)
            if not any(k.lower() == "content-length" for k in answer.headers):
                size = answer.file.stat().st_size if answer.file is not None else len(answer.body)
                request.send_header("Content-Length", str(size))
            request.end_headers()
            if answer.file is not None:
                request.wfile.flush()
                with answer.file.open("rb") as handle:
                    request.connection.sendfile(handle)
            else:
                request.wfile.write(answer.body)
        except (BrokenPipeError, ConnectionResetError):
            pass
        finally:
            with self._lock:
                self.in_flight -= 1

    def _fixture(self, path: str, accept: str) -> Answer:
        parts = [unquote(p) for p in path.strip("/").split("/")]
        target: Path | None = None
        if len(parts) == 3 and parts[0] == "pypi" and parts[2] == "json":
            target = self.fixtures / "pypi" / "json" / f"{parts[1]}.json"
        elif len(parts) == 4 and parts[0] == "pypi" and parts[3] == "json":
            target = self.fixtures / "pypi" / "version" / parts[1] / f"{parts[2]}.json"
        elif len(parts) == 2 and parts[0] == "simple":
            page = self._read(self.fixtures / "pypi" / "simple" / f"{parts[1]}.json")
            if page is None:
                return Answer(404, b"", {})
            body = page.replace(FILES_PLACEHOLDER, self.base.encode())
            return Answer(200, body, {"Content-Type": "application/vnd.pypi.simple.v1+json"})
        elif parts[0] == "packages" and parts[-1].endswith(".metadata"):
            target = self.fixtures / "pypi" / "metadata" / parts[-1]
            if not target.is_file():
                return Answer(404, b"", {})
            return Answer(200, b"", {"Content-Type": "application/octet-stream"}, file=target)
        elif len(parts) == 4 and parts[:2] == ["pypistats", "packages"] and parts[3] == "recent":
            target = self.fixtures / "pypistats" / f"{parts[2]}.json"
        elif parts and parts[0] == "npm" and len(parts) >= 2:
            name = "/".join(parts[1:])
            kind = "abbreviated" if ABBREVIATED in accept else "packument"
            target = self.fixtures / "npm" / kind / f"{name}.json"
            if kind == "abbreviated" and not target.is_file():
                target = self.fixtures / "npm" / "packument" / f"{name}.json"
        elif parts[:3] == ["npm-downloads", "point", "last-month"] and len(parts) >= 4:
            return self._npm_downloads("/".join(parts[3:]))
        if target is None or not target.is_file():
            return Answer(404, b"", {})
        content_type = (
            "application/vnd.pypi.simple.v1+json" if parts[0] == "simple" else "application/json"
        )
        return Answer(200, b"", {"Content-Type": content_type}, file=target)

    def _npm_downloads(self, names: str) -> Answer:
        requested = [n for n in names.split(",") if n]
        records = {}
        for name in requested:
            body = self._read(self.fixtures / "npm" / "downloads" / f"{name}.json")
            records[name] = json.loads(body) if body else None
        if len(requested) == 1 and "," not in names:
            record = records[requested[0]]
            if record is None:
                return Answer(404, b'{"error":"package ' + requested[0].encode() + b' not found"}')
            return Answer(200, json.dumps(record).encode())
        return Answer(200, json.dumps(records).encode())

    def _read(self, target: Path) -> bytes | None:
        if target not in self._cache:
            self._cache[target] = target.read_bytes() if target.is_file() else None
        return self._cache[target]
