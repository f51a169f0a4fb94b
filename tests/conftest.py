"""Shared fixtures: the loopback registry server and a way to run the installed command.

The default suite is offline: every registry URL points at a real HTTP server on 127.0.0.1
that serves recorded responses from ``fixtures/``. Live tests (``-m live``) use the real
registries.
"""

from __future__ import annotations

import io
import json
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from support.registry_server import RegistryServer

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "fixtures"


@pytest.fixture(scope="session")
def registry_server() -> Iterator[RegistryServer]:
    server = RegistryServer().start()
    yield server
    server.stop()


@pytest.fixture
def registry(registry_server: RegistryServer) -> Iterator[RegistryServer]:
    registry_server.reset()
    yield registry_server
    registry_server.reset()


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return work


@pytest.fixture
def env(
    registry: RegistryServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workdir: Path
) -> dict[str, str]:
    values = {**registry.env(), "DEPGUARD_CACHE_DIR": str(tmp_path / "cache")}
    for key in list(os.environ):
        if key.startswith("DEPGUARD_") or key.lower().startswith("npm_config_"):
            monkeypatch.delenv(key)
    monkeypatch.delenv("REDIS_PASSWORD", raising=False)
    # npm's own settings: no user .npmrc of the machine running the tests
    monkeypatch.setenv("NPM_CONFIG_USERCONFIG", str(tmp_path / "no-user-npmrc"))
    for key, value in values.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "200")
    return values


@pytest.fixture
def redis_factory() -> Iterator[Any]:
    """Start real redis-servers (``redis_factory(password=..., maxmemory=...)``) on free
    ports; all are killed at the end."""
    from support.redis_server import RedisServer, available

    if not available():
        pytest.skip("redis-server is not installed (Debian: apt-get install redis-server)")
    servers: list[RedisServer] = []

    def start(**options: Any) -> RedisServer:
        server = RedisServer(**options).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.close()


@pytest.fixture
def redis_server(redis_factory: Any) -> Any:
    """One real redis-server with a password (the signing secret of its entries)."""
    return redis_factory(password="fleet-s3cret")


@dataclass
class Result:
    code: int
    out: str
    err: str

    @property
    def json(self) -> Any:
        return json.loads(self.out)

    def package(self, name: str) -> dict[str, Any]:
        for package in self.json["packages"]:
            if package["normalized"] == name or package["name"] == name:
                return package
        raise AssertionError(f"{name} not in report: {[p['name'] for p in self.json['packages']]}")

    def ids(self, name: str) -> list[str]:
        return [f["id"] for f in self.package(name)["findings"] if not f.get("suppressed")]


@pytest.fixture
def depguard(
    env: dict[str, str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> Any:
    """Run ``depguard ARGS`` in-process, exactly as the console script does."""
    from depguard.cli import main

    def run(*args: str, stdin: str | None = None) -> Result:
        capsys.readouterr()
        monkeypatch.setattr(sys, "argv", ["depguard", *args])
        if stdin is not None:
            monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin.encode())))
        code = 0
        try:
            main()
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


@pytest.fixture
def live(depguard: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Any:
    """``depguard`` against the real registries (``pytest -m live``): the loopback endpoints
    taken out of the environment, a cache of the test's own."""
    for key in (
        "DEPGUARD_INDEX_URL",
        "DEPGUARD_PYPISTATS_URL",
        "DEPGUARD_NPM_REGISTRY",
        "DEPGUARD_NPM_DOWNLOADS_URL",
    ):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("DEPGUARD_CACHE_DIR", str(tmp_path / "live-cache"))
    return depguard
