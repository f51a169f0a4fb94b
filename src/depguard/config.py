"""Settings: built-in defaults, then the configuration file, then environment, then flags.

Configuration lives in ``[tool.depguard]`` of ``pyproject.toml`` or at the top level of
``depguard.toml``, found by walking up from the working directory to the repository root
(or named with ``--config``). Unknown keys are an error, so a typo never silently does nothing.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from depguard import endpoints
from depguard.errors import UsageError
from depguard.indexes import Credentials, Index, Indexes, split_userinfo
from depguard.model import Severity

FAIL_ON = ("block", "warn", "never")


@dataclass(frozen=True)
class Thresholds:
    """Signal thresholds. The reasoning behind each default is in the README."""

    recent_days: int = 30
    very_recent_days: int = 7
    low_downloads: int = 1000
    few_releases: int = 2
    block_score: int = 70
    warn_score: int = 40
    young_days: int = 365
    established_downloads: int = 50_000
    popularity_ratio: int = 100
    min_release_age: int = 48
    """Hours: a version uploaded more recently gets ``new-release``, and the resolver prefers
    the newest version outside the window (0 turns the cooldown off)."""


@dataclass(frozen=True)
class Settings:
    index_url: str = endpoints.PYPI_INDEX
    npm_registry: str = endpoints.NPM_REGISTRY
    npm_scopes: Mapping[str, str] = field(default_factory=dict)
    """``@scope`` -> registry URL, from ``.npmrc`` (``@scope:registry=...``)."""
    npm_tokens: Mapping[str, str] = field(default_factory=dict)
    """``//host/path/`` -> environment variable of its token (``.npmrc`` ``_authToken=${VAR}``)."""
    pypistats_url: str = endpoints.PYPISTATS
    npm_downloads_url: str = endpoints.NPM_DOWNLOADS
    downloads_api: bool = True
    concurrency: int = 16
    timeout: float = 15.0
    retries: int = 3
    time_budget: float = 300.0
    deadline: float | None = None
    """Seconds the whole run may take (None: the command's own default, see ``deadline``)."""
    max_pypi_bytes: int = 48 * 1024 * 1024
    max_npm_bytes: int = 96 * 1024 * 1024
    ca_bundle: str | None = None
    cache_dir: str | None = None
    cache_url: str | None = None
    """A shared cache behind the local one: ``redis://``, ``rediss://`` or ``unix://``."""
    use_cache: bool = True
    refresh: bool = False
    offline: bool = False
    fail_on: str = "block"
    fail_open: bool = False
    require_allowlist: bool = False
    allowlist: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    allow_outside_includes: bool = False
    project_status: bool = False
    imports: bool = True
    python_version: str | None = None
    include_fixtures: bool = False
    """Read test-data and fixture trees too (skipped by default; see sources.fixture_trees)."""
    platform: str | None = None
    """Target platform of a resolution: linux, macos or windows, optionally -x86_64/-aarch64."""
    resolve: bool = False
    """Resolve manifests without a lock: judge what an install would bring in."""
    thresholds: Thresholds = field(default_factory=Thresholds)
    severity: Mapping[str, Severity] = field(default_factory=dict)
    weights: Mapping[str, int] = field(default_factory=dict)
    private: tuple[str, ...] = ()
    """Name patterns of internal packages (``acme-*``, ``@acme/*``, ``pypi:acme-*``)."""
    private_index_url: str | None = None
    """The private Python index's simple API URL, without credentials."""
    private_index_credentials: Credentials = field(default_factory=Credentials)
    indexes: tuple[Index, ...] = ()
    """``[[tool.depguard.index]]`` tables: more indexes, each with its role and names."""
    pip_config: bool = False
    """Also read pip's own index settings (``PIP_INDEX_URL``, ``PIP_EXTRA_INDEX_URL``,
    ``pip.conf``) as the project's."""
    root: str = "."

    def with_overrides(self, **changes: Any) -> Settings:
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


