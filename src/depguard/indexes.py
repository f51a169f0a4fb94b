"""Package indexes as declared things: where each name is looked up, with which role.

An :class:`Index` is one registry: its URL (never with credentials in it), its ecosystem, its
role (``public`` or ``private``), the API it speaks, where its credentials come from and which
names it owns. :class:`Indexes` is the set the registry service is given; it answers "which
index serves this name" and "is this name internal".

Indexes come from depguard's settings (the public PyPI index and npm registry, ``.npmrc``
scopes, ``private_index_url``, ``[[tool.depguard.index]]`` tables) and from what the checked
project itself declares (requirements ``--index-url``/``--extra-index-url``, ``[[tool.uv.index]]``,
Poetry and Pipfile sources; see :mod:`depguard.sources.indexes`).

Adding an index type is a new :class:`Api` value and one backend registered in
:mod:`depguard.registries.backends`.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import Enum
from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit

from depguard import endpoints
from depguard.errors import UsageError
from depguard.model import Ecosystem
from depguard.names import normalize


class Role(str, Enum):
    PUBLIC = "public"
    PRIVATE = "private"

    def __str__(self) -> str:
        return self.value


class Api(str, Enum):
    """How an index is asked about a name."""

    PYPI_JSON = "json"
    """PyPI's project JSON API (``/pypi/<name>/json``) at the index's base URL."""
    SIMPLE = "simple"
    """The simple repository API (PEP 503 HTML / PEP 691 JSON) at ``<url>/<name>/``."""
    NPM = "npm"
    """An npm registry (package documents at ``<url>/<name>``)."""

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class Credentials:
    """Where an index's credentials come from. Only the environment, ``.netrc`` and a
    keyring-style helper are ever read; ``userinfo`` holds what rode in a URL given through
    the environment or the command line (never a file of the checked tree). It is never
    printed (``repr=False``) and never part of a cache key (URLs are stored without it)."""

    username_env: str | None = None
    password_env: str | None = None
    token_env: str | None = None
    netrc: bool = True
    keyring: bool = False
    userinfo: tuple[str, str] | None = field(default=None, repr=False, compare=False)
    userinfo_source: str | None = None

    @property
    def configured(self) -> bool:
        return bool(
            self.username_env
            or self.password_env
            or self.token_env
            or self.keyring
            or self.userinfo is not None
        )


@dataclass(frozen=True)
class Index:
    name: str
    ecosystem: Ecosystem
    url: str
    role: Role = Role.PUBLIC
    api: Api = Api.PYPI_JSON
    owns: tuple[str, ...] = ()
    """Name patterns (``acme-*``, ``@acme/*``) this index serves; empty: no claim."""
    credentials: Credentials = field(default_factory=Credentials)
    declared_in: str = "defaults"

    @property
    def private(self) -> bool:
        return self.role is Role.PRIVATE

    @property
    def label(self) -> str:
        """How reports name the index: its name and its (credential-free) URL."""
        if self.name == self.url:
            return self.url
        return f"{self.name} ({self.url})"

    def claims(self, name: str) -> bool:
        return any(matches(self.ecosystem, name, pattern) for pattern in self.owns)


@dataclass(frozen=True)
class Declared:
    """An index the checked project names itself (a requirements option, a uv/Poetry/Pipfile
    source), where, and whether it makes the installer pick among indexes by version."""

    index: Index
    location: str
    how: str
    merges: bool = False
    pins: tuple[str, ...] = ()
    """Names the project pins to this index (``[tool.uv.sources]``, Poetry ``source``,
    Pipfile ``index``): they are internal and served by it."""


def matches(ecosystem: Ecosystem, name: str, pattern: str) -> bool:
    """Whether ``name`` (normalized) matches a private-name pattern. A pattern may be limited
    to one ecosystem with a ``pypi:`` or ``npm:`` prefix; ``@scope/*`` patterns are npm's."""
    prefix, _, rest = pattern.partition(":")
    if rest and prefix in ("pypi", "npm"):
        if prefix != ecosystem.value:
            return False
        pattern = rest
    if pattern.startswith("@") and ecosystem is not Ecosystem.NPM:
        return False
    if ecosystem is Ecosystem.PYPI:
        pattern = normalize(Ecosystem.PYPI, pattern)
    return fnmatch.fnmatchcase(name.lower(), pattern.lower())


@dataclass(frozen=True)
class Indexes:
    """Every index of a run, and the team's private-name patterns."""

    entries: tuple[Index, ...]
    private_names: tuple[str, ...] = ()

    def public(self, ecosystem: Ecosystem) -> Index:
        for index in self.entries:
            if index.ecosystem is ecosystem and index.role is Role.PUBLIC and not index.owns:
                return index
        return default_public(ecosystem)

    def private_indexes(self, ecosystem: Ecosystem) -> tuple[Index, ...]:
        return tuple(i for i in self.entries if i.ecosystem is ecosystem and i.private)

    def is_private(self, ecosystem: Ecosystem, name: str) -> bool:
        """An internal name: it matches ``private`` or is owned by a private index."""
        if any(matches(ecosystem, name, p) for p in self.private_names):
            return True
        return any(i.claims(name) for i in self.private_indexes(ecosystem))

    def serving(self, ecosystem: Ecosystem, name: str) -> Index | None:
        """The index ``name`` is looked up on; None for an internal name no private index
        serves (reported as ``not-found``, with nothing to ask)."""
        for index in self.entries:
            if index.ecosystem is ecosystem and index.claims(name):
                return index
        if not self.is_private(ecosystem, name):
            return self.public(ecosystem)
        for index in self.private_indexes(ecosystem):
            if not index.owns:
                return index  # the catch-all private index (private_index_url)
        return None

    def find(self, ecosystem: Ecosystem, url: str) -> Index | None:
        wanted = same_location_key(url)
        for index in self.entries:
            if index.ecosystem is ecosystem and same_location_key(index.url) == wanted:
                return index
        return None

    def plus(self, more: Iterable[Index]) -> Indexes:
        """These indexes and ``more``: an index already known by its URL keeps its settings
        and gains the names the newcomer owns."""
        entries = list(self.entries)
        for index in more:
            if index.role is Role.PUBLIC:
                continue  # the public index is depguard's setting (a mirror may stand in)
            wanted = same_location_key(index.url)
            for n, known in enumerate(entries):
                if known.ecosystem is index.ecosystem and same_location_key(known.url) == wanted:
                    if known.role is Role.PUBLIC:
                        break  # pinning names to the public index makes nothing internal
                    owns = tuple(dict.fromkeys(known.owns + index.owns))
                    entries[n] = replace(known, owns=owns)
                    break
            else:
                entries.insert(len(entries) - 2, index)  # before the two public defaults
        return replace(self, entries=tuple(entries))


def default_public(ecosystem: Ecosystem) -> Index:
    if ecosystem is Ecosystem.PYPI:
        return Index("PyPI", ecosystem, endpoints.PYPI_INDEX, api=Api.PYPI_JSON)
    return Index("npm", ecosystem, endpoints.NPM_REGISTRY, api=Api.NPM)


# -- URLs and credentials in them ---------------------------------------------------------------


def split_userinfo(url: str) -> tuple[str, tuple[str, str] | None]:
    """``url`` without its ``user:password@`` part, and that part (decoded), if any."""
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url, None
    userinfo, _, host = parts.netloc.rpartition("@")
    user, _, password = userinfo.partition(":")
    clean = urlunsplit((parts.scheme, host, parts.path, parts.query, parts.fragment))
    return clean, (unquote(user), unquote(password))


def redact(url: str) -> str:
    """``url`` safe to print: any userinfo replaced by ``***``."""
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit((parts.scheme, f"***@{host}", parts.path, parts.query, parts.fragment))


def same_location_key(url: str) -> tuple[str, int | None, str]:
    """Host, port and path of an index URL (``/simple`` and trailing slashes ignored)."""
    parts = urlsplit(split_userinfo(url)[0])
    path = parts.path.rstrip("/")
    if path.endswith("/simple"):
        path = path[: -len("/simple")]
    try:
        port = parts.port
    except ValueError:
        port = None
    return ((parts.hostname or "").lower(), port, path)


def is_public_host(ecosystem: Ecosystem, url: str, configured_public: str) -> bool:
    """Whether ``url`` is on the ecosystem's public registry (the default one, its file host,
    or the configured public mirror): same host and port."""
    defaults = (
        (endpoints.PYPI_INDEX, endpoints.PYPI_FILES)
        if ecosystem is Ecosystem.PYPI
        else (endpoints.NPM_REGISTRY,)
    )
    known = {_host_port(u) for u in (*defaults, configured_public) if u}
    return _host_port(url) in known


def _host_port(url: str) -> tuple[str, int | None]:
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        port = None
    default = {"https": 443, "http": 80}.get(parts.scheme)
    return ((parts.hostname or "").lower(), port or default)


def npm_token_variable(url: str, tokens: Mapping[str, str]) -> str | None:
    """The variable named by the ``.npmrc`` ``//host/path/:_authToken`` that covers ``url``
    (the longest matching prefix, as npm does)."""
    parts = urlsplit(url)
    here = f"//{parts.netloc.rpartition('@')[2]}{parts.path.rstrip('/')}/"
    best = max((p for p in tokens if here.startswith(p.rstrip("/") + "/")), key=len, default=None)
    return tokens[best] if best else None


# -- the [[tool.depguard.index]] table ----------------------------------------------------------

_TABLE_KEYS = {
    "name",
    "url",
    "ecosystem",
    "role",
    "api",
    "names",
    "username_env",
    "password_env",
    "token_env",
    "netrc",
    "keyring",
}


def parse_table(value: Any, source: str) -> tuple[Index, ...]:
    """``[[tool.depguard.index]]`` entries. Credentials are named (environment variables, a
    keyring helper, ``.netrc``), never written: a URL with ``user:password@`` is refused."""
    if isinstance(value, Mapping):
        value = [value]
    if not isinstance(value, list):
        raise UsageError(f"{source}: index must be an array of tables ([[index]])")
    out = []
    for number, item in enumerate(value, start=1):
        where = f"{source}: index #{number}"
        if not isinstance(item, Mapping):
            raise UsageError(f"{where} must be a table")
        keys = {str(k).replace("-", "_") for k in item}
        unknown = keys - _TABLE_KEYS
        if unknown:
            raise UsageError(f"{where}: unknown key {sorted(unknown)[0]!r}")
        data = {str(k).replace("-", "_"): v for k, v in item.items()}
        url = check_url(_string(data, "url", where, required=True) or "", f"{where} url")
        if split_userinfo(url)[1] is not None:
            raise UsageError(no_credentials_in_files(where))
        ecosystem = _choice(data, "ecosystem", where, Ecosystem, Ecosystem.PYPI)
        role = _choice(data, "role", where, Role, Role.PRIVATE)
        default_api = Api.NPM if ecosystem is Ecosystem.NPM else Api.SIMPLE
        if ecosystem is Ecosystem.PYPI and role is Role.PUBLIC:
            default_api = Api.PYPI_JSON
        api = _choice(data, "api", where, Api, default_api)
        if (api is Api.NPM) != (ecosystem is Ecosystem.NPM):
            raise UsageError(f"{where}: api {api} does not fit ecosystem {ecosystem}")
        names = data.get("names", [])
        if isinstance(names, str):
            names = [names]
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise UsageError(f"{where}: names must be a list of name patterns")
        credentials = Credentials(
            username_env=_string(data, "username_env", where),
            password_env=_string(data, "password_env", where),
            token_env=_string(data, "token_env", where),
            netrc=_flag(data, "netrc", where, default=True),
            keyring=_flag(data, "keyring", where, default=False),
        )
        name = _string(data, "name", where) or url
        out.append(
            Index(name, ecosystem, url, role, api, tuple(names), credentials, declared_in=source)
        )
    return tuple(out)


def no_credentials_in_files(where: str) -> str:
    return (
        f"{where}: credentials do not belong in a file (user:password@ in the URL); give them "
        "through the environment (DEPGUARD_PRIVATE_INDEX_URL, username_env/password_env), "
        "~/.netrc or a keyring helper"
    )


def check_url(value: str, where: str) -> str:
    value = value.strip().rstrip("/")
    if not value.startswith(("https://", "http://")):
        raise UsageError(f"{where} must be an http(s) URL, got {redact(value)[:100]!r}")
    return value


def _string(data: Mapping[str, Any], key: str, where: str, *, required: bool = False) -> str | None:
    value = data.get(key)
    if value is None:
        if required:
            raise UsageError(f"{where}: {key} is required")
        return None
    if not isinstance(value, str) or not value.strip():
        raise UsageError(f"{where}: {key} must be a non-empty string")
    return value.strip()


def _flag(data: Mapping[str, Any], key: str, where: str, *, default: bool) -> bool:
    value = data.get(key, default)
    if not isinstance(value, bool):
        raise UsageError(f"{where}: {key} must be true or false")
    return value


def _choice(data: Mapping[str, Any], key: str, where: str, kind: Any, default: Any) -> Any:
    value = data.get(key)
    if value is None:
        return default
    try:
        return kind(str(value).lower())
    except ValueError:
        allowed = ", ".join(m.value for m in kind)
        raise UsageError(f"{where}: {key} must be one of {allowed}") from None


def patterns(value: Any, source: str) -> tuple[str, ...]:
    """The ``private = [...]`` list."""
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise UsageError(f"{source}: private must be a list of name patterns")
    return tuple(v.strip() for v in value)


def from_settings(
    *,
    index_url: str,
    npm_registry: str,
    npm_scopes: Mapping[str, str],
    npm_tokens: Mapping[str, str],
    private: Sequence[str],
    private_index_url: str | None,
    private_index_credentials: Credentials,
    declared: Sequence[Index],
) -> Indexes:
    """The indexes depguard's own settings declare (before the project's are added)."""
    entries: list[Index] = [*declared]
    if private_index_url:
        entries.append(
            Index(
                "private index",
                Ecosystem.PYPI,
                private_index_url,
                Role.PRIVATE,
                Api.SIMPLE,
                credentials=private_index_credentials,
                declared_in="private_index_url",
            )
        )
    for scope, url in npm_scopes.items():
        public = is_public_host(Ecosystem.NPM, url, npm_registry)
        entries.append(
            Index(
                f"{scope} registry",
                Ecosystem.NPM,
                url,
                Role.PUBLIC if public else Role.PRIVATE,
                Api.NPM,
                owns=(f"{scope}/*",),
                credentials=Credentials(token_env=npm_token_variable(url, npm_tokens)),
                declared_in=".npmrc",
            )
        )
    entries.append(Index("PyPI", Ecosystem.PYPI, index_url, api=Api.PYPI_JSON))
    entries.append(Index("npm", Ecosystem.NPM, npm_registry, api=Api.NPM))
    return Indexes(tuple(entries), tuple(private))
