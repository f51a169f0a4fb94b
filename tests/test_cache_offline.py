"""The cache: warm runs ask nothing, --refresh asks again, --offline never asks."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from depguard.cache import local_cache

from support import write


def test_warm_run_makes_no_requests(depguard, registry, workdir: Path) -> None:
    write(workdir / "requirements.txt", "six\nidna\nno-such-package-at-all\n")
    first = depguard("check", "-f", "json")
    assert registry.count("/pypi/") == 3
    registry.requests.clear()
    second = depguard("check", "-f", "json")
    assert registry.count("/pypi/") == 0
    assert second.package("six")["lookup"]["from_cache"] is True
    assert [p["verdict"] for p in first.json["packages"]] == [
        p["verdict"] for p in second.json["packages"]
    ]


def test_refresh_asks_again(depguard, registry, workdir: Path) -> None:
    write(workdir / "requirements.txt", "six\n")
    depguard("check")
    registry.requests.clear()
    depguard("check", "--refresh")
    assert registry.count("/pypi/six/json") == 1


def test_no_cache_neither_reads_nor_writes(depguard, registry, workdir: Path, env) -> None:
    write(workdir / "requirements.txt", "six\n")
    depguard("check", "--no-cache")
    depguard("check", "--no-cache")
    assert registry.count("/pypi/six/json") == 2
    assert not Path(env["DEPGUARD_CACHE_DIR"]).exists()


def test_cache_dir_flag(depguard, registry, workdir: Path, tmp_path: Path) -> None:
    write(workdir / "requirements.txt", "six\n")
    depguard("check", "--cache-dir", str(tmp_path / "elsewhere"))
    assert (tmp_path / "elsewhere").is_dir()


def test_offline_uses_cache_and_never_the_network(depguard, registry, workdir: Path) -> None:
    write(workdir / "requirements.txt", "six\nno-such-package-at-all\n")
    depguard("check")
    registry.requests.clear()
    write(workdir / "requirements.txt", "six\nno-such-package-at-all\nidna\nreqeusts\n")
    result = depguard("check", "--offline", "-f", "json")
    assert registry.requests == []
    assert result.package("six")["verdict"] == "allow"
    assert result.package("no-such-package-at-all")["verdict"] == "block"
    assert result.ids("idna") == ["unverified"]  # not cached: said so, not assumed fine
    assert result.package("idna")["verdict"] == "warn"


def test_not_found_entries_expire_quickly(depguard, registry, workdir: Path, env) -> None:
    write(workdir / "requirements.txt", "no-such-package-at-all\n")
    depguard("check")
    cache = local_cache(Path(env["DEPGUARD_CACHE_DIR"]))
    key = f"project|pypi|{registry.index_url}|no-such-package-at-all"
    later = dt.datetime.now(dt.timezone.utc) + dt.timedelta(hours=2)
    entry = cache.get(key, now=later)
    assert entry is not None and not entry.fresh
    found_key = key.replace("no-such-package-at-all", "six")
    depguard("check", "-", stdin="six\n")
    assert cache.get(found_key, now=later).fresh  # existing packages stay fresh for a day
    cache.close()


def test_cache_is_keyed_by_index(depguard, registry, workdir: Path, monkeypatch) -> None:
    write(workdir / "requirements.txt", "six\n")
    depguard("check")
    registry.requests.clear()
    monkeypatch.setenv("DEPGUARD_INDEX_URL", registry.index_url + "/")  # same index
    depguard("check")
    assert registry.count("/pypi/") == 0
    result = depguard(
        "check", "--index-url", f"http://127.0.0.1:{registry.port}/other", "-f", "json"
    )
    assert registry.count("/other/pypi/six/json") == 1
    assert result.package("six")["verdict"] == "block"  # that "index" has nothing


def test_stale_entry_is_used_when_the_registry_is_down(
    depguard, registry, workdir: Path, env
) -> None:
    write(workdir / "requirements.txt", "six\n")
    depguard("check")
    cache = local_cache(Path(env["DEPGUARD_CACHE_DIR"]))
    key = f"project|pypi|{registry.index_url}|six"
    entry = cache.get(key)
    old = dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=3)
    cache.set(key, entry.value, 24 * 3600, now=old)
    cache.close()
    from support.registry_server import Answer

    registry.routes["/pypi/six/json"] = Answer(503, b"down")
    result = depguard("check", "-f", "json")
    six = result.package("six")
    assert six["lookup"]["stale"] is True and six["lookup"]["error"]
    assert six["verdict"] == "allow"
