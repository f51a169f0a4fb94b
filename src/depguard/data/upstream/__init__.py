"""The tooling behind ``python -m depguard.data.refresh``: it rebuilds the bundled data files
from their upstream sources and may use the network. Nothing on depguard's run paths imports
it."""

from __future__ import annotations


class SourceError(ValueError):
    """Upstream data is not what the refresh expects; nothing is written. One line, for a
    person."""
