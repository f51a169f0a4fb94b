"""Default registry endpoints: the one place depguard's network addresses are written down.

Each can be overridden by a flag, an environment variable or the configuration file
(see :mod:`depguard.config`).
"""

from __future__ import annotations

PYPI_INDEX = "https://pypi.org"
"""Serves ``/pypi/<name>/json``, ``/pypi/<name>/<version>/json`` and ``/simple/<name>/``."""

PYPISTATS = "https://pypistats.org/api"
"""Serves ``/packages/<name>/recent`` (recent download counts)."""

NPM_REGISTRY = "https://registry.npmjs.org"
"""Serves package documents at ``/<name>`` (scoped names as ``/@scope%2Fname``)."""

NPM_DOWNLOADS = "https://api.npmjs.org/downloads"
"""Serves ``/point/last-month/<name>[,<name>...]``."""
