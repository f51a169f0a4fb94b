"""The shape language models give invented packages: a popular name plus a generic word
(``requests-helper``, ``secure-flask``, ``numpy-utils``), registered by nobody established.

Weighs by what the registry says: a young package of that shape warns (and with its youth
blocks), an unknown one informs, an established one barely counts. Names that already imitate
a popular package are left to the typosquat signal.
"""

from __future__ import annotations

from collections.abc import Iterator

from depguard import findings as F
from depguard import lookalike
from depguard.maturity import is_established, is_young
from depguard.model import Ecosystem, Evidence, Finding, LookupStatus, Severity
from depguard.names import normalize
from depguard.popularity import snapshot
from depguard.sanitize import clean
from depguard.signals import Context

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

WEIGHT_YOUNG = 40
WEIGHT_ESTABLISHED = 5


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


def check(evidence: Evidence, context: Context) -> Iterator[Finding]:
    package = evidence.package
    if not package.from_index or evidence.lookup.status is LookupStatus.NOT_FOUND:
        return
    found = shape(package.ecosystem, package.normalized)
    if found is None or lookalike.matches(package.ecosystem, package.normalized):
        return
    base, word = found
    message = f"shaped like a hallucinated name (`{clean(base, 80)}` + `{clean(word, 20)}`)"
    if is_young(evidence, context.thresholds, context.now):
        yield F.NAME_PATTERN.make(
            message, severity=Severity.MEDIUM, weight=WEIGHT_YOUNG, similar_to=base, word=word
        )
    elif is_established(evidence, context.thresholds, context.now):
        yield F.NAME_PATTERN.make(
            message, weight=WEIGHT_ESTABLISHED, similar_to=base, word=word, established=True
        )
    else:
        yield F.NAME_PATTERN.make(message, weight=F.NAME_PATTERN.weight, similar_to=base, word=word)
