"""A gate that never hangs (issue 13): the whole run has a deadline, retries share it, and a
read timeout is retried at most once. A registry that stalls on one package costs that package
a registry-error, never the run."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from support import write


def stalling(registry, seconds: float) -> threading.Event:
    """The registry stalls ``seconds`` on idna's document, or until the event is set."""
    release = threading.Event()

    def handler(info):
        if info.path == "/pypi/idna/json":
            release.wait(seconds)

    registry.handler = handler
    return release


@pytest.fixture
def stall(registry):
    """The registry stalls 40 s on idna's document (released at the end of the test)."""
    release = stalling(registry, 40)
    yield registry
    release.set()


def run(args: list[str], env: dict[str, str]) -> tuple[float, int, dict]:
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "depguard", *args],
        env={**os.environ, **env},
        capture_output=True,
        check=False,
        timeout=60,
    )
    elapsed = time.monotonic() - started
    return elapsed, done.returncode, json.loads(done.stdout)


@pytest.mark.parametrize("fail_open", [False, True])
def test_a_stalling_registry_ends_within_the_deadline(
    stall, workdir: Path, env, fail_open: bool
) -> None:
    write(workdir / "requirements.txt", "six\nidna\nrequests\n")
    args = ["check", "-f", "json", "--deadline", "3"] + (["--fail-open"] if fail_open else [])
    elapsed, code, report = run(args, env)
    assert elapsed < 3 + 1, elapsed  # the deadline plus a second, whole process
    by_name = {p["name"]: p for p in report["packages"]}
    idna = by_name["idna"]
    assert [f["id"] for f in idna["findings"]] == ["registry-error"]
    assert "no answer within the 3 s budget" in idna["findings"][0]["message"]
    assert idna["verdict"] == ("warn" if fail_open else "block")
    assert by_name["six"]["verdict"] == "allow" and by_name["requests"]["verdict"] == "allow"
    assert code == (0 if fail_open else 1)


def test_deadline_from_configuration_and_environment(stall, depguard, workdir: Path, monkeypatch):
    write(workdir / "requirements.txt", "six\nidna\n")
    write(workdir / "depguard.toml", "deadline = 1.5\n")
    started = time.monotonic()
    result = depguard("check", "-f", "json")
    assert time.monotonic() - started < 2.5
    assert "1.5 s budget" in result.package("idna")["findings"][0]["message"]
    monkeypatch.setenv("DEPGUARD_DEADLINE", "1")
    result = depguard("check", "-f", "json")
    assert "1 s budget" in result.package("idna")["findings"][0]["message"]
    write(workdir / "depguard.toml", "deadline = -4\n")
    assert depguard("check").code == 2


def test_a_read_timeout_is_retried_at_most_once(registry, depguard, workdir: Path) -> None:
    release = stalling(registry, 5)
    try:
        write(workdir / "depguard.toml", "timeout = 0.3\nretries = 3\n")
        write(workdir / "requirements.txt", "six\nidna\n")
        result = depguard("check", "-f", "json")
    finally:
        release.set()
    assert registry.count("/pypi/idna/json") == 2  # one retry, not three
    finding = result.package("idna")["findings"][0]
    assert finding["id"] == "registry-error" and "timed out" in finding["message"]
    assert result.package("six")["verdict"] == "allow"


def test_retries_share_the_budget(registry, depguard, workdir: Path) -> None:
    from support.registry_server import Answer

    registry.handler = lambda info: (
        Answer(503, b"", {"Retry-After": "1"}) if info.path == "/pypi/idna/json" else None
    )
    write(workdir / "depguard.toml", "retries = 10\n")
    write(workdir / "requirements.txt", "six\nidna\n")
    started = time.monotonic()
    result = depguard("check", "-f", "json", "--deadline", "2.5")
    assert time.monotonic() - started < 3.5
    assert result.ids("idna") == ["registry-error"]
    assert registry.count("/pypi/idna/json") <= 3
