"""The shape language models give invented package names, and combosquats: a popular name plus
generic words (``requests-helper``, ``secure-flask``, ``numpy-utils``, ``axios-lite``,
``node-mysql-orm``, ``<framework>-<generic>-<generic>``), or two popular names glued together
(``matplotlib-requests``). Used by the name-pattern signal (``kind: "combination"``, the popular
part as ``similar_to``) and by did-you-mean for names that do not exist.

Plugin families are not combinations: ``flask-sqlalchemy`` or ``pytest-django`` follow the
naming of a family whose root many popular packages share, so a family root followed only by
other popular names is left alone (followed by generic words, ``django-utils``, it is the shape).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from depguard import lookalike
from depguard.model import Ecosystem
from depguard.names import normalize
from depguard.popularity import Popular, snapshot

PREFIXES = frozenset({"secure", "easy", "simple", "smart", "fast", "super", "better", "auto"})
SUFFIXES = frozenset(
    {
        "utils",
        "util",
        "utility",
        "utilities",
        "helper",
        "helpers",
        "tools",
        "tool",
        "toolkit",
        "client",
        "sdk",
        "api",
        "wrapper",
        "http",
        "ai",
        "gpt",
        "llm",
        "lite",
        "plus",
        "pro",
    }
)
GLUED = (
    "utils",
    "helper",
    "helpers",
    "tools",
    "toolkit",
    "client",
    "wrapper",
    "sdk",
    "lite",
    "plus",
)
"""Generic words also recognised without a separator (``requestshelper``)."""

GENERIC = (
    PREFIXES
    | SUFFIXES
    | frozenset(
        (
            "js",
            "node",
            "nodejs",
            "py",
            "python",
            "python3",
            "py3",
            "lib",
            "libs",
            "library",
            "module",
            "modules",
            "mod",
            "package",
            "pkg",
            "core",
            "cli",
            "async",
            "aio",
            "orm",
            "db",
            "sql",
            "https",
            "ext",
            "extension",
            "extensions",
            "plugin",
            "plugins",
            "addon",
            "addons",
            "requirements",
            "dev",
            "devel",
            "test",
            "tests",
            "testing",
            "new",
            "latest",
            "next",
            "v1",
            "v2",
            "v3",
            "v4",
            "official",
            "free",
            "premium",
            "advanced",
            "ultra",
            "turbo",
            "quick",
            "mini",
            "tiny",
            "light",
            "lightweight",
            "native",
            "standalone",
            "cloud",
            "online",
            "remote",
            "local",
            "multi",
            "full",
            "complete",
            "ready",
            "starter",
            "template",
            "boilerplate",
            "demo",
            "example",
            "sample",
            "binding",
            "bindings",
            "typed",
            "typings",
            "schema",
            "schemas",
            "model",
            "models",
            "validator",
            "validation",
            "logger",
            "logging",
            "monitor",
            "tracker",
            "scanner",
            "checker",
            "runner",
            "worker",
            "scheduler",
            "queue",
            "rest",
            "json",
            "yaml",
            "xml",
            "websocket",
            "socket",
            "stream",
            "streamer",
            "streaming",
            "exporter",
            "importer",
            "loader",
            "builder",
            "generator",
            "kit",
            "framework",
            "engine",
            "app",
            "web",
            "server",
            "service",
            "services",
            "bot",
            "manager",
            "handler",
            "parser",
            "connector",
            "adapter",
            "bridge",
            "integration",
            "config",
            "configs",
            "auth",
            "proxy",
            "cache",
            "hook",
            "hooks",
            "fix",
            "fixed",
            "patch",
            "patched",
            "master",
            "stable",
            "beta",
            "alpha",
            "extra",
            "extras",
            "agent",
            "agents",
            "mcp",
            "assistant",
            "data",
            "toolbox",
            "compat",
            "support",
            "common",
            "base",
            "main",
            "real",
            "original",
            "secure",
            "security",
            "safe",
            "stealth",
            "crypto",
            "encoder",
            "decoder",
            "formatter",
            "converter",
            "browser",
            "legacy",
            "older",
            "updated",
            "update",
        )
    )
)
"""Words that name no project: what a combosquat or a hallucinated name adds to a popular one."""

COMBO_TOP = 15000
"""Popular parts are taken from the whole snapshot."""
SHORT_PART_TOP = 1000
"""A three-character popular part (``vue``, ``six``) only near the top."""
_VERSION = re.compile(r"^v?\d+$")


@dataclass(frozen=True)
class Combination:
    popular: str
    """The popular package the name is built on, as listed."""
    rank: int
    before: tuple[str, ...]
    after: tuple[str, ...]
    """The other words of the name (generic words or other popular names), around it."""

    @property
    def added(self) -> tuple[str, ...]:
        return self.before + self.after

    @property
    def word(self) -> str:
        """The added words as the finding shows them: ``-helper``, ``secure-``, ``node-…-orm``."""
        head = "-".join(self.before) + "-" if self.before else ""
        tail = "-" + "-".join(self.after) if self.after else ""
        return head + tail if not (head and tail) else f"{head}…{tail}"


@functools.cache
def families(ecosystem: Ecosystem) -> frozenset[str]:
    """First words shared by at least FAMILY_SIZE popular names (``django``, ``pytest``,
    ``eslint``): the roots of plugin families."""
    counts: dict[str, int] = {}
    for key in snapshot(ecosystem).entries:
        tokens = lookalike.words(key)
        if len(tokens) > 1 and not key.startswith("@"):
            counts[tokens[0]] = counts.get(tokens[0], 0) + 1
    return frozenset(w for w, n in counts.items() if n >= lookalike.FAMILY_SIZE)


def _popular_part(ecosystem: Ecosystem, text: str) -> Popular | None:
    entry = snapshot(ecosystem).get(normalize(ecosystem, text))
    if entry is None or entry.rank > COMBO_TOP or text in GENERIC:
        return None
    flat = lookalike.compact(text)
    if len(flat) < 3 or (len(flat) == 3 and entry.rank > SHORT_PART_TOP):
        return None
    return entry


def combination(ecosystem: Ecosystem, key: str) -> Combination | None:
    """The popular part of ``key`` and the words added to it, when ``key`` is a popular name
    plus generic words or other popular names (and is not itself popular)."""
    popular = snapshot(ecosystem)
    if key in popular or key.startswith("@"):
        return None
    tokens = lookalike.words(key)
    if (
        tokens
        and tokens[0] in families(ecosystem)
        and tokens[0] not in GENERIC
        and not any(_kind(ecosystem, w) == "generic" for w in tokens[1:])
    ):
        return None  # flask-kerberos, django-wechat: a plugin family's own naming
    found: list[tuple[Popular, tuple[str, ...], tuple[str, ...], int]] = []
    for start in range(len(tokens)):
        for stop in range(start + 1, min(len(tokens), start + 3) + 1):
            span = tokens[start:stop]
            rest = tuple(tokens[:start] + tokens[stop:])
            if not rest:
                continue
            entry = _popular_part(ecosystem, "-".join(span))
            if entry is None:
                continue
            kinds = [_kind(ecosystem, word) for word in rest]
            if kinds.count(None) > 1 or (None in kinds and not _loose(entry, span, kinds)):
                continue  # a word that is neither generic nor popular: a name of its own
            if start == 0 and span[0] in families(ecosystem) and "generic" not in kinds:
                continue  # flask-sqlalchemy: a plugin family's naming
            size = len(lookalike.compact("".join(span)))
            found.append((entry, tuple(tokens[:start]), tuple(tokens[stop:]), size))
    flat = lookalike.compact(key)
    for word in GLUED:
        if len(tokens) == 1 and flat.endswith(word) and len(flat) - len(word) >= 4:
            entry = _popular_part(ecosystem, flat[: -len(word)])
            if entry is not None:
                found.append((entry, (), (word,), len(flat) - len(word)))
    if not found:
        return None
    # the first popular part (a framework the name is built on), then the longest, the most used
    entry, before, after, _ = min(found, key=lambda f: (len(f[1]), -f[3], f[0].rank))
    return Combination(entry.name, entry.rank, before, after)


LOOSE_TOP = 1000
"""``requests-darwin-lite``: one word of its own is allowed beside a generic word when the
popular part is among this many of the most popular names."""


def _loose(entry: Popular, span: list[str], kinds: list[str | None]) -> bool:
    return entry.rank <= LOOSE_TOP and "generic" in kinds and len(span) == 1


def _kind(ecosystem: Ecosystem, word: str) -> str | None:
    if word in GENERIC or _VERSION.match(word):
        return "generic"
    if _popular_part(ecosystem, word) is not None:
        return "popular"
    return None


def shape(ecosystem: Ecosystem, key: str) -> tuple[str, str] | None:
    """``(popular name, added words)`` when ``key`` is a popular name plus generic words."""
    found = combination(ecosystem, key)
    return None if found is None else (found.popular, found.word)
