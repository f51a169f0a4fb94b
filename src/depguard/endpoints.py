"""Default registry endpoints: the one place depguard's network addresses are written down.

Each can be overridden by a flag, an environment variable or the configuration file
(see :mod:`depguard.config`).
"""

from __future__ import annotations

PYPI_INDEX = "https://pypi.org"
"""Serves ``/pypi/<name>/json``, ``/pypi/<name>/<version>/json`` and ``/simple/<name>/``."""

PYPI_PUBLIC = (PYPI_INDEX, "https://files.pythonhosted.org")
"""The public index and the host its files are served from: a lock naming either is locked
from PyPI itself."""

PYPISTATS = "https://pypistats.org/api"
"""Serves ``/packages/<name>/recent`` (recent download counts)."""

NPM_REGISTRY = "https://registry.npmjs.org"
"""Serves package documents at ``/<name>`` (scoped names as ``/@scope%2Fname``)."""

NPM_PUBLIC = (NPM_REGISTRY, "https://registry.yarnpkg.com")
"""The public registry under both of its names (Yarn writes its own into ``yarn.lock``; it
serves the same packages): a lock naming either is locked from the public registry."""

NPM_DOWNLOADS = "https://api.npmjs.org/downloads"
"""Serves ``/point/last-month/<name>[,<name>...]``."""

PYPI_FILES = PYPI_PUBLIC[1]
"""Serves the release files the JSON API's ``urls`` point at; answers HTTP Range requests.
Used only by the data tooling (``python -m depguard.data.refresh import-names``)."""

TOP_PYPI_PACKAGES = "https://hugovk.dev/top-pypi-packages/top-pypi-packages.min.json"
"""Hugo van Kemenade's monthly "Top PyPI Packages" list (``rows: [{project, download_count}]``).
Used only by the data tooling (``python -m depguard.data.refresh pypi``)."""
