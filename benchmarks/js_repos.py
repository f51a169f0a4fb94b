"""Whole JavaScript/TypeScript trees: blocks and warnings of `depguard check .` per project.

    python benchmarks/js_repos.py [--work DIR] [--packages NAME ...] [--details] [--offline]

Real trees obtainable here: the published npm tarballs of well-known packages (fetched with
`npm pack --ignore-scripts`, the ordinary client; nothing is installed or run), many of which
ship their tests, fixtures, templates and framework sources. They are unpacked side by side
under ``DIR/tree/`` as a monorepo would hold them, and the installed `depguard check .` runs at
each project's root (and once at the monorepo root). Printed per project: packages checked,
blocks, warnings (and their share of the packages), input errors, seconds; with ``--details``
every block and warning with its reason and first location, and every input error.

Target (issue 18): 0 false blocks, no input errors from pnpm/Yarn protocols, warnings at most
2 % of the packages, no traceback. The registry is the live one (the configured mirror): a
name that really does not exist on it is a true block, so read every one.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

PACKAGES = (
    "prettier",  # a formatter: ships its plugins and standalone build
    "eslint",  # a linter: config loading, rules with JSDoc type imports
    "vite",  # a bundler: `@vite/env`, `virtual:` modules, client types
    "create-vite",  # Vite's project templates: `@/` aliases, vite.config.*, tsconfig paths
    "vitepress",  # a docs site generator: `@theme/`, `@siteData` and other virtual modules
    "@docusaurus/core",  # a docs framework: `@docusaurus/Link`, `@generated/`
    "@docusaurus/theme-classic",  # `@theme/`, `@theme-original/`, `@theme-init/`
    "@docusaurus/plugin-content-docs",
    "@sveltejs/kit",  # a web framework: `$app/`, `$env/`, `__sveltekit/` virtual modules
    "axios",  # an HTTP client: tests, examples, a sandbox
    "@excalidraw/excalidraw",  # a whiteboard app: a large typed bundle
    "resolve",  # a resolver: test fixtures full of made-up module names
    "qs",  # a small library with its tests
)


def fetch(names: list[str], work: Path) -> list[Path]:
    """Each package's tarball, packed once into ``work/tgz`` (kept between runs)."""
    store = work / "tgz"
    store.mkdir(parents=True, exist_ok=True)
    index = store / "index.json"
    known: dict[str, str] = json.loads(index.read_text()) if index.is_file() else {}
    missing = [name for name in names if not (store / known.get(name, "-")).is_file()]
    if missing:
        npm = shutil.which("npm")
        if npm is None:
            raise SystemExit("npm is not on PATH: it fetches the tarballs")
        out = subprocess.run(
            [npm, "pack", "--ignore-scripts", "--json", "--pack-destination", str(store), *missing],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        for record in json.loads(out):
            known[record["name"]] = record["filename"]
        index.write_text(json.dumps(known, indent=1))
    return [store / known[name] for name in names]


def unpack(tarballs: list[Path], names: list[str], tree: Path) -> list[Path]:
    """Each tarball into ``tree/<name>`` (scope folded into the folder name)."""
    roots = []
    for name, tarball in zip(names, tarballs, strict=True):
        root = tree / name.replace("@", "").replace("/", "-")
        if not root.is_dir():
            staging = Path(tempfile.mkdtemp(dir=tree))
            with tarfile.open(tarball) as archive:
                archive.extractall(staging, filter="data")
            inner = next(staging.iterdir())  # npm tarballs hold one folder, "package/"
            inner.rename(root)
            staging.rmdir()
        roots.append(root)
    return roots


def check(root: Path, depguard: str, extra: list[str]) -> tuple[dict[str, object], float, str]:
    started = time.perf_counter()
    run = subprocess.run(
        [depguard, "check", ".", "--format", "json", *extra],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - started
    try:
        report = json.loads(run.stdout)
    except ValueError:
        return {}, elapsed, run.stderr[-2000:] or run.stdout[-2000:]
    return report, elapsed, run.stderr if "Traceback" in run.stderr else ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "depguard-js")
    parser.add_argument("--packages", nargs="+", default=list(PACKAGES))
    parser.add_argument("--details", action="store_true", help="list every block and warning")
    parser.add_argument("--offline", action="store_true", help="pass --offline (cache only)")
    parser.add_argument("--no-monorepo", action="store_true", help="skip the whole-tree run")
    args = parser.parse_args()
    depguard = shutil.which("depguard") or str(Path(sys.executable).parent / "depguard")
    extra = ["--offline"] if args.offline else []
    tree = args.work / "tree"
    tree.mkdir(parents=True, exist_ok=True)
    roots = unpack(fetch(args.packages, args.work), args.packages, tree)
    runs = [(root.name, root) for root in roots]
    if not args.no_monorepo:
        runs.append(("(monorepo root)", tree))
    print(
        f"{'project':34} {'packages':>8} {'block':>5} {'warn':>5} {'warn%':>6} "
        f"{'errors':>6} {'seconds':>7}"
    )
    totals = [0, 0, 0, 0]
    details: list[str] = []
    for label, root in runs:
        report, elapsed, trouble = check(root, depguard, extra)
        if not report:
            print(f"{label:34} no report: {trouble}")
            continue
        packages = report.get("packages", [])
        errors = report.get("errors", [])
        assert isinstance(packages, list) and isinstance(errors, list)
        blocks = [p for p in packages if p["verdict"] == "block"]
        warns = [p for p in packages if p["verdict"] == "warn"]
        share = 100 * len(warns) / len(packages) if packages else 0.0
        print(
            f"{label:34} {len(packages):>8} {len(blocks):>5} {len(warns):>5} {share:>5.1f}% "
            f"{len(errors):>6} {elapsed:>7.1f}" + ("  TRACEBACK" if trouble else "")
        )
        if label != "(monorepo root)":
            for index, count in enumerate((len(packages), len(blocks), len(warns), len(errors))):
                totals[index] += count
        for package in blocks + warns:
            where = package["locations"][0] if package["locations"] else {}
            details.append(
                f"  {label}: {package['verdict'].upper()} {package['name']} "
                f"({package['reason'][:110]}) at {where.get('path')}:{where.get('line')}"
            )
        for error in errors:
            details.append(f"  {label}: ERROR {json.dumps(error)[:200]}")
        if trouble:
            details.append(f"  {label}: {trouble}")
    share = 100 * totals[2] / totals[0] if totals[0] else 0.0
    print(
        f"{'total (projects)':34} {totals[0]:>8} {totals[1]:>5} {totals[2]:>5} {share:>5.1f}% "
        f"{totals[3]:>6}"
    )
    if args.details and details:
        print("\n" + "\n".join(details))


if __name__ == "__main__":
    main()