_SIMPLE_KEYS = {f.name for f in fields(Settings)} - {
    "npm_scopes",
    "npm_tokens",
    "private_index_credentials",
    "indexes",
    "thresholds",
    "severity",
    "weights",
    "root",
    "refresh",
    "use_cache",
}
_THRESHOLD_KEYS = {f.name for f in fields(Thresholds)}

ENVIRONMENT = {
    "DEPGUARD_INDEX_URL": "index_url",
    "DEPGUARD_NPM_REGISTRY": "npm_registry",
    "DEPGUARD_PYPISTATS_URL": "pypistats_url",
    "DEPGUARD_NPM_DOWNLOADS_URL": "npm_downloads_url",
    "DEPGUARD_CACHE_DIR": "cache_dir",
    "DEPGUARD_CACHE_URL": "cache_url",
    "DEPGUARD_DEADLINE": "deadline",
    "DEPGUARD_CONCURRENCY": "concurrency",
    "DEPGUARD_TIMEOUT": "timeout",
    "DEPGUARD_CA_BUNDLE": "ca_bundle",
    "DEPGUARD_PRIVATE_INDEX_URL": "private_index_url",
}


def find_config(start: Path) -> tuple[Path, Mapping[str, Any]] | None:
    """The nearest depguard.toml or pyproject.toml with [tool.depguard], up to the repo root."""
    current = start.resolve()
    for directory in (current, *current.parents):
        candidate = directory / "depguard.toml"
        if candidate.is_file():
            return candidate, _load_toml(candidate)
        pyproject = directory / "pyproject.toml"
        if pyproject.is_file():
            data = _load_toml(pyproject, strict=False)
            tool = data.get("tool")
            if isinstance(tool, Mapping) and isinstance(tool.get("depguard"), Mapping):
                return pyproject, tool["depguard"]
        if (directory / ".git").exists():
            break
    return None


def load_config(path: Path) -> Mapping[str, Any]:
    data = _load_toml(path)
    if path.name == "pyproject.toml":
        tool = data.get("tool")
        section = tool.get("depguard") if isinstance(tool, Mapping) else None
        if not isinstance(section, Mapping):
            raise UsageError(f"{path}: no [tool.depguard] table")
        return section
    return data


def _load_toml(path: Path, *, strict: bool = True) -> Mapping[str, Any]:
    from depguard.tomlread import TOMLError, loads

    try:
        return loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, TOMLError) as exc:
        if not strict:
            return {}
        raise UsageError(f"{path}: cannot read configuration: {exc}") from None


def apply_config(settings: Settings, data: Mapping[str, Any], source: str) -> Settings:
    """Layer a configuration table over ``settings``; unknown keys and bad types are errors."""
    changes: dict[str, Any] = {}
    base_dir = Path(source).parent
    for raw_key, value in data.items():
        key = str(raw_key).replace("-", "_")
        if key in ("thresholds",):
            changes["thresholds"] = _thresholds(settings.thresholds, value, source)
        elif key == "severity":
            changes["severity"] = {**settings.severity, **_severities(value, source)}
        elif key == "weights":
            changes["weights"] = {**settings.weights, **_weights(value, source)}
        elif key == "index":
            from depguard.indexes import parse_table

            changes["indexes"] = settings.indexes + parse_table(value, source)
        elif key == "private":
            from depguard.indexes import patterns

            changes["private"] = patterns(value, source)
        elif key == "private_index_url":
            url = _coerce(settings, key, value, source)
            if url is not None and split_userinfo(url)[1] is not None:
                from depguard.indexes import no_credentials_in_files

                raise UsageError(no_credentials_in_files(f"{source}: private_index_url"))
            changes[key] = url
        elif key in _THRESHOLD_KEYS:
            changes["thresholds"] = _thresholds(
                changes.get("thresholds", settings.thresholds), {key: value}, source
            )
        elif key in _SIMPLE_KEYS:
            changes[key] = _coerce(settings, key, value, source)
            if key == "allowlist":
                changes[key] = tuple(str(base_dir / p) for p in changes[key])
            if key == "cache_dir" and changes[key]:
                changes[key] = str(base_dir / changes[key])
        else:
            raise UsageError(f"{source}: unknown setting {raw_key!r}")
    return replace(settings, **changes)


