"""How long reading the imports of a 5,000-file Python tree takes (no registry involved).

    python benchmarks/import_scan_speed.py [--files 5000]

The tree is built from distinct real Python files: the packages installed in this environment,
then the standard library, copied into a temporary tree of packages. Printed: the source-reading
phase alone (walk, parse, resolve imports) and the whole `depguard check --offline` process on
that tree.

Target (issue 4): under 3 s for 5,000 files. What each file imports is remembered by content
(SHA-256) in the cache directory, so an unchanged tree (or the unchanged files on the other side
of `--diff`) is not parsed again; both figures are printed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def real_sources(max_bytes: int = 200_000) -> list[Path]:
    """Distinct real Python files smaller than ``max_bytes``: installed packages first, then
    the standard library (depguard's own sources left out)."""
    paths = sysconfig.get_paths()
    sources: list[Path] = []
    seen: set[Path] = set()
    for key in ("purelib", "platlib", "stdlib"):
        for source in sorted(Path(paths[key]).rglob("*.py")):
            real = source.resolve()
            if (
                real in seen
                or "depguard" in source.parts
                or ("site-packages" in source.parts and key == "stdlib")
            ):
                continue
            if source.stat().st_size < max_bytes:
                seen.add(real)
                sources.append(source)
    return sources


def build_tree(target: Path, count: int, max_bytes: int = 200_000) -> int:
    """Copy ``count`` distinct real Python files (installed packages first, then the standard
    library) into a tree of packages; a file is reused only if there are not enough."""
    sources = real_sources(max_bytes)
    if not sources:
        raise SystemExit("no Python sources found in this environment")
    total = 0
    for index in range(count):
        source = sources[index % len(sources)]
        package = target / "src" / f"pkg{index // 50:03d}"
        package.mkdir(parents=True, exist_ok=True)
        if not (package / "__init__.py").exists():
            (package / "__init__.py").write_text("")
        destination = package / f"m{index:05d}.py"
        shutil.copyfile(source, destination)
        total += destination.stat().st_size
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--max-bytes",
        type=int,
        default=200_000,
        help="leave out source files this large or larger (default 200,000)",
    )
    options = parser.parse_args()

    from depguard.cache import Cache, local_cache
    from depguard.sources.collect import ReadContext, collect
    from depguard.sources.requirements import IncludePolicy

    work = Path(tempfile.mkdtemp(prefix="depguard-imports-"))
    tree = work / "tree"
    try:
        size = build_tree(tree, options.files, options.max_bytes)

        def phase(cache: Cache | None) -> tuple[float, int]:
            started = time.perf_counter()
            result = collect(
                [str(tree)], ReadContext(includes=IncludePolicy(root=tree), cache=cache)
            )
            if cache is not None:
                cache.close()
            return time.perf_counter() - started, len(result.dependencies)

        cold = [phase(None) for _ in range(options.runs)]
        first, _ = phase(local_cache(work / "phase-cache"))  # fills the cache
        warm = [phase(local_cache(work / "phase-cache")) for _ in range(options.runs)]
        imports = cold[0][1]
        depguard = shutil.which("depguard") or str(Path(sys.executable).parent / "depguard")
        env = {**os.environ, "DEPGUARD_CACHE_DIR": str(work / "cli-cache"), "NO_COLOR": "1"}
        whole: list[float] = []
        for _ in range(options.runs + 1):
            started = time.perf_counter()
            subprocess.run(
                [depguard, "check", str(tree), "--offline", "--format", "json"],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                check=False,
            )
            whole.append(time.perf_counter() - started)
        print(
            f"import scan of {options.files} files ({size / 1e6:.0f} MB of real Python, "
            f"{size / options.files / 1000:.1f} kB a file), "
            f"{os.cpu_count()} cores, {imports} third-party import references"
        )
        print(
            f"  source phase (walk, parse, resolve), nothing cached: "
            f"best {min(t for t, _ in cold):.2f} s"
        )
        print(f"  source phase, filling the scan cache: {first:.2f} s")
        print(f"  source phase, unchanged tree (scan cache): best {min(t for t, _ in warm):.2f} s")
        print(
            f"  whole `depguard check --offline`: first run {whole[0]:.2f} s, "
            f"then best {min(whole[1:]):.2f} s"
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
