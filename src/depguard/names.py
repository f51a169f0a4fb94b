"""Package-name normalisation for each ecosystem."""

from __future__ import annotations

import re

from depguard.model import Ecosystem

# PEP 508 names: ASCII letters and digits, with ".", "-", "_" inside.
_PYPI_NAME = re.compile(r"^([A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9])$", re.IGNORECASE)
# npm: optional @scope/, lowercase URL-safe characters, at most 214 characters.
_SEPARATORS = re.compile(r"[-_.]+")
_NPM_NAME = re.compile(r"^(?:@[a-z0-9][a-z0-9._~-]*/)?[a-z0-9._~-][a-z0-9._~-]*$")


def normalize(ecosystem: Ecosystem, name: str) -> str:
    """The form two spellings of one package share (PEP 503 for PyPI; npm names as published)."""
    if ecosystem is Ecosystem.PYPI:
        # PEP 503, exactly as packaging.utils.canonicalize_name (a test holds them equal).
        return _SEPARATORS.sub("-", name).lower()
    return name.strip()


def is_valid(ecosystem: Ecosystem, name: str) -> bool:
    if ecosystem is Ecosystem.PYPI:
        return bool(_PYPI_NAME.match(name))
    return len(name) <= 214 and bool(_NPM_NAME.match(name.lower())) and name == name.strip()
