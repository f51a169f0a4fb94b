"""What internal packages cost `depguard check`: a real pypiserver and the loopback public index.

    python benchmarks/private_index_speed.py [--internal 50] [--latency 0.05] [--runs 3]

Three projects side by side, each the same public names (recorded fixtures) plus:
* ``public only``: nothing else;
* ``internal``: ``--internal`` names served by a private pypiserver, ``private = ["acme-*"]``
  (each internal name is asked of the private index and, for its public twin, of the public one);
* ``internal, no config``: the same names with no private index configured (what a team saw
  before: every internal name a `not-found` from the public index).
Each figure is the wall time of the whole `depguard` process, the median of ``--runs``; cold is
an empty cache, warm a second run on it. The loopback servers add ``--latency`` per request.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "tests"))

from support.private_index import PyPIServer, write_wheel  # noqa: E402
from support.registry_server import RegistryServer  # noqa: E402

PUBLIC = ["six", "requests", "idna", "certifi", "urllib3", "charset-normalizer", "flask"]


def timed(args: list[str], env: dict[str, str], cwd: Path) -> float:
    started = time.perf_counter()
    done = subprocess.run(
        args, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False
    )
    elapsed = time.perf_counter() - started
    if done.returncode not in (0, 1):
        raise SystemExit(f"depguard failed ({done.returncode}): {done.stderr.decode()[-500:]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--internal", type=int, default=50)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="depguard-private-bench-"))
    internal = [f"acme-pkg-{n}" for n in range(options.internal)]
    for name in internal:
        write_wheel(work / "packages", name, "1.0")
    private = PyPIServer(work / "packages")
    public = RegistryServer(latency=options.latency).start()
    command = [sys.executable, "-m", "depguard", "check", "-q"]
    projects = {
        "public only": (PUBLIC, ""),
        "internal": (PUBLIC + internal, 'private = ["acme-*"]\n'),
        "internal, no config": (PUBLIC + internal, ""),
    }
    try:
        print(
            f"{len(PUBLIC)} public names, {options.internal} internal; "
            f"{options.latency * 1000:.0f} ms per loopback request; median of {options.runs}"
        )
        print(f"{'project':<22} {'cold (s)':>9} {'warm (s)':>9}")
        for label, (names, config) in projects.items():
            project = work / label.replace(" ", "-").replace(",", "")
            project.mkdir()
            (project / ".git").mkdir()
            (project / "requirements.txt").write_text("\n".join(names) + "\n")
            (project / "depguard.toml").write_text(config + "downloads_api = false\n")
            cold, warm = [], []
            for run in range(options.runs):
                env = {
                    **{k: v for k, v in os.environ.items() if not k.startswith("DEPGUARD_")},
                    **public.env(),
                    "DEPGUARD_PRIVATE_INDEX_URL": private.simple,
                    "DEPGUARD_CACHE_DIR": str(project / f"cache-{run}"),
                }
                if not config:
                    del env["DEPGUARD_PRIVATE_INDEX_URL"]
                cold.append(timed(command, env, project))
                warm.append(timed(command, env, project))
            print(f"{label:<22} {statistics.median(cold):>9.2f} {statistics.median(warm):>9.2f}")
    finally:
        private.stop()
        public.stop()


if __name__ == "__main__":
    main()
