"""How long `depguard check` takes for 200 distinct packages, cold and warm.

    python benchmarks/check_speed.py            # loopback registry, 50 ms added latency
    python benchmarks/check_speed.py --live     # the real index (needs the network)

The loopback registry serves the real project documents of the 200 most-downloaded PyPI
projects (about 200 MB; botocore's alone is ~4 MB). They are recorded once into
benchmarks/.data/ (not committed) from the live index; later runs reuse them.
Each figure is the wall time of the whole `depguard` process (start-up, imports, parsing,
network, judging, rendering), the median of several runs.

Targets (issue 2): cold < 1.5 s, warm < 0.6 s on the loopback registry.
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
ROOT = HERE.parent
DATA = HERE / ".data"
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "src"))

from depguard import endpoints  # noqa: E402
from depguard.model import Ecosystem  # noqa: E402
from depguard.popularity import snapshot  # noqa: E402


def top_names(count: int) -> list[str]:
    entries = sorted(snapshot(Ecosystem.PYPI), key=lambda e: e.rank)
    return [e.name for e in entries[:count]]


def record(names: list[str]) -> None:
    import httpx

    target = DATA / "pypi" / "json"
    target.mkdir(parents=True, exist_ok=True)
    missing = [n for n in names if not (target / f"{n}.json").is_file()]
    if not missing:
        return
    print(f"recording {len(missing)} project documents from the live index ...", flush=True)
    with httpx.Client(timeout=60) as client:

        def fetch(name: str) -> None:
            response = client.get(f"{endpoints.PYPI_INDEX}/pypi/{name}/json")
            if response.status_code == 200:
                (target / f"{name}.json").write_bytes(response.content)

        with ThreadPoolExecutor(8) as pool:
            list(pool.map(fetch, missing))


def run(args: list[str], env: dict[str, str]) -> tuple[float, int]:
    started = time.perf_counter()
    done = subprocess.run(
        args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False
    )
    elapsed = time.perf_counter() - started
    if done.returncode not in (0, 1):
        raise SystemExit(f"depguard failed ({done.returncode}): {done.stderr.decode()[-500:]}")
    return elapsed, done.returncode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--live", action="store_true", help="use the real index")
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args()

    names = top_names(options.count)
    work = Path(tempfile.mkdtemp(prefix="depguard-bench-"))
    requirements = work / "requirements.txt"
    requirements.write_text("\n".join(names) + "\n")
    depguard = shutil.which("depguard") or str(Path(sys.executable).parent / "depguard")
    env = {k: v for k, v in os.environ.items() if not k.startswith("DEPGUARD_")}
    env["NO_COLOR"] = "1"
    server = None
    if not options.live:
        from support.registry_server import RegistryServer

        record(names)
        server = RegistryServer(DATA, latency=options.latency).start()
        env.update(server.env())
        where = f"loopback registry, {options.latency * 1000:.0f} ms latency per request"
    else:
        where = "the live index"
    try:
        cold, warm = [], []
        for attempt in range(options.runs):
            cache = work / f"cache-{attempt}"
            env["DEPGUARD_CACHE_DIR"] = str(cache)
            args = [depguard, "check", str(requirements), "--format", "json"]
            cold.append(run(args, env)[0])
            warm.append(run(args, env)[0])
        size = (
            sum(p.stat().st_size for p in (DATA / "pypi" / "json").glob("*.json"))
            if not options.live
            else 0
        )
        print(f"depguard check, {len(names)} distinct packages, {where}")
        if size:
            print(f"  documents served: {size / 1e6:.0f} MB")
        print(
            f"  cold cache: median {statistics.median(cold):.2f} s "
            f"(min {min(cold):.2f}, max {max(cold):.2f}, {len(cold)} runs)"
        )
        print(
            f"  warm cache: median {statistics.median(warm):.2f} s "
            f"(min {min(warm):.2f}, max {max(warm):.2f}, {len(warm)} runs)"
        )
        if server is not None:
            print(f"  most requests in flight at once: {server.max_in_flight}")
    finally:
        if server is not None:
            server.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
