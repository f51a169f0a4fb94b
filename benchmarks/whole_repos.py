"""`depguard check .` on the source trees of well-known Python projects: blocks and warnings.

    python benchmarks/whole_repos.py                      # the default projects
    python benchmarks/whole_repos.py scrapy django ...    # these ones
    python benchmarks/whole_repos.py --show               # and every block and warning

Each project's newest sdist (it holds the source tree: code, tests, docs, requirement files)
is downloaded from the index once into benchmarks/.data/sdists/ (not committed) and unpacked
there; nothing in it is built, imported or run. Then the installed `depguard check . --format
json` runs at the tree's root with default settings, and the figures per project are printed:
packages judged, blocked, warned, the warn rate, input errors, exit code and wall time.

Issue 17's bar: no false block, warnings at most 2 % of packages, a JSON report every time.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tarfile
import time
import zipfile
from pathlib import Path
from urllib.parse import urljoin

import httpx

HERE = Path(__file__).resolve().parent
DATA = HERE / ".data" / "sdists"
sys.path.insert(0, str(HERE.parent / "src"))

from depguard import endpoints  # noqa: E402

PROJECTS = (
    "scrapy",
    "django",
    "celery",
    "black",
    "sphinx",
    "pydantic",
    "httpx",
    "fastapi",
    "twisted",
    "poetry",
    "flask",
    "requests",
    "pytest",
    "rich",
    "transformers",
)
MAX_SDIST = 64 * 1024 * 1024


def fetch(project: str, client: httpx.Client) -> Path:
    """The unpacked source tree of the project's newest sdist (downloaded once)."""
    marker = DATA / f"{project}.root"
    if marker.is_file():
        root = Path(marker.read_text().strip())
        if root.is_dir():
            return root
    answer = client.get(f"{endpoints.PYPI_INDEX}/pypi/{project}/json")
    answer.raise_for_status()
    sdists = [f for f in answer.json()["urls"] if f["packagetype"] == "sdist"]
    if not sdists:
        raise SystemExit(f"{project}: no sdist in its newest release")
    file = sdists[0]
    if file["size"] > MAX_SDIST:
        raise SystemExit(f"{project}: sdist of {file['size']} bytes is over the bound")
    archive = DATA / file["filename"]
    if not archive.is_file():
        url = urljoin(str(answer.url), file["url"])  # a mirror may answer with relative URLs
        body = client.get(url).raise_for_status().content
        archive.write_bytes(body)
    target = DATA / project
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    if archive.name.endswith(".zip"):
        with zipfile.ZipFile(archive) as zipped:
            zipped.extractall(target)
    else:
        with tarfile.open(archive) as tarred:
            tarred.extractall(target, filter="data")
    entries = list(target.iterdir())
    root = entries[0] if len(entries) == 1 and entries[0].is_dir() else target
    marker.write_text(str(root))
    return root


def run(root: Path, command: str) -> tuple[dict[str, object] | None, int, float, str]:
    started = time.perf_counter()
    done = subprocess.run(
        [command, "check", ".", "--format", "json"],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - started
    try:
        report = json.loads(done.stdout)
    except ValueError:
        report = None
    return report, done.returncode, elapsed, done.stderr


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("projects", nargs="*", default=list(PROJECTS))
    parser.add_argument("--show", action="store_true", help="print every block and warning")
    parser.add_argument(
        "--depguard",
        default=shutil.which("depguard") or str(Path(sys.executable).with_name("depguard")),
        help="the installed command to run (default: on PATH, else next to this Python)",
    )
    args = parser.parse_args()
    DATA.mkdir(parents=True, exist_ok=True)
    rows = []
    with httpx.Client(timeout=120, follow_redirects=True) as client:
        roots = {project: fetch(project, client) for project in args.projects}
    print(
        f"{'project':<14} {'packages':>8} {'blocked':>7} {'warned':>6} {'warn %':>6} "
        f"{'errors':>6} {'exit':>4} {'seconds':>7}"
    )
    totals = [0, 0, 0]
    for project, root in roots.items():
        report, code, elapsed, stderr = run(root, args.depguard)
        if report is None:
            print(f"{project:<14} no JSON report (exit {code}): {stderr.strip()[-300:]}")
            continue
        packages = report.get("packages", [])
        assert isinstance(packages, list)
        blocked = [p for p in packages if p.get("verdict") == "block"]
        warned = [p for p in packages if p.get("verdict") == "warn"]
        errors = report.get("errors", [])
        assert isinstance(errors, list)
        rate = 100 * len(warned) / len(packages) if packages else 0.0
        print(
            f"{project:<14} {len(packages):>8} {len(blocked):>7} {len(warned):>6} "
            f"{rate:>6.1f} {len(errors):>6} {code:>4} {elapsed:>7.1f}"
        )
        totals[0] += len(packages)
        totals[1] += len(blocked)
        totals[2] += len(warned)
        if args.show:
            for package in (*blocked, *warned):
                findings = ", ".join(f["id"] for f in package.get("findings", []))
                where = package.get("locations", [""])[:1]
                print(f"    {package['verdict']:<5} {package['name']:<30} {findings}  {where}")
            for error in errors[:10]:
                print(f"    error {error}")
        rows.append(project)
    if totals[0]:
        print(
            f"{'total':<14} {totals[0]:>8} {totals[1]:>7} {totals[2]:>6} "
            f"{100 * totals[2] / totals[0]:>6.1f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