def apply_npmrc(
    settings: Settings, start: Path, root: Path | None, environ: Mapping[str, str]
) -> Settings:
    """The registry (and scoped registries) npm itself would use for the project at ``start``."""
    from depguard import npmrc

    found = npmrc.read(start, root, environ)
    changes: dict[str, Any] = {}
    if found.registry:
        changes["npm_registry"] = found.registry
    if found.scopes:
        changes["npm_scopes"] = dict(found.scopes)
    if found.tokens:
        changes["npm_tokens"] = dict(found.tokens)
    return replace(settings, **changes)


def apply_environment(settings: Settings, environ: Mapping[str, str]) -> Settings:
    changes: dict[str, Any] = {}
    for variable, key in ENVIRONMENT.items():
        value = environ.get(variable)
        if value:
            changes[key] = _coerce(settings, key, value, variable)
    return replace(settings, **changes)


def _coerce(settings: Settings, key: str, value: Any, source: str) -> Any:
    current = getattr(settings, key)
    if key == "fail_on":
        if value not in FAIL_ON:
            raise UsageError(f"{source}: fail_on must be one of {', '.join(FAIL_ON)}")
        return value
    if key == "deadline":
        return _positive(value, key, source)
    if isinstance(current, bool):
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in ("1", "true", "yes", "0", "false", "no"):
            return value.lower() in ("1", "true", "yes")
        raise UsageError(f"{source}: {key} must be true or false")
    if isinstance(current, int):
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise UsageError(f"{source}: {key} must be an integer") from None
        least = 0 if key == "retries" else 1
        if number < least:
            raise UsageError(f"{source}: {key} must be at least {least}")
        return number
    if isinstance(current, float):
        try:
            return float(value)
        except (TypeError, ValueError):
            raise UsageError(f"{source}: {key} must be a number") from None
    if isinstance(current, tuple):
        if isinstance(value, str):
            return (value,)
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return tuple(value)
        raise UsageError(f"{source}: {key} must be a list of strings")
    if value is None or isinstance(value, str):
        if key.endswith("_url") or key == "npm_registry":
            return _check_url(str(value), key, source)
        return value
    raise UsageError(f"{source}: {key} must be a string")


URL_SCHEMES: Mapping[str, tuple[str, ...]] = {"cache_url": ("redis", "rediss", "unix")}
"""The schemes a ``*_url`` setting takes, where they are not http(s)."""


def _check_url(value: str, key: str, source: str) -> str:
    schemes = URL_SCHEMES.get(key)
    if schemes is None:
        from depguard.indexes import check_url

        return check_url(value, f"{source}: {key}")
    from depguard.indexes import redact

    value = value.strip().rstrip("/")
    scheme, sep, rest = value.partition("://")
    if not sep or scheme.lower() not in schemes or not rest:
        kinds = ", ".join(f"{s}://" for s in schemes)
        raise UsageError(f"{source}: {key} must be a {kinds} URL, got {redact(value)[:100]!r}")
    return value


