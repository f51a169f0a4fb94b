"""The whole run's time budget: when it runs out, every unanswered package is a registry error
and the report is still written.

The clock starts when the command starts. Registry work (retries included) gets what is left
less a small reserve for judging and writing the report, so a run ends within its deadline
plus a second even when a registry stalls.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

CHECK = 30.0
"""Default seconds for ``check`` and ``review``."""
INSTALL = 15.0
"""Default seconds for the install wrappers: someone is waiting at a prompt."""
RESERVE = 0.5
"""Seconds kept back from registry work for judging and writing the report."""


@dataclass(frozen=True)
class Deadline:
    seconds: float
    started: float = field(default_factory=time.monotonic)

    def remaining(self) -> float:
        return self.started + self.seconds - time.monotonic()

    def for_registry(self) -> float:
        """Seconds registry work may still take (never negative)."""
        return max(0.0, self.remaining() - RESERVE)

    @property
    def message(self) -> str:
        return f"no answer within the {self.seconds:g} s budget"


def resolve(configured: float | None, default: float) -> Deadline:
    """The run's deadline: the configured one (``--deadline``, ``deadline``), else the
    command's default."""
    return Deadline(configured if configured is not None else default)
