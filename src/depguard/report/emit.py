"""Where a report goes: the chosen format to standard output or a file, the human view to the
terminal, and the exit status the gate gives."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from depguard.errors import UsageError
from depguard.model import Report
from depguard.report import FORMATS

Tick = Callable[[int], None]


@dataclass(frozen=True)
class View:
    """How the command line asked to see a report."""

    format: str = "text"
    output: Path | None = None
    verbose: bool = False
    quiet: bool = False

    def __post_init__(self) -> None:
        if self.format not in FORMATS:
            raise UsageError(f"unknown format {self.format!r}; choose from {', '.join(FORMATS)}")


def emit(report: Report, view: View, fail_on: str, *, cards: bool = False) -> int:
    """Write ``report`` as ``view`` asks and return the gate's exit status. ``cards`` shows one
    card per package (``depguard review``) instead of the list."""
    from depguard.policy import exit_code
    from depguard.report import renderer
    from depguard.report.text import make_console, print_report, summary_line

    status = exit_code(report.worst, fail_on)
    if view.output is not None or view.format != "text":
        if cards and view.format == "text":
            from depguard.report.card import render as render_cards

            rendered = render_cards(report)
        else:
            rendered = renderer(view.format)(report)
        if view.output is not None:
            try:
                view.output.write_text(rendered, encoding="utf-8")
            except OSError as exc:
                raise UsageError(f"cannot write {view.output}: {exc.strerror or exc}") from None
        else:
            sys.stdout.write(rendered)
            sys.stdout.flush()
    if view.format == "text" or view.output is not None:
        console = make_console(stderr=view.output is None and view.format != "text")
        if view.quiet:
            console.print(summary_line(report, status, fail_on))
        elif cards:
            from depguard.report.card import print_cards

            print_cards(report, console, exit_status=status, fail_on=fail_on)
        else:
            print_report(report, console, verbose=view.verbose, exit_status=status, fail_on=fail_on)
    return status


def progress_bar(quiet: bool) -> Callable[[int], Tick | None]:
    """A progress bar on the terminal for runs of more than a few packages (none when quiet,
    or when standard error is not a terminal)."""

    def start(total: int) -> Tick | None:
        if quiet or total <= 5 or not os.isatty(2):
            return None
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        from depguard.report.text import make_console

        progress = Progress(
            TextColumn("checking"),
            BarColumn(),
            MofNCompleteColumn(),
            console=make_console(stderr=True),
            transient=True,
        )
        task = progress.add_task("registry", total=total)
        progress.start()
        done = [0]

        def tick(n: int) -> None:
            done[0] += n
            progress.update(task, advance=n)
            if done[0] >= total:
                progress.stop()

        return tick

    return start