def _positive(value: Any, key: str, source: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise UsageError(f"{source}: {key} must be a number of seconds") from None
    if not 0 < number < 86400:
        raise UsageError(f"{source}: {key} must be more than 0 seconds (and less than a day)")
    return number


def _thresholds(current: Thresholds, value: Any, source: str) -> Thresholds:
    if not isinstance(value, Mapping):
        raise UsageError(f"{source}: thresholds must be a table")
    changes: dict[str, int] = {}
    for raw_key, raw in value.items():
        key = str(raw_key).replace("-", "_")
        if key not in _THRESHOLD_KEYS:
            raise UsageError(f"{source}: unknown threshold {raw_key!r}")
        if not isinstance(raw, int) or isinstance(raw, bool) or raw < 0:
            raise UsageError(f"{source}: threshold {raw_key} must be a non-negative integer")
        changes[key] = raw
    return replace(current, **changes)


def _severities(value: Any, source: str) -> dict[str, Severity]:
    from depguard.findings import CATALOG

    if not isinstance(value, Mapping):
        raise UsageError(f"{source}: severity must be a table of finding id = level")
    out: dict[str, Severity] = {}
    aliases = {
        "block": Severity.HIGH,
        "warn": Severity.MEDIUM,
        "info": Severity.LOW,
        "allow": Severity.LOW,
    }
    for key, raw in value.items():
        if key not in CATALOG:
            raise UsageError(f"{source}: unknown finding id {key!r} in severity")
        level = str(raw).lower()
        if level in aliases:
            out[str(key)] = aliases[level]
        else:
            try:
                out[str(key)] = Severity(level)
            except ValueError:
                raise UsageError(
                    f"{source}: severity of {key} must be high, medium, low (or block, warn, info)"
                ) from None
    return out


def _weights(value: Any, source: str) -> dict[str, int]:
    from depguard.findings import CATALOG

    if not isinstance(value, Mapping):
        raise UsageError(f"{source}: weights must be a table of finding id = points")
    out: dict[str, int] = {}
    for key, raw in value.items():
        if key not in CATALOG:
            raise UsageError(f"{source}: unknown finding id {key!r} in weights")
        if not isinstance(raw, int) or isinstance(raw, bool) or not 0 <= raw <= 100:
            raise UsageError(f"{source}: weight of {key} must be an integer from 0 to 100")
        out[str(key)] = raw
    return out


def project_root(start: Path) -> Path:
    """The checked tree: the enclosing repository, else the working directory, else ``start``."""
    start = start.resolve()
    for directory in (start, *start.parents):
        if (directory / ".git").exists():
            return directory
    cwd = Path.cwd().resolve()
    if start == cwd or cwd in start.parents:
        return cwd
    return start


def resolve_settings(
    *,
    config: Path | None,
    start: Path,
    flags: Mapping[str, Any] | None = None,
    environ: Mapping[str, str] | None = None,
    npmrc_start: Path | None = None,
    npmrc_root: Path | None = None,
) -> Settings:
    """Defaults ← npm's own settings (``.npmrc``, when ``npmrc_start`` is given) ←
    configuration file ← environment ← command-line flags."""
    settings = Settings()
    if npmrc_start is not None:
        settings = apply_npmrc(
            settings, npmrc_start, npmrc_root, os.environ if environ is None else environ
        )
    if config is not None:
        if not config.is_file():
            raise UsageError(f"configuration file not found: {config}")
        settings = apply_config(settings, load_config(config), str(config))
    else:
        found = find_config(start)
        if found is not None:
            path, data = found
            settings = apply_config(settings, data, str(path))
    settings = _private_index_credentials(settings, "the configuration")
    settings = apply_environment(settings, os.environ if environ is None else environ)
    settings = _private_index_credentials(settings, "DEPGUARD_PRIVATE_INDEX_URL")
    checked = {
        key: _coerce(settings, key, value, f"--{key.replace('_', '-')}")
        if key in _SIMPLE_KEYS and value is not None
        else value
        for key, value in (flags or {}).items()
    }
    return _private_index_credentials(settings.with_overrides(**checked), "--private-index-url")


def _private_index_credentials(settings: Settings, source: str) -> Settings:
    """Credentials riding in ``private_index_url`` (from the environment or a flag) move out
    of the URL: the URL is printed and keys the cache, the credentials never are."""
    if not settings.private_index_url:
        return settings
    url, userinfo = split_userinfo(settings.private_index_url)
    if userinfo is None:
        return settings
    credentials = replace(
        settings.private_index_credentials, userinfo=userinfo, userinfo_source=source
    )
    return replace(settings, private_index_url=url, private_index_credentials=credentials)


def indexes_of(settings: Settings) -> Indexes:
    """The indexes the settings declare (the project's own declarations are added later)."""
    from depguard.indexes import from_settings

    return from_settings(
        index_url=settings.index_url,
        npm_registry=settings.npm_registry,
        npm_scopes=settings.npm_scopes,
        npm_tokens=settings.npm_tokens,
        private=settings.private,
        private_index_url=settings.private_index_url,
        private_index_credentials=settings.private_index_credentials,
        declared=settings.indexes,
    )


@dataclass(frozen=True)
class Overrides:
    """What the command line says about the settings; ``None``, ``False`` and ``()`` say nothing.

    Each field is one option of the command line (``--no-cache`` is ``no_cache``)."""

    config: Path | None = None
    index_url: str | None = None
    private_index_url: str | None = None
    npm_registry: str | None = None
    cache_dir: Path | None = None
    cache_url: str | None = None
    deadline: float | None = None
    no_cache: bool = False
    refresh: bool = False
    offline: bool = False
    allowlist: tuple[Path, ...] = ()
    require_allowlist: bool = False
    fail_open: bool = False
    fail_on: str | None = None
    concurrency: int | None = None
    timeout: float | None = None
    exclude: tuple[str, ...] = ()
    allow_outside_includes: bool = False
    project_status: bool = False
    include_fixtures: bool = False
    no_imports: bool = False
    python_version: str | None = None
    platform: str | None = None
    min_release_age: int | None = None
    """Hours of the new-release cooldown."""


def settings_for(
    targets: Sequence[str], overrides: Overrides, environ: Mapping[str, str] | None = None
) -> Settings:
    """The settings of a run over ``targets`` (paths, ``-`` for standard input): the checked tree
    is the repository of the first path, ``.npmrc`` is read from there, the configuration file is
    found from the working directory; the command line has the last word."""
    first = next((t for t in targets if t != "-"), ".")
    start = Path(first)
    start = start if start.is_dir() else start.parent
    root = project_root(start)
    flags: dict[str, object] = {
        "index_url": overrides.index_url,
        "private_index_url": overrides.private_index_url,
        "npm_registry": overrides.npm_registry,
        "cache_dir": str(overrides.cache_dir) if overrides.cache_dir else None,
        "cache_url": overrides.cache_url,
        "deadline": overrides.deadline,
        "refresh": overrides.refresh or None,
        "offline": overrides.offline or None,
        "require_allowlist": overrides.require_allowlist or None,
        "fail_open": overrides.fail_open or None,
        "fail_on": overrides.fail_on,
        "concurrency": overrides.concurrency,
        "timeout": overrides.timeout,
        "allow_outside_includes": overrides.allow_outside_includes or None,
        "project_status": overrides.project_status or None,
        "include_fixtures": overrides.include_fixtures or None,
        "python_version": overrides.python_version,
        "platform": overrides.platform,
    }
    settings = resolve_settings(
        config=overrides.config,
        start=Path.cwd(),
        npmrc_start=start,
        npmrc_root=root,
        environ=environ,
        flags={key: value for key, value in flags.items() if value is not None},
    )
    if overrides.min_release_age is not None:
        thresholds = replace(settings.thresholds, min_release_age=overrides.min_release_age)
        settings = replace(settings, thresholds=thresholds)
    return replace(
        settings,
        root=str(root),
        use_cache=settings.use_cache and not overrides.no_cache,
        imports=settings.imports and not overrides.no_imports,
        allowlist=tuple(str(p) for p in overrides.allowlist) or settings.allowlist,
        exclude=settings.exclude + overrides.exclude,
    )
