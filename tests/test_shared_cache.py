"""The shared cache (issue 13): a real redis-server behind the local tier, as a fleet uses it.

Every test runs the depguard command against the loopback registry and a redis-server started
on a free port; nothing is mocked. What is checked: hits and misses counted at the registry,
verdicts unchanged by anything Redis does (dies, fills up, serves garbage or forgeries), and
no credential in any output or key.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from depguard.cache.redis_store import PREFIX

from support import write
from support.redis_server import RedisServer

NAMES = ["six", "idna", "requests", "flask", "no-such-package-at-all", "reqeusts"]


def verdicts(result) -> dict[str, str]:
    return {p["name"]: p["verdict"] for p in result.json["packages"]}


def use(monkeypatch, server: RedisServer, tmp_path: Path, job: str) -> None:
    """One CI job: a fresh local cache directory, the fleet's shared Redis."""
    monkeypatch.setenv("DEPGUARD_CACHE_DIR", str(tmp_path / f"local-{job}"))
    monkeypatch.setenv("DEPGUARD_CACHE_URL", server.url)


def fleet_keys(server: RedisServer) -> list[bytes]:
    return list(server.client().scan_iter(match="depguard:*"))


def test_second_job_is_served_by_the_shared_cache(
    depguard, registry, workdir: Path, tmp_path: Path, monkeypatch, redis_server
) -> None:
    write(workdir / "requirements.txt", "\n".join(NAMES) + "\n")
    use(monkeypatch, redis_server, tmp_path, "one")
    first = depguard("check", "-f", "json")
    asked = len(registry.requests)
    assert asked >= len(NAMES)
    assert fleet_keys(redis_server)  # written for the fleet
    registry.requests.clear()
    use(monkeypatch, redis_server, tmp_path, "two")  # a new runner: empty local cache
    second = depguard("check", "-f", "json")
    assert registry.requests == []  # nothing asked again
    assert verdicts(second) == verdicts(first) and second.code == first.code
    assert all(p["lookup"]["from_cache"] for p in second.json["packages"])
    assert second.json["notices"] == first.json["notices"]


def test_shared_hits_fill_the_local_tier(
    depguard, registry, workdir: Path, tmp_path: Path, monkeypatch, redis_server
) -> None:
    write(workdir / "requirements.txt", "six\nidna\n")
    use(monkeypatch, redis_server, tmp_path, "one")
    depguard("check")
    use(monkeypatch, redis_server, tmp_path, "two")
    depguard("check")  # from Redis, kept locally
    redis_server.stop()
    registry.requests.clear()
    result = depguard("check", "-f", "json")
    assert registry.requests == []  # the local tier answered
    assert verdicts(result) == {"six": "allow", "idna": "allow"}
    assert any("shared cache" in n and "bypassed" in n for n in result.json["notices"])


def test_entries_expire_with_their_freshness(
    depguard, registry, workdir: Path, tmp_path: Path, monkeypatch, redis_server
) -> None:
    write(workdir / "requirements.txt", "six\nno-such-package-at-all\n")
    use(monkeypatch, redis_server, tmp_path, "one")
    depguard("check")
    client = redis_server.client()
    ttls = {
        key.decode().split("|")[-1]: client.ttl(key)
        for key in fleet_keys(redis_server)
        if key.decode().startswith(f"{PREFIX}project|")
    }
    assert 23 * 3600 < ttls["six"] <= 24 * 3600  # existing projects: a day
    assert 3000 < ttls["no-such-package-at-all"] <= 3600  # names that do not exist: an hour


