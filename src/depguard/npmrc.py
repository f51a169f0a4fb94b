"""The npm registry a package comes from: ``.npmrc`` files, npm's environment, scoped registries.

npm reads ``registry=`` and ``@scope:registry=`` from the project's ``.npmrc`` (the nearest one
above the checked path, inside the project), then the user's (``$NPM_CONFIG_USERCONFIG``, else
``~/.npmrc``), and ``npm_config_registry`` from the environment; depguard does the same, below
its own settings. Only registry addresses are read, and for a registry's ``_authToken`` only
the name of the environment variable it refers to (``//host/:_authToken=${NPM_TOKEN}``): a
token written in a file is never read, kept or printed; the variable is read when asked.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from depguard.errors import UsageError

MAX_NPMRC_BYTES = 1024 * 1024
_LINE = re.compile(r"^\s*([^=;#\s][^=]*?)\s*=\s*(.*?)\s*$")
_VARIABLE = re.compile(r"\$\{([^}]+)\}")


@dataclass(frozen=True)
class NpmConfig:
    registry: str | None = None
    scopes: Mapping[str, str] = field(default_factory=dict)
    sources: tuple[str, ...] = ()
    tokens: Mapping[str, str] = field(default_factory=dict)
    """``//host/path/`` -> the environment variable its ``_authToken`` refers to."""


def registry_for(name: str, default: str, scopes: Mapping[str, str]) -> str:
    """The registry that serves ``name``: its scope's, else the default."""
    if name.startswith("@") and "/" in name:
        scoped = scopes.get(name.split("/", 1)[0])
        if scoped:
            return scoped
    return default


def read(
    start: Path | None,
    root: Path | None,
    environ: Mapping[str, str],
    home: Path | None = None,
) -> NpmConfig:
    """npm's registry settings as they apply to the project at ``start``."""
    registry: str | None = None
    scopes: dict[str, str] = {}
    tokens: dict[str, str] = {}
    sources: list[str] = []
    env = {k.lower(): v for k, v in environ.items()}
    home = home or _home()
    user = env.get("npm_config_userconfig") or (str(home / ".npmrc") if home else None)
    files = [Path(user)] if user else []
    project = _project_npmrc(start, root) if start is not None else None
    if project is not None:
        files.append(project)
    for path in files:
        values = _parse(path, environ)
        if not values:
            continue
        sources.append(str(path))
        for key, value in values.items():
            if key.endswith(":_authToken"):
                tokens[key[: -len(":_authToken")]] = value
            elif key == "registry":
                registry = _url(value, path, key)
            elif re.fullmatch(r"@[^:/\s]+:registry", key):
                scopes[key.split(":", 1)[0]] = _url(value, path, key)
    if env.get("npm_config_registry"):
        registry = _url(env["npm_config_registry"], Path("npm_config_registry"), "registry")
        sources.append("npm_config_registry")
    return NpmConfig(registry, scopes, tuple(sources), tokens)


def _home() -> Path | None:
    try:
        return Path.home()
    except (RuntimeError, KeyError):
        return None


def _project_npmrc(start: Path, root: Path | None) -> Path | None:
    try:
        current = start.resolve()
        stop = root.resolve() if root is not None else current
    except (OSError, RuntimeError):
        return None
    for directory in (current, *current.parents):
        candidate = directory / ".npmrc"
        if candidate.is_file():
            return candidate
        if directory == stop or stop not in directory.parents:
            break
    return None


def _parse(path: Path, environ: Mapping[str, str]) -> dict[str, str]:
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_NPMRC_BYTES)
    except OSError:
        return {}
    values: dict[str, str] = {}
    for line in data.decode("utf-8", "replace").splitlines():
        match = _LINE.match(line)
        if match is None:
            continue
        key = match.group(1).strip()
        value = match.group(2)
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        if key.startswith("//") and key.endswith(":_authToken"):
            reference = _VARIABLE.fullmatch(value.strip())
            if reference:  # the variable's name only; a written token is never kept
                values[key] = reference.group(1)
            continue
        if not (key == "registry" or key.endswith(":registry")):
            continue  # other auth settings and everything else: not depguard's business
        value = _VARIABLE.sub(lambda m: environ.get(m.group(1), ""), value)
        if value:
            values[key] = value
    return values


def _url(value: str, path: Path, key: str) -> str:
    value = value.strip().rstrip("/")
    if not value.startswith(("https://", "http://")):
        raise UsageError(f"{path}: {key} must be an http(s) URL, got {value[:100]!r}")
    return value
