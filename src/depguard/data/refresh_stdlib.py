"""Rebuild stdlib-modules.tsv: the top-level standard-library module names of each Python
(Python 2.7 too: compatibility shims import its modules, which are not PyPI packages).

    python -m depguard.data.refresh_stdlib /usr/bin/python3.10 /usr/bin/python3.13 ...
    python -m depguard.data.refresh_stdlib 3.15=cpython/Python/stdlib_module_names.h

Each interpreter is asked for ``sys.stdlib_module_names`` (3.10+); older ones list their
standard library directory, ``lib-dynload`` and built-in modules. ``X.Y=FILE`` reads CPython's
generated ``Python/stdlib_module_names.h`` of that version's source tree instead (the list
``sys.stdlib_module_names`` is built from), for a version with no interpreter at hand. Only the
versions given are replaced; the file keeps the others.
"""

from __future__ import annotations

import re
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


NOTES = (
    "# 3.14 and 3.15 (no interpreter at hand when written): CPython's Python/",
    "# stdlib_module_names.h from the main branch before 3.14 beta, plus the top-level modules",
    "# added after it (3.14: compression, _zstd, _remote_debugging; 3.15: profiling). Refresh",
    "# with those interpreters (or their stdlib_module_names.h) to replace them.",
)
_HEADER_NAME = re.compile(r'^"([A-Za-z_][A-Za-z0-9_]*)",$', re.MULTILINE)


def from_header(text: str) -> set[str]:
    """The names listed in CPython's ``Python/stdlib_module_names.h``."""
    return set(_HEADER_NAME.findall(text))


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
        *NOTES,
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
    for argument in argv:
        version, _, header = argument.partition("=")
        if header:
            names = from_header(Path(header).read_text(encoding="utf-8"))
            source = header
        else:
            version, names = probe(argument)
            source = argument
        by_version[version] = names
        print(f"{source}: Python {version}, {len(names)} modules")
    write(TARGET, by_version)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
