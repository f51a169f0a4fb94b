"""Package indexes the checked project declares itself.

* requirements files: ``--index-url``, ``--extra-index-url``, ``--find-links``;
* ``pyproject.toml``: ``[[tool.uv.index]]`` (names pinned to one in ``[tool.uv.sources]``),
  ``[tool.uv]`` ``index-url`` / ``extra-index-url`` / ``find-links`` / ``index-strategy``,
  ``[[tool.poetry.source]]`` (names pinned with ``source = ...``);
* ``Pipfile``: ``[[source]]`` (names pinned with ``index = ...``);
* pip's own configuration (``PIP_INDEX_URL``, ``PIP_EXTRA_INDEX_URL``, ``pip.conf``), only
  when asked (``pip_config = true``).

Each becomes a :class:`~depguard.indexes.Declared`: the index (its URL without credentials),
where it was declared, and whether it makes the installer pick among indexes by version (pip's
``--extra-index-url`` and ``--find-links``, uv's ``unsafe-best-match``). Credentials written in
a file of the tree are never used; ``${VARIABLE}`` references in a URL's userinfo (pip's
syntax) name environment variables, which are. uv's ``UV_INDEX_<NAME>_USERNAME`` /
``_PASSWORD`` and Poetry's ``POETRY_HTTP_BASIC_<NAME>_USERNAME`` / ``_PASSWORD`` are used too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from depguard.indexes import Api, Credentials, Declared, Index, Role, is_public_host
from depguard.indexes import split_userinfo as _split
from depguard.model import Ecosystem
from depguard.names import normalize
from depguard.sources import SourceResult

_VARIABLE = re.compile(r"^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$")
_OPTIONS = {
    "index_url": ("--index-url", False),
    "extra_index_urls": ("--extra-index-url", True),
    "find_links": ("--find-links", True),
}


def requirement_option(
    key: str, values: object, display: str, line: int | None, result: SourceResult
) -> None:
    """One pip option line of a requirements file (as pip-requirements-parser reads it)."""
    if key not in _OPTIONS:
        return
    how, merges = _OPTIONS[key]
    where = f"{display}:{line}" if line else display
    for value in values if isinstance(values, list) else [values]:
        declared = declare(str(value), where, how, merges=merges, result=result)
        if declared is not None:
            result.indexes.append(declared)


def declare(
    url: str,
    where: str,
    how: str,
    *,
    merges: bool = False,
    name: str | None = None,
    env_prefix: str | None = None,
    result: SourceResult,
    userinfo_trusted: bool = False,
) -> Declared | None:
    """An index URL written in the project: credentials in it are dropped (a notice says so)
    unless they are ``${VARIABLE}`` references, or the URL was not written in a file
    (``userinfo_trusted``: a command line, the environment)."""
    url = url.strip()
    if not url:
        return None
    clean, userinfo = _split(url)
    credentials = Credentials()
    if userinfo is not None and userinfo_trusted:
        credentials = Credentials(userinfo=userinfo, userinfo_source=where)
    elif userinfo is not None:
        user_var, password_var = (_VARIABLE.match(part) for part in userinfo)
        if (user_var or not userinfo[0]) and (password_var or not userinfo[1]):
            credentials = Credentials(
                username_env=user_var.group(1) if user_var else None,
                password_env=password_var.group(1) if password_var else None,
            )
        else:
            result.notices.append(
                f"{where}: credentials written in the file are not used (give them through "
                "the environment, ~/.netrc or a keyring helper)"
            )
    elif env_prefix:
        credentials = Credentials(
            username_env=f"{env_prefix}_USERNAME", password_env=f"{env_prefix}_PASSWORD"
        )
    web = clean.startswith(("https://", "http://"))
    public = web and is_public_host(Ecosystem.PYPI, clean, "")
    location = clean.rstrip("/") if web else clean
    index = Index(
        name or location,
        Ecosystem.PYPI,
        location,
        Role.PUBLIC if public else Role.PRIVATE,
        Api.PYPI_JSON if public else Api.SIMPLE,
        credentials=credentials,
        declared_in=where,
    )
    return Declared(index, where, how, merges=merges)


def from_pyproject(data: Mapping[str, Any], text: str, display: str, result: SourceResult) -> None:
    tool = data.get("tool")
    if not isinstance(tool, Mapping):
        return
    uv = tool.get("uv")
    if isinstance(uv, Mapping):
        _uv(uv, text, display, result)
    poetry = tool.get("poetry")
    if isinstance(poetry, Mapping):
        _poetry(poetry, text, display, result)


def _uv(uv: Mapping[str, Any], text: str, display: str, result: SourceResult) -> None:
    merges = uv.get("index-strategy") == "unsafe-best-match"
    how_merge = "uv index-strategy unsafe-best-match:"
    pins = _pins(uv.get("sources"), "index")
    for item in _tables(uv.get("index")):
        name, url = item.get("name"), item.get("url")
        if not isinstance(url, str):
            continue
        label = name if isinstance(name, str) else None
        where = _where(display, text, url)
        declared = declare(
            url,
            where,
            f"{how_merge} [[tool.uv.index]]" if merges else "[[tool.uv.index]]",
            merges=merges and not item.get("explicit"),
            name=label,
            env_prefix=_env_name("UV_INDEX", label) if label else None,
            result=result,
        )
        if declared is not None:
            result.indexes.append(_pinned(declared, pins.get(label or "", ())))
    for key in ("index-url", "extra-index-url"):
        for url in _strings(uv.get(key)):
            declared = declare(
                url,
                _where(display, text, url),
                f"{how_merge} [tool.uv] {key}" if merges else f"[tool.uv] {key}",
                merges=merges,
                result=result,
            )
            if declared is not None:
                result.indexes.append(declared)
    for url in _strings(uv.get("find-links")):
        declared = declare(
            url, _where(display, text, url), "[tool.uv] find-links", merges=True, result=result
        )
        if declared is not None:
            result.indexes.append(declared)


def _poetry(poetry: Mapping[str, Any], text: str, display: str, result: SourceResult) -> None:
    pins: dict[str, list[str]] = {}
    groups = [poetry.get("dependencies"), poetry.get("dev-dependencies")]
    group_tables = poetry.get("group")
    if isinstance(group_tables, Mapping):
        groups += [g.get("dependencies") for g in group_tables.values() if isinstance(g, Mapping)]
    for table in groups:
        for source, names in _pins(table, "source").items():
            pins.setdefault(source, []).extend(names)
    for item in _tables(poetry.get("source")):
        name, url = item.get("name"), item.get("url")
        if not isinstance(url, str) or not isinstance(name, str):
            continue
        declared = declare(
            url,
            _where(display, text, url),
            "[[tool.poetry.source]]",
            name=name,
            env_prefix=_env_name("POETRY_HTTP_BASIC", name),
            result=result,
        )
        if declared is not None:
            result.indexes.append(_pinned(declared, pins.get(name, ())))


def from_pipfile(data: Mapping[str, Any], text: str, display: str, result: SourceResult) -> None:
    pins: dict[str, list[str]] = {}
    for section in ("packages", "dev-packages"):
        for source, names in _pins(data.get(section), "index").items():
            pins.setdefault(source, []).extend(names)
    for item in _tables(data.get("source")):
        name, url = item.get("name"), item.get("url")
        if not isinstance(url, str):
            continue
        label = name if isinstance(name, str) else None
        declared = declare(
            url, _where(display, text, url), "Pipfile [[source]]", name=label, result=result
        )
        if declared is not None:
            result.indexes.append(_pinned(declared, pins.get(label or "", ())))


def from_pip_configuration(
    environ: Mapping[str, str], files: Iterable[tuple[str, str]], result: SourceResult
) -> None:
    """pip's own index settings: ``PIP_INDEX_URL`` / ``PIP_EXTRA_INDEX_URL`` (credentials in
    them are the environment's, so they are used) and ``[global]`` of pip.conf files
    (``files`` are (display, text) pairs; credentials written there are not used)."""
    import configparser

    for display, text in files:
        parser = configparser.ConfigParser(interpolation=None)
        try:
            parser.read_string(text)
        except configparser.Error:
            continue
        for section in ("global", "install"):
            if not parser.has_section(section):
                continue
            for key, how, merges in (
                ("index-url", "pip.conf index-url", False),
                ("extra-index-url", "pip.conf extra-index-url", True),
                ("find-links", "pip.conf find-links", True),
            ):
                for url in parser.get(section, key, fallback="").split():
                    declared = declare(
                        url, f"{display} [{section}]", how, merges=merges, result=result
                    )
                    if declared is not None:
                        result.indexes.append(declared)
    for variable, how, merges in (
        ("PIP_INDEX_URL", "PIP_INDEX_URL", False),
        ("PIP_EXTRA_INDEX_URL", "PIP_EXTRA_INDEX_URL", True),
        ("PIP_FIND_LINKS", "PIP_FIND_LINKS", True),
    ):
        for url in environ.get(variable, "").split():
            # the environment's own credentials: usable
            declared = declare(
                url, variable, how, merges=merges, result=result, userinfo_trusted=True
            )
            if declared is not None:
                result.indexes.append(declared)


def _pinned(declared: Declared, names: Iterable[str]) -> Declared:
    from dataclasses import replace

    pins = tuple(dict.fromkeys(normalize(Ecosystem.PYPI, n) for n in names))
    return replace(declared, pins=pins) if pins else declared


def _pins(table: object, key: str) -> dict[str, list[str]]:
    """Index name -> package names pinned to it (``pkg = { index = "name" }``)."""
    out: dict[str, list[str]] = {}
    if not isinstance(table, Mapping):
        return out
    for package, spec in table.items():
        entries = spec if isinstance(spec, list) else [spec]
        for entry in entries:
            if isinstance(entry, Mapping) and isinstance(entry.get(key), str):
                out.setdefault(entry[key], []).append(str(package))
    return out


def _tables(value: object) -> list[Mapping[str, Any]]:
    if isinstance(value, Mapping):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, Mapping)]
    return []


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []


def _env_name(prefix: str, name: str) -> str:
    return f"{prefix}_{re.sub(r'[^A-Za-z0-9]', '_', name).upper()}"


def _where(display: str, text: str, needle: str) -> str:
    """``file:line`` of the first line that mentions ``needle`` (TOML tables keep no lines)."""
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return f"{display}:{number}"
    return display


def read_pipfiles(targets: Iterable[str], result: SourceResult) -> None:
    """The ``[[source]]`` tables of a ``Pipfile`` named, or in a directory checked."""
    from pathlib import Path

    from depguard.sources import display_path
    from depguard.sources.reading import read_into
    from depguard.tomlread import TOMLError, loads

    seen: set[Path] = set()
    for target in targets:
        if target == "-":
            continue
        path = Path(target)
        candidate = path / "Pipfile" if path.is_dir() else path
        if candidate.name != "Pipfile" or not candidate.is_file() or candidate in seen:
            continue
        seen.add(candidate)
        display = display_path(candidate)
        text = read_into(candidate, display, result)
        if text is None:
            continue
        try:
            data = loads(text)
        except TOMLError as exc:
            result.error(display, None, f"invalid TOML: {exc}")
            continue
        from_pipfile(data, text, display, result)


def read_pip_configuration(environ: Mapping[str, str], result: SourceResult) -> None:
    """pip's configuration files and environment (``pip_config = true``)."""
    from pathlib import Path

    candidates = []
    if environ.get("PIP_CONFIG_FILE"):
        candidates.append(Path(environ["PIP_CONFIG_FILE"]))
    else:
        home = Path(environ.get("HOME") or Path("~").expanduser())
        xdg = Path(environ.get("XDG_CONFIG_HOME") or home / ".config")
        candidates += [Path("/etc/pip.conf"), home / ".pip" / "pip.conf", xdg / "pip" / "pip.conf"]
    files = []
    for path in candidates:
        try:
            files.append((str(path), path.read_text(encoding="utf-8")[:1_000_000]))
        except (OSError, UnicodeDecodeError):
            continue
    from_pip_configuration(environ, files, result)
