"""What the CI formats, --diff and review cost: whole-process wall times on a warm cache.

    python benchmarks/workflows_speed.py [--files 2000] [--runs 7]

A temporary git repository holds a requirements.txt naming 200 packages (the recorded fixtures
plus names the index does not know, so every package is looked up) and FILES other tracked
files (Python sources and nested requirements files), committed; one line is then changed.
The loopback registry (tests/support) serves the recorded fixtures. After one cold run fills
the cache, each command is timed RUNS times; the median is printed, in seconds.

Target (issue 2): a warm run of 200 packages stays under 0.6 s for the whole process.
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

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from support.registry_server import RegistryServer  # noqa: E402

GIT_ENV = {
    "GIT_AUTHOR_NAME": "bench",
    "GIT_AUTHOR_EMAIL": "bench@example.invalid",
    "GIT_COMMITTER_NAME": "bench",
    "GIT_COMMITTER_EMAIL": "bench@example.invalid",
}


def build_repo(repo: Path, files: int) -> None:
    known = sorted(p.stem for p in (ROOT / "fixtures/pypi/json").glob("*.json"))
    names = known + [f"bench-missing-{n:03d}" for n in range(200 - len(known))]
    (repo / "requirements.txt").write_text("\n".join(names) + "\n")
    for n in range(files):
        folder = repo / "pkg" / f"mod{n // 100:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        if n % 50 == 0:
            (folder / f"requirements-{n}.txt").write_text("six\nidna>=3\n")
        else:
            (folder / f"m{n}.py").write_text(f"import os\nimport six\nVALUE = {n}\n")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "base")
    text = (repo / "requirements.txt").read_text().replace("six\n", "six>=1.16\n")
    (repo / "requirements.txt").write_text(text + "bench-added-name\n")


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, env={**os.environ, **GIT_ENV})


def timed(command: list[str], cwd: Path, env: dict[str, str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, cwd=cwd, env=env, capture_output=True, check=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    depguard = str(Path(sys.executable).parent / "depguard")
    server = RegistryServer().start()
    try:
        with tempfile.TemporaryDirectory(prefix="depguard-bench-") as tmp:
            repo = Path(tmp) / "repo"
            repo.mkdir()
            build_repo(repo, args.files)
            env = {**os.environ, **server.env(), "DEPGUARD_CACHE_DIR": str(Path(tmp) / "cache")}
            env["NO_COLOR"] = "1"
            subprocess.run(
                [depguard, "check", "requirements.txt"],
                cwd=repo,
                env=env,
                capture_output=True,
                check=False,
            )  # fill the cache
            subprocess.run(
                [depguard, "review", "six", "requests", "flask"],
                cwd=repo,
                env=env,
                capture_output=True,
                check=False,
            )
            cases = {
                "depguard --version (start-up)": [depguard, "--version"],
                "check requirements.txt, 200 packages, text": [
                    depguard,
                    "check",
                    "requirements.txt",
                ],
            }
            for fmt in ("json", "sarif", "github", "markdown"):
                cases[f"check requirements.txt, 200 packages, {fmt}"] = [
                    depguard,
                    "check",
                    "requirements.txt",
                    "-f",
                    fmt,
                ]
            cases["check requirements.txt --format sarif --output FILE"] = [
                depguard,
                "check",
                "requirements.txt",
                "-f",
                "sarif",
                "-o",
                "out.sarif",
            ]
            cases[f"check . (tree of {args.files} files)"] = [depguard, "check", "."]
            cases[f"check . --diff HEAD (tree of {args.files} files)"] = [
                depguard,
                "check",
                ".",
                "--diff",
                "HEAD",
            ]
            cases["review six requests flask"] = [depguard, "review", "six", "requests", "flask"]
            print(f"median of {args.runs} runs, warm cache, loopback registry:")
            for label, command in cases.items():
                seconds = timed(command, repo, env, args.runs)
                print(f"  {seconds:6.3f} s  {label}")
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
