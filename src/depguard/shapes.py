"""The shape language models give invented package names: a popular name plus a generic word
(``requests-helper``, ``secure-flask``, ``numpy-utils``). Used by the name-pattern signal and by
did-you-mean for names that do not exist (``requests-helper``: did you mean ``requests``?).
"""

from __future__ import annotations

from depguard import lookalike
from depguard.model import Ecosystem
from depguard.names import normalize
from depguard.popularity import snapshot

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
GLUED = ("utils", "helper", "helpers", "tools", "toolkit", "client", "wrapper", "sdk")
"""Generic words also recognised without a separator (``requestshelper``)."""


def shape(ecosystem: Ecosystem, key: str) -> tuple[str, str] | None:
    """``(popular name, generic word)`` when ``key`` is a popular name plus a generic word."""
    popular = snapshot(ecosystem)
    if key in popular or key.startswith("@"):
        return None
    tokens = lookalike.words(key)
    options: list[tuple[str, str]] = []
    if len(tokens) > 1:
        if tokens[-1] in SUFFIXES:
            options.append(("-".join(tokens[:-1]), f"-{tokens[-1]}"))
        if tokens[0] in PREFIXES:
            options.append(("-".join(tokens[1:]), f"{tokens[0]}-"))
    flat = lookalike.compact(key)
    for word in GLUED:
        if flat.endswith(word) and len(flat) - len(word) >= 4:
            options.append((flat[: -len(word)], word))
    for base, word in options:
        entry = popular.get(normalize(ecosystem, base))
        if entry is not None:
            return entry.name, word
    return None
