"""Where a finding is, as CI systems want it: a path relative to the repository root."""

from __future__ import annotations

import os
from pathlib import Path

from depguard.model import Location, Report


def is_virtual(path: str) -> bool:
    """Standard input and the command line are not files (``<stdin>``, ``<command line>``)."""
    return path.startswith("<")


def repo_relative(report: Report, path: str) -> str | None:
    """``path`` (as the sources wrote it) relative to the checked tree, in POSIX form.

    None when the path is not a file or lies outside the tree (CI cannot show it in place).
    """
    if is_virtual(path):
        return None
    absolute = str(Path(path).absolute())
    root = report.root or str(Path.cwd())
    try:
        relative = os.path.relpath(absolute, root)
    except ValueError:  # another drive (Windows)
        return None
    if relative == os.curdir or relative.startswith(os.pardir):
        return None
    return relative.replace(os.sep, "/")


def located(report: Report, location: Location) -> tuple[str | None, int | None]:
    """(repository-relative path, line) of a location; (None, None) for stdin and the like."""
    relative = repo_relative(report, location.path)
    if relative is None:
        return None, None
    return relative, location.line if location.line and location.line > 0 else None
