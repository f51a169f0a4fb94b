"""How long reading the imports of a 5,000-file Python tree takes (no registry involved).

    python benchmarks/import_scan_speed.py [--files 5000]

The tree is built from real Python files: the sources installed in this environment
(site-packages), copied (cycling through them) into a temporary tree of packages until it holds
the requested number of files. Two figures are printed: the source-reading phase alone (walk,
parse, resolve imports), and the whole `depguard check --offline` process on that tree.

Target (issue 4): under 3 s for 5,000 files.
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


def build_tree(target: Path, count: int) -> int:
    sources = sorted(Path(sysconfig.get_paths()["purelib"]).rglob("*.py"))
    sources = [s for s in sources if "depguard" not in s.parts and s.stat().st_size < 200_000]
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
    options = parser.parse_args()

    from depguard.sources.collect import ReadContext, collect
    from depguard.sources.requirements import IncludePolicy

    work = Path(tempfile.mkdtemp(prefix="depguard-imports-"))
    try:
        size = build_tree(work, options.files)
        phase: list[float] = []
        for _ in range(options.runs):
            started = time.perf_counter()
            result = collect([str(work)], ReadContext(includes=IncludePolicy(root=work)))
            phase.append(time.perf_counter() - started)
        imports = len(result.dependencies)
        depguard = shutil.which("depguard") or str(Path(sys.executable).parent / "depguard")
        env = {**os.environ, "DEPGUARD_CACHE_DIR": str(work / ".cache"), "NO_COLOR": "1"}
        whole: list[float] = []
        for _ in range(options.runs):
            started = time.perf_counter()
            subprocess.run(
                [depguard, "check", str(work), "--offline", "--format", "json"],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                check=False,
            )
            whole.append(time.perf_counter() - started)
        print(
            f"import scan of {options.files} files ({size / 1e6:.0f} MB of real Python), "
            f"{os.cpu_count()} cores"
        )
        print(
            f"  source phase (walk, parse, resolve): best {min(phase):.2f} s, "
            f"{imports} third-party import references"
        )
        print(f"  whole `depguard check --offline` process: best {min(whole):.2f} s")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
