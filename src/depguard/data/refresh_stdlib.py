"""Rebuild stdlib-modules.tsv: the top-level standard-library module names of each Python
(Python 2.7 too: compatibility shims import its modules, which are not PyPI packages).

    python -m depguard.data.refresh_stdlib /usr/bin/python3.10 /usr/bin/python3.13 ...

Each interpreter is asked for ``sys.stdlib_module_names`` (3.10+); older ones list their
standard library directory, ``lib-dynload`` and built-in modules. Only the interpreters given
are asked; the file keeps the versions it already has for the others.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

TARGET = Path(__file__).with_name("stdlib-modules.tsv")

PROBE = r"""
import sys, os, sysconfig, pkgutil
names = getattr(sys, "stdlib_module_names", None)
if names is None:
    stdlib = sysconfig.get_paths()["stdlib"]
    found = set(sys.builtin_module_names)
    for path in (stdlib, os.path.join(stdlib, "lib-dynload")):
        for info in pkgutil.iter_modules([path]):
            found.add(info[1])  # a tuple on Python 2
    names = {n for n in found if n not in ("site-packages", "dist-packages")}
print("%d.%d" % sys.version_info[:2])
print("\n".join(sorted(names)))
"""


def probe(interpreter: str) -> tuple[str, set[str]]:
    # The interpreters are the maintainer's own, named on the command line.
    output = subprocess.run(  # noqa: S603
        [interpreter, "-E", "-s", "-c", PROBE], capture_output=True, text=True, check=True
    ).stdout.split()
    return output[0], set(output[1:])


def read(path: Path) -> dict[str, set[str]]:
    by_version: dict[str, set[str]] = {}
    if not path.is_file():
        return by_version
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        name, versions = line.split("\t")
        for version in versions.split(","):
            by_version.setdefault(version, set()).add(name)
    return by_version


def write(path: Path, by_version: dict[str, set[str]]) -> None:
    versions = sorted(by_version, key=lambda v: tuple(int(p) for p in v.split(".")))
    names = sorted(set().union(*by_version.values()))
    lines = [
        "# Top-level standard-library module names, with the Python versions that have them.",
        "# Source: sys.stdlib_module_names of CPython 3.10+ (older versions: their stdlib",
        "# directory, lib-dynload and built-in modules), read from each interpreter.",
        "# Licence: facts about CPython (PSF licence). Refresh: python -m "
        "depguard.data.refresh_stdlib PYTHON...",
        f"# versions: {','.join(versions)}",
    ]
    for name in names:
        have = [v for v in versions if name in by_version[v]]
        lines.append(f"{name}\t{','.join(have)}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__)
        return 2
    by_version = read(TARGET)
    for interpreter in argv:
        version, names = probe(interpreter)
        by_version[version] = names
        print(f"{interpreter}: Python {version}, {len(names)} modules")
    write(TARGET, by_version)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
