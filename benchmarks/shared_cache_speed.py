"""A fleet of CI jobs on ephemeral runners: with and without a shared Redis cache, side by side.

    python benchmarks/shared_cache_speed.py          # needs redis-server (Debian's package)

Ten `depguard check` jobs of the same 200 packages (the most-downloaded PyPI projects), each
on a fresh local cache directory (an ephemeral runner), against the loopback registry with
50 ms latency per request (the real project documents, recorded once into benchmarks/.data/
by check_speed.py). Each figure is the wall time of the whole `depguard` process.

* without a shared cache: every job is a cold run and asks the registry everything again;
* with one shared Redis: the first job fills it, the next nine are served by it, one after
  another; then nine more jobs start all at once (on a 2-core machine nine processes at once
  share the cores, so each takes longer than alone).

Targets (issue 13): registry requests ≈ 200 in all (not 2,000); every job after the first
under 0.6 s; a run whose shared cache holds everything under 0.5 s for 200 packages.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests"))

from check_speed import DATA, record, top_names  # noqa: E402

from support.redis_server import RedisServer, available  # noqa: E402
from support.registry_server import RegistryServer  # noqa: E402


def job(args: list[str], env: dict[str, str], cache: Path) -> float:
    started = time.perf_counter()
    done = subprocess.run(
        args,
        env={**env, "DEPGUARD_CACHE_DIR": str(cache)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        check=False,
    )
    elapsed = time.perf_counter() - started
    if done.returncode not in (0, 1):
        raise SystemExit(f"depguard failed ({done.returncode}): {done.stderr.decode()[-500:]}")
    return elapsed


def fleet(
    args: list[str], env: dict[str, str], work: Path, server: RegistryServer, jobs: int
) -> dict[str, object]:
    """The first job alone, then the others one after another, then all at once."""
    before = len(server.requests)
    first = job(args, env, work / "job-0")
    after_first = len(server.requests) - before
    one_by_one = [job(args, env, work / f"seq-{i}") for i in range(1, jobs)]
    sequential = len(server.requests) - before
    with ThreadPoolExecutor(jobs - 1) as pool:
        at_once = list(pool.map(lambda i: job(args, env, work / f"par-{i}"), range(1, jobs)))
    return {
        "first": first,
        "one_by_one": one_by_one,
        "at_once": at_once,
        "requests_first": after_first,
        "requests": sequential,
        "requests_at_once": len(server.requests) - before - sequential,
    }


def describe(times: list[float]) -> str:
    return f"median {statistics.median(times):.2f} s, max {max(times):.2f} s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--jobs", type=int, default=10)
    parser.add_argument("--latency", type=float, default=0.05)
    options = parser.parse_args()
    if not available():
        raise SystemExit("redis-server is not installed (Debian: apt-get install redis-server)")

    names = top_names(options.count)
    record(names)
    work = Path(tempfile.mkdtemp(prefix="depguard-fleet-"))
    requirements = work / "requirements.txt"
    requirements.write_text("\n".join(names) + "\n")
    depguard = shutil.which("depguard") or str(Path(sys.executable).parent / "depguard")
    args = [depguard, "check", str(requirements), "--format", "json"]
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DEPGUARD_", "REDIS_"))}
    base.pop("PYTHONDONTWRITEBYTECODE", None)  # an installed depguard has its bytecode
    base["NO_COLOR"] = "1"
    server = RegistryServer(DATA, latency=options.latency).start()
    redis = RedisServer(password="fleet-benchmark").start()
    base.update(server.env())
    try:
        alone = fleet(args, base, work / "alone", server, options.jobs)
        shared = fleet(
            args, {**base, "DEPGUARD_CACHE_URL": redis.url}, work / "shared", server, options.jobs
        )
        keys = sum(1 for _ in redis.client().scan_iter(match="depguard:*"))
        used = redis.client().info("memory")["used_memory"]
    finally:
        server.stop()
        redis.close()
        shutil.rmtree(work, ignore_errors=True)

    print(
        f"{options.jobs} depguard check jobs, {len(names)} distinct packages each, fresh local "
        f"cache per job; loopback registry, {options.latency * 1000:.0f} ms per request"
    )
    print(f"{'':40}{'local cache only':>26}{'+ one shared Redis':>26}")
    rows = [
        (
            f"registry requests, {options.jobs} jobs",
            f"{alone['requests']}",
            f"{shared['requests']}",
        ),
        ("  of which the first job", f"{alone['requests_first']}", f"{shared['requests_first']}"),
        ("first job", f"{alone['first']:.2f} s", f"{shared['first']:.2f} s"),
        (
            f"the {options.jobs - 1} later jobs, one at a time",
            describe(alone["one_by_one"]),  # type: ignore[arg-type]
            describe(shared["one_by_one"]),  # type: ignore[arg-type]
        ),
        (
            f"{options.jobs - 1} more jobs all at once",
            describe(alone["at_once"]),  # type: ignore[arg-type]
            describe(shared["at_once"]),  # type: ignore[arg-type]
        ),
        (
            "  their registry requests",
            f"{alone['requests_at_once']}",
            f"{shared['requests_at_once']}",
        ),
    ]
    for label, left, right in rows:
        print(f"{label:40}{left:>26}{right:>26}")
    print(f"(this machine: {os.cpu_count()} cores; jobs at once share them)")
    print(f"shared cache afterwards: {keys} keys, {used / 1e6:.1f} MB used by Redis")


if __name__ == "__main__":
    main()
