"""Reading TOML that depguard only reads (configuration, allowlists): the fast standard-library
parser where there is one (Python 3.11+), tomlkit otherwise. Files depguard edits, and the
manifests it checks, go through tomlkit."""

from __future__ import annotations

from typing import Any


class TOMLError(ValueError):
    """The text is not valid TOML."""


def loads(text: str) -> dict[str, Any]:
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomlkit
        from tomlkit.exceptions import TOMLKitError

        try:
            return dict(tomlkit.parse(text).unwrap())
        except (TOMLKitError, RecursionError) as exc:
            raise TOMLError(str(exc)) from None
    try:
        return tomllib.loads(text)
    except (tomllib.TOMLDecodeError, RecursionError) as exc:
        raise TOMLError(str(exc)) from None
