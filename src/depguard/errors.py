"""Errors that end a run with a clear message instead of a traceback."""

from __future__ import annotations


class UsageError(Exception):
    """Bad arguments, missing files, bad configuration: exit code 2."""


class ManifestError(Exception):
    """A manifest that cannot be read at all (the caller turns it into a parse-error)."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
