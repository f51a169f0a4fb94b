"""Reading TOML that depguard only reads (configuration, allowlists): the fast standard-library
parser where there is one (Python 3.11+), tomlkit otherwise. Files depguard edits, and the
manifests it checks, go through tomlkit."""

from __future__ import annotations

import sys
from typing import Any


class TOMLError(ValueError):
    """The text is not valid TOML."""


def loads(text: str) -> dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib

        try:
            return tomllib.loads(text)
        except (tomllib.TOMLDecodeError, RecursionError) as exc:
            raise TOMLError(str(exc)) from None
    import tomlkit
    from tomlkit.exceptions import TOMLKitError

    try:
        document: dict[str, Any] = tomlkit.parse(text).unwrap()
    except (TOMLKitError, RecursionError) as exc:
        raise TOMLError(str(exc)) from None
    return document
