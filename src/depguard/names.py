"""Package-name normalisation for each ecosystem."""

from __future__ import annotations

import re

from depguard.model import Ecosystem

# PEP 508 names: ASCII letters and digits, with ".", "-", "_" inside.
_PYPI_NAME = re.compile(r"^([A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9])$", re.IGNORECASE)
# npm: optional @scope/, URL-safe characters, at most 214 characters, not starting with "." or
# "_". Capital letters exist only in unscoped names published before npm forbade them
# (JSONStream); scopes came later, so a scoped name with a capital letter was never publishable
# (the registry refuses to look it up: Docusaurus's `@docusaurus/Link` is an alias, not a package).
_SEPARATORS = re.compile(r"[-_.]+")
# "~" is one of the characters only old names may hold, and none starts with it: a leading "~"
# is a path alias (Nuxt's `~/`, a tsconfig's `~utils`).
_NPM_NAME = re.compile(r"^(?:@[a-z0-9][a-z0-9._~-]*/[a-z0-9._~-]+|[a-z0-9-][a-z0-9._~-]*)$")
_NPM_LEGACY = re.compile(r"^[A-Za-z0-9-][A-Za-z0-9._~-]*$")


def normalize(ecosystem: Ecosystem, name: str) -> str:
    """The form two spellings of one package share (PEP 503 for PyPI; npm names as published)."""
    if ecosystem is Ecosystem.PYPI:
        # PEP 503, exactly as packaging.utils.canonicalize_name (a test holds them equal).
        return _SEPARATORS.sub("-", name).lower()
    return name.strip()


def is_valid(ecosystem: Ecosystem, name: str) -> bool:
    if ecosystem is Ecosystem.PYPI:
        return bool(_PYPI_NAME.match(name))
    if len(name) > 214 or name.lower() in ("node_modules", "favicon.ico"):
        return False
    return bool(_NPM_NAME.match(name) or _NPM_LEGACY.match(name))
