"""What an assistant waits for: ``check_packages`` through ``depguard mcp``, over stdio.

    python benchmarks/mcp_speed.py [--names 50] [--runs 7]

Starts the loopback registry (tests/support) and ``depguard mcp`` as a subprocess, spoken to
with the official SDK's client. The first call fills the cache (cold); the next RUNS calls of
the same NAMES names are warm. Beside it, the same names through ``depguard check -`` (a whole
process each time, warm), the way an assistant without the server would shell out.

Target (issue 16): a warm call for 50 names returns in under 0.3 s.
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

import anyio
from mcp import ClientSession
from mcp.client.stdio import StdioServerParameters, stdio_client

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from support.registry_server import RegistryServer  # noqa: E402


def names(count: int) -> list[str]:
    known = sorted(p.stem for p in (ROOT / "fixtures/pypi/json").glob("*.json"))
    return (known + [f"bench-missing-{n:03d}" for n in range(count)])[:count]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--names", type=int, default=50)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    wanted = names(args.names)
    server = RegistryServer().start()
    try:
        with tempfile.TemporaryDirectory() as scratch:
            work = Path(scratch)
            env = {
                **os.environ,
                **server.env(),
                "DEPGUARD_CACHE_DIR": str(work / "cache"),
                "NO_COLOR": "1",
            }
            cold, warm = anyio.run(calls, env, work, wanted, args.runs)
            shell = []
            stdin = "\n".join(wanted) + "\n"
            for _ in range(args.runs):
                started = time.perf_counter()
                subprocess.run(
                    [sys.executable, "-m", "depguard", "check", "-", "-f", "json"],
                    input=stdin,
                    capture_output=True,
                    text=True,
                    env=env,
                    cwd=work,
                    check=False,
                )
                shell.append(time.perf_counter() - started)
    finally:
        server.stop()
    print(f"check_packages, {len(wanted)} names, over MCP stdio")
    print(f"  cold (first call)            {cold:.3f} s")
    print(f"  warm (median of {args.runs})          {statistics.median(warm):.3f} s")
    print(f"'depguard check -' of the same names, a whole process, warm (median of {args.runs})")
    print(f"                               {statistics.median(shell):.3f} s")


async def calls(
    env: dict[str, str], work: Path, wanted: list[str], runs: int
) -> tuple[float, list[float]]:
    parameters = StdioServerParameters(
        command=sys.executable, args=["-m", "depguard", "mcp"], env=env, cwd=str(work)
    )
    with (work / "mcp-stderr.log").open("w") as errlog:
        async with (
            stdio_client(parameters, errlog=errlog) as (read, write),
            ClientSession(read, write) as session,
        ):
            await session.initialize()
            started = time.perf_counter()
            await session.call_tool("check_packages", {"packages": wanted})
            cold = time.perf_counter() - started
            warm = []
            for _ in range(runs):
                started = time.perf_counter()
                result = await session.call_tool("check_packages", {"packages": wanted})
                warm.append(time.perf_counter() - started)
                assert not result.is_error
    return cold, warm


if __name__ == "__main__":
    main()