@pytest.mark.timeout(120)
def test_two_concurrent_processes_share_one_redis(
    registry, workdir: Path, tmp_path: Path, env, redis_server
) -> None:
    names = [f"missing-{i}" for i in range(30)] + ["six", "idna", "requests", "flask"]
    write(workdir / "requirements.txt", "\n".join(names) + "\n")
    registry.latency = 0.02
    command = [sys.executable, "-m", "depguard", "check", "requirements.txt", "-f", "json"]
    runs = [
        subprocess.Popen(
            command,
            env={
                **os.environ,
                **env,
                "DEPGUARD_CACHE_DIR": str(tmp_path / f"local-{i}"),
                "DEPGUARD_CACHE_URL": redis_server.url,
            },
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for i in range(2)
    ]
    outputs = [run.communicate(timeout=100) for run in runs]
    reports = [json.loads(out) for out, _ in outputs]
    for report, (_, err) in zip(reports, outputs, strict=True):
        assert {p["name"]: p["verdict"] for p in report["packages"]} == {
            **{n: "block" for n in names if n.startswith("missing-")},
            "six": "allow",
            "idna": "allow",
            "requests": "allow",
            "flask": "allow",
        }, err
    registry.requests.clear()
    third = subprocess.run(
        command,
        env={
            **os.environ,
            **env,
            "DEPGUARD_CACHE_DIR": str(tmp_path / "local-third"),
            "DEPGUARD_CACHE_URL": redis_server.url,
        },
        capture_output=True,
        check=False,
    )
    assert third.returncode == 1 and registry.requests == []  # both wrote; nothing was lost


def test_redis_killed_mid_run_changes_no_verdict(
    depguard, registry, workdir: Path, tmp_path: Path, monkeypatch, redis_server
) -> None:
    write(workdir / "requirements.txt", "\n".join(NAMES) + "\n")
    monkeypatch.setenv("DEPGUARD_CACHE_DIR", str(tmp_path / "baseline"))
    baseline = depguard("check", "-f", "json", "--no-cache")

    def kill_on_first_request(info):
        redis_server.stop()  # after the run read Redis, before it writes
        return

    registry.handler = kill_on_first_request
    use(monkeypatch, redis_server, tmp_path, "one")
    result = depguard("check", "-f", "json")
    assert verdicts(result) == verdicts(baseline) and result.code == baseline.code
    notices = [n for n in result.json["notices"] if "shared cache" in n]
    assert len(notices) == 1 and "bypassed" in notices[0]
    # gone before the run starts: the same verdicts, the same single notice
    registry.handler = None
    use(monkeypatch, redis_server, tmp_path, "two")
    again = depguard("check", "-f", "json")
    assert verdicts(again) == verdicts(baseline)
    assert len([n for n in again.json["notices"] if "shared cache" in n]) == 1
    # back again: the next job fills it
    redis_server.start()
    use(monkeypatch, redis_server, tmp_path, "three")
    depguard("check")
    assert fleet_keys(redis_server)


def test_redis_out_of_memory_changes_no_verdict(
    depguard, registry, workdir: Path, tmp_path: Path, monkeypatch, redis_factory
) -> None:
    server = redis_factory(password="fleet-s3cret", maxmemory="1mb")
    client = server.client()
    import redis

    with pytest.raises(redis.exceptions.OutOfMemoryError):  # someone else's data fills it
        for i in range(5000):
            client.set(f"ballast-{i}", b"x" * 1000)
    write(workdir / "requirements.txt", "\n".join(NAMES) + "\n")
    baseline = depguard("check", "-f", "json", "--no-cache")
    use(monkeypatch, server, tmp_path, "one")
    result = depguard("check", "-f", "json")
    assert verdicts(result) == verdicts(baseline) and result.code == baseline.code
    notices = [n for n in result.json["notices"] if "shared cache" in n]
    assert len(notices) == 1 and "not written" in notices[0], notices
    assert "maxmemory" in notices[0]


def test_unreachable_redis_is_one_notice_and_no_secret(
    depguard, registry, workdir: Path, tmp_path: Path, monkeypatch
) -> None:
    from support.redis_server import free_port

    write(workdir / "requirements.txt", "six\n")
    monkeypatch.setenv("DEPGUARD_CACHE_URL", f"redis://fleet:hunter22@127.0.0.1:{free_port()}/3")
    for form in ("json", "text", "sarif", "markdown", "github"):
        result = depguard("check", "-f", form)
        assert result.code == 0, result.err
        assert "hunter22" not in result.out + result.err
    result = depguard("check", "-f", "json")
    notice = [n for n in result.json["notices"] if "shared cache" in n]
    assert len(notice) == 1 and "127.0.0.1" in notice[0] and "***" in notice[0]


def test_credentials_never_reach_output_or_keys(
    depguard, registry, workdir: Path, tmp_path: Path, monkeypatch, redis_factory, env
) -> None:
    server = redis_factory(password="pa55-word")
    write(workdir / "requirements.txt", "six\nno-such-package-at-all\n")
    monkeypatch.setenv("DEPGUARD_CACHE_DIR", str(tmp_path / "local"))
    monkeypatch.setenv("DEPGUARD_CACHE_URL", f"redis://127.0.0.1:{server.port}/0")
    monkeypatch.setenv("REDIS_PASSWORD", "pa55-word")
    index = env["DEPGUARD_INDEX_URL"].replace("http://", "http://ci:t0ken-x@")
    result = depguard("check", "-f", "json", "--index-url", index)
    assert result.package("six")["verdict"] == "allow", result.err
    assert not any("shared cache" in n for n in result.json["notices"])
    keys = fleet_keys(server)
    assert keys
    values = [server.client().get(k) or b"" for k in keys]
    for secret in (b"pa55-word", b"t0ken-x"):
        assert not any(secret in k for k in keys), keys
        assert not any(secret in v for v in values)
        assert secret.decode() not in result.out + result.err
    import diskcache

    with diskcache.Cache(str(tmp_path / "local")) as local:
        assert not any("t0ken-x" in str(k) for k in local.iterkeys())


def test_open_redis_without_a_key_is_not_trusted(
    depguard, registry, workdir: Path, tmp_path: Path, monkeypatch, redis_factory
) -> None:
    server = redis_factory()  # no password: anyone who reaches it can write
    write(workdir / "requirements.txt", "six\n")
    use(monkeypatch, server, tmp_path, "one")
    result = depguard("check", "-f", "json")
    assert result.code == 0
    assert any("not used" in n and "DEPGUARD_CACHE_KEY" in n for n in result.json["notices"])
    monkeypatch.setenv("DEPGUARD_CACHE_KEY", "a fleet secret")
    use(monkeypatch, server, tmp_path, "two")
    depguard("check")
    assert fleet_keys(server)  # with a key it is used
    registry.requests.clear()
    use(monkeypatch, server, tmp_path, "three")
    result = depguard("check", "-f", "json")
    assert registry.requests == [] and not result.json["notices"]


def planted(server: RedisServer, name: str) -> list[bytes]:
    """The keys of ``name``'s project facts."""
    return [
        k
        for k in fleet_keys(server)
        if k.decode().startswith(f"{PREFIX}project|") and k.decode().endswith(f"|{name}")
    ]


def test_values_planted_by_someone_else_are_misses(
    depguard, registry, workdir: Path, tmp_path: Path, monkeypatch, redis_server
) -> None:
    """Whoever can reach the Redis but lacks the fleet's secret cannot turn a verdict: not with
    garbage, not with a well-formed record of our own format (a forged old ``created`` date
    for a look-alike), not by copying a genuine entry to another key, not with a giant."""
    write(workdir / "requirements.txt", "requests\nreqeusts\nno-such-package-at-all\nsix\n")
    use(monkeypatch, redis_server, tmp_path, "honest")
    honest = depguard("check", "-f", "json")
    assert honest.package("reqeusts")["verdict"] != "allow"
    assert honest.package("no-such-package-at-all")["verdict"] == "block"
    client = redis_server.client()
    genuine = client.get(planted(redis_server, "requests")[0])
    body = genuine.split(b".", 2)[2]
    record = json.loads(body)
    info = record["value"]["info"]
    forged_info = {
        **info,
        "name": "reqeusts",
        "created": "2011-02-14T00:00:00+00:00",
        "releases": 150,
        "vulnerabilities": [],
    }
    forged = json.dumps({**record, "value": {"status": "found", "info": forged_info}}).encode()
    for key in planted(redis_server, "reqeusts"):
        client.set(key, b"dg1." + b"0" * 64 + b"." + forged)  # our format, a made-up MAC
    for key in planted(redis_server, "no-such-package-at-all"):
        client.set(key, genuine)  # a genuine entry, under the wrong key
    for key in planted(redis_server, "six"):
        client.set(key, b"\x80\x04garbage" * 10)
    registry.requests.clear()
    use(monkeypatch, redis_server, tmp_path, "victim")
    result = depguard("check", "-f", "json")
    assert verdicts(result) == verdicts(honest)
    assert registry.count("/pypi/reqeusts/json") == 1  # asked the registry instead
    assert registry.count("/pypi/no-such-package-at-all/json") == 1
    assert registry.count("/pypi/six/json") == 1
    assert registry.count("/pypi/requests/json") == 0  # the genuine entry still serves
    notice = [n for n in result.json["notices"] if "failed verification" in n]
    assert notice == [f"shared cache redis://***@127.0.0.1:{redis_server.port}/0: 3 entries "
                      "failed verification and were ignored"]  # fmt: skip


def test_a_giant_value_is_not_read_whole(
    depguard, registry, workdir: Path, tmp_path: Path, monkeypatch, redis_server
) -> None:
    write(workdir / "requirements.txt", "six\n")
    use(monkeypatch, redis_server, tmp_path, "one")
    depguard("check")
    for key in planted(redis_server, "six"):
        redis_server.client().set(key, b"dg1." + b"a" * (64 * 1024 * 1024))
    registry.requests.clear()
    use(monkeypatch, redis_server, tmp_path, "two")
    result = depguard("check", "-f", "json")
    assert result.package("six")["verdict"] == "allow"
    assert registry.count("/pypi/six/json") == 1


def test_bad_cache_urls_are_usage_errors(depguard, workdir: Path) -> None:
    write(workdir / "requirements.txt", "six\n")
    bad = depguard("check", "--cache-url", "http://u:pw@127.0.0.1:1/0")
    assert bad.code == 2 and "cache_url must be a redis://, rediss://, unix:// URL" in bad.err
    assert "pw" not in bad.err.replace("redis", "")
    write(workdir / "depguard.toml", 'cache_url = "memcached://127.0.0.1"\n')
    assert depguard("check").code == 2


def test_a_unix_socket_url(
    depguard, registry, workdir: Path, tmp_path: Path, monkeypatch, redis_factory
) -> None:
    socket_path = tmp_path / "redis.sock"
    redis_factory(password="fleet-s3cret", unixsocket=socket_path)
    write(workdir / "requirements.txt", "six\n")
    monkeypatch.setenv("DEPGUARD_CACHE_DIR", str(tmp_path / "one"))
    monkeypatch.setenv("DEPGUARD_CACHE_URL", f"unix://:fleet-s3cret@{socket_path}?db=0")
    first = depguard("check", "-f", "json")
    assert not first.json["notices"], first.json["notices"]
    registry.requests.clear()
    monkeypatch.setenv("DEPGUARD_CACHE_DIR", str(tmp_path / "two"))
    second = depguard("check", "-f", "json")
    assert registry.requests == [] and second.package("six")["verdict"] == "allow"


@pytest.mark.parametrize("kind", ["silent", "garbage"])
def test_a_slow_or_garbled_redis_is_one_notice(
    depguard, registry, workdir: Path, tmp_path: Path, monkeypatch, kind: str
) -> None:
    """A server that accepts and never answers (slow), or one that speaks another protocol
    (the loopback HTTP registry itself): the run goes on, about a second later at most."""
    import socket
    import time

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)  # the kernel completes connections; nobody ever reads or answers
    port = listener.getsockname()[1] if kind == "silent" else registry.port
    try:
        write(workdir / "requirements.txt", "six\nno-such-package-at-all\n")
        monkeypatch.setenv("DEPGUARD_CACHE_URL", f"redis://:pw@127.0.0.1:{port}/0")
        started = time.monotonic()
        result = depguard("check", "-f", "json")
        assert time.monotonic() - started < 5
    finally:
        listener.close()
    assert verdicts(result) == {"six": "allow", "no-such-package-at-all": "block"}
    notices = [n for n in result.json["notices"] if "shared cache" in n]
    assert len(notices) == 1 and "bypassed" in notices[0], result.json["notices"]
