"""A real redis-server on 127.0.0.1, on a free port, for the shared-cache tests and benchmark.

Debian's ``redis-server`` package (``.ci/run`` installs it). Each server runs in its own
temporary directory with persistence off; :meth:`stop` kills it (as a crash would), and
:meth:`start` can bring it back on the same port.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

BINARY = "redis-server"


def available() -> bool:
    return shutil.which(BINARY) is not None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class RedisServer:
    def __init__(
        self,
        *,
        password: str | None = None,
        maxmemory: str | None = None,
        port: int = 0,
        unixsocket: Path | None = None,
    ) -> None:
        self.unixsocket = unixsocket
        self.password = password
        self.maxmemory = maxmemory
        self.port = port or free_port()
        self.directory = Path(tempfile.mkdtemp(prefix="depguard-redis-"))
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        auth = f":{self.password}@" if self.password else ""
        return f"redis://{auth}127.0.0.1:{self.port}/0"

    def start(self) -> RedisServer:
        args = [
            BINARY,
            "--port", str(self.port),
            "--bind", "127.0.0.1",
            "--save", "",
            "--appendonly", "no",
            "--dir", str(self.directory),
            "--protected-mode", "no",
        ]  # fmt: skip
        if self.password:
            args += ["--requirepass", self.password]
        if self.unixsocket:
            args += ["--unixsocket", str(self.unixsocket), "--unixsocketperm", "700"]
        if self.maxmemory:
            args += ["--maxmemory", self.maxmemory, "--maxmemory-policy", "noeviction"]
        self.process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                if self.client().ping():
                    return self
            except Exception:
                pass
            time.sleep(0.02)
        self.stop()
        raise RuntimeError("redis-server did not start")

    def client(self):  # -> redis.Redis (the test's own view of the server)
        import redis

        return redis.Redis(
            host="127.0.0.1", port=self.port, password=self.password, socket_timeout=2
        )

    def stop(self) -> None:
        """Kill the server at once (SIGKILL: no goodbye, as a crash or an eviction would)."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        self.process = None

    def close(self) -> None:
        self.stop()
        shutil.rmtree(self.directory, ignore_errors=True)
