"""Report formats. Each reads only the :class:`~depguard.model.Report` and returns text."""

from __future__ import annotations

from collections.abc import Callable

from depguard.model import Report

Renderer = Callable[[Report], str]

FORMATS = ("text", "json")


def renderer(name: str) -> Renderer:
    if name == "json":
        from depguard.report.json import render

        return render
    if name == "text":
        from depguard.report.text import render_plain

        return render_plain
    raise ValueError(f"unknown format {name!r}")
