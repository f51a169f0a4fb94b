"""A damaged or shared cache never stops a run (issue 7)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from support import write


def test_corrupt_cache_is_reported_and_bypassed(depguard, registry, workdir: Path, env) -> None:
    cache = Path(env["DEPGUARD_CACHE_DIR"])
    cache.mkdir(parents=True)
    (cache / "cache.db").write_bytes(b"this is not a sqlite database" * 100)
    write(workdir / "requirements.txt", "six\nno-such-package-at-all\n")
    result = depguard("check", "-f", "json")
    assert result.package("six")["verdict"] == "allow"
    assert result.package("no-such-package-at-all")["verdict"] == "block"
    assert any("cache bypassed" in n for n in result.json["notices"])
    assert result.code == 1  # judged exactly as without a cache


def test_cache_path_that_is_a_file(
    depguard, registry, workdir: Path, tmp_path: Path, monkeypatch
) -> None:
    blocker = write(tmp_path / "not-a-dir", "x")
    monkeypatch.setenv("DEPGUARD_CACHE_DIR", str(blocker))
    write(workdir / "requirements.txt", "six\n")
    result = depguard("check", "-f", "json")
    assert result.code == 0 and result.package("six")["verdict"] == "allow"
    assert any("cache bypassed" in n for n in result.json["notices"])


def test_damaged_entries_are_misses(depguard, registry, workdir: Path, env) -> None:
    write(workdir / "requirements.txt", "six\n")
    depguard("check")
    import diskcache

    with diskcache.Cache(env["DEPGUARD_CACHE_DIR"]) as raw:
        for key in list(raw.iterkeys()):
            raw.set(key, b"{not json")
    registry.requests.clear()
    result = depguard("check", "-f", "json")
    assert result.package("six")["verdict"] == "allow"
    assert registry.count("/pypi/six/json") == 1  # asked again


def test_pickled_values_are_refused(depguard, registry, workdir: Path, env, tmp_path: Path) -> None:
    write(workdir / "requirements.txt", "six\n")
    depguard("check")
    marker = tmp_path / "pwned"

    class Evil:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    import diskcache

    with diskcache.Cache(env["DEPGUARD_CACHE_DIR"]) as raw:
        for key in list(raw.iterkeys()):
            raw.set(key, Evil())
    result = depguard("check", "-f", "json")
    assert not marker.exists()
    assert result.package("six")["verdict"] == "allow"


@pytest.mark.timeout(120)
def test_two_processes_share_one_cache(registry, workdir: Path, env) -> None:
    names = [f"missing-{i}" for i in range(30)] + ["six", "idna", "requests", "flask"]
    write(workdir / "requirements.txt", "\n".join(names) + "\n")
    registry.latency = 0.02
    command = [sys.executable, "-m", "depguard", "check", "requirements.txt", "-f", "json"]
    environment = {**os.environ, **env}
    runs = [
        subprocess.Popen(
            command, cwd=workdir, env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        for _ in range(2)
    ]
    outputs = [run.communicate(timeout=100) for run in runs]
    for run, (out, err) in zip(runs, outputs, strict=True):
        assert run.returncode == 1, err.decode()
        report = json.loads(out)
        verdicts = {p["normalized"]: p["verdict"] for p in report["packages"]}
        assert verdicts["six"] == "allow" and verdicts["missing-0"] == "block"
        assert len(verdicts) == len(names)
    again = subprocess.run(
        [*command, "--offline"], cwd=workdir, env=environment, capture_output=True, check=False
    )
    report = json.loads(again.stdout)
    assert all(p["lookup"]["from_cache"] for p in report["packages"])
