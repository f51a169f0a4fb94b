"""The look-alike index: each confusion class, and the names it must leave alone."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from depguard import lookalike
from depguard.model import Ecosystem
from depguard.names import normalize
from depguard.popularity import snapshot

PYPI, NPM = Ecosystem.PYPI, Ecosystem.NPM


def best(name: str, ecosystem: Ecosystem = PYPI) -> tuple[str, str] | None:
    found = lookalike.matches(ecosystem, normalize(ecosystem, name))
    return (found[0].target.name, found[0].kind) if found else None


@pytest.mark.parametrize(
    ("name", "target", "kind"),
    [
        ("reqeusts", "requests", "transposition"),
        ("rrequests", "requests", "repetition"),
        ("requestss", "requests", "repetition"),
        ("reqests", "requests", "omission"),
        ("flsk", "flask", "omission"),
        ("requezts", "requests", "keyboard"),
        ("djanga", "django", "substitution"),
        ("numipy", "numpy", "insertion"),
        ("requestsaa", "requests", "two-edits"),
        ("botaa3", "boto3", "two-edits"),
        ("c1ick", "click", "homoglyph"),
        ("djang0", "django", "homoglyph"),
        ("nurnpy", "numpy", "homoglyph"),
        ("r\u0435quests", "requests", "homoglyph"),  # Cyrillic e
        ("pythondateutil", "python-dateutil", "separator"),
        ("scikitlearn", "scikit-learn", "separator"),
        ("python-requests", "requests", "affix"),
        ("requests-python", "requests", "affix"),
        ("pyrequests", "requests", "affix"),
        ("requests3", "requests", "affix"),
        ("python3-dateutil", "python-dateutil", "insertion"),
        ("pythonkafka", "kafka-python", "word-order"),
        ("dateutil", "python-dateutil", "affix"),
        ("matplatlib-plus", "matplotlib", "affix"),
        ("openvc", "opencv-python", "transposition"),
        ("nmap-python", "python-nmap", "word-order"),
        ("setuptool", "setuptools", "plural"),
        ("siix", "six", "repetition"),
        ("python-dateutl", "python-dateutil", "omission"),
        ("marshmallow-jsonapii", "marshmallow-jsonapi", "repetition"),  # rank 10,000
    ],
)
def test_pypi_confusion_classes(name: str, target: str, kind: str) -> None:
    assert best(name) == (target, kind)


NPM_CASES = {
    "rceat": ("react", "two-edits"),  # two swaps in a five-letter name
    "mogobd": ("mongodb", "two-edits"),  # a dropped letter and a swap
    "electorn": ("electron", "transposition"),  # ranked below 5,000
    "pupeter": ("puppeteer", "omission"),  # two doubled letters written once
    "eslint-v7": None,  # a combination (name-pattern), not a typo
    "bitcoinjs-lbi": ("bitcoinjs-lib", "transposition"),
    "vuue": ("vue", "repetition"),  # a three-letter name, a letter doubled
    "cross-env-js": ("cross-env", "affix"),
    "lodahs": ("lodash", "transposition"),
    "types-node": ("@types/node", "scope"),  # @types/x vs types-x
    "@lodash/lodash": ("lodash", "scope"),  # a scoped name copying an unscoped one
    "core-http": ("@azure/core-http", "scope"),  # an unscoped copy of a scoped one
    "mysqljs": ("mysql", "affix"),
    "lodash-js": ("lodash", "affix"),
    "node-lodash": ("lodash", "affix"),
    "cross-env.js": ("cross-env", "affix"),
    "crossenv": ("cross-env", "separator"),
    "expresss": ("express", "repetition"),
}


@pytest.mark.parametrize("name", sorted(NPM_CASES))
def test_npm_confusion_classes(name: str) -> None:
    assert best(name, NPM) == NPM_CASES[name]


PEER_FALSE_POSITIVES = [
    ("grpcio", "gradio"),
    ("sympy", "numpy"),
    ("jedi", "redis"),
    ("bleach", "black"),
    ("lark", "flask"),
    ("moto", "boto3"),
    ("authlib", "oauthlib"),
    ("psycopg", "psycopg2"),
]


@pytest.mark.parametrize(("name", "other"), PEER_FALSE_POSITIVES)
def test_popular_names_are_never_look_alikes(name: str, other: str) -> None:
    assert name in snapshot(PYPI) and other in snapshot(PYPI)
    assert lookalike.matches(PYPI, name) == ()
    assert lookalike.matches(PYPI, other) == ()


def test_no_name_of_the_top_15000_is_a_look_alike() -> None:
    for ecosystem in (PYPI, NPM):
        assert not [k for k in snapshot(ecosystem).entries if lookalike.matches(ecosystem, k)]


@pytest.mark.parametrize(
    "name",
    [
        "requests-utils",  # a plugin family's shape: left to name-pattern
        "pytest-requests",
        "django-utils",
        "types-requests-oauthlib",  # stubs of a popular package
        "bzip",  # four characters, near nothing popular enough
        "boon",  # one letter from bson, which is not among the most popular
        "tar",  # too short for any edit
        "a-completely-unrelated-name",
        "pipe",  # a word, not pip with a letter appended
        "python-apt",  # two edits from python-pptx, but apt and pptx are different words
        "sixes",
    ],
)
def test_names_left_alone(name: str) -> None:
    assert best(name) is None


def test_a_fork_under_a_personal_scope_is_left_alone() -> None:
    assert best("@jane/cross-spawn", NPM) is None


def test_a_scope_never_squats_its_own_names() -> None:
    assert best("@types/lodsh", NPM) is None  # same owner as @types/lodash
    assert best("@babel/cor", NPM) is None


def test_most_popular_target_explains_first() -> None:
    # grequests is also one letter away; the far more popular requests is the likely intent
    assert best("rrequests") == ("requests", "repetition")


def test_suggestions_for_a_missing_name() -> None:
    assert lookalike.suggestions(PYPI, "reqeusts")[0] == "requests"
    assert lookalike.suggestions(PYPI, "pythn-dateutil")[0] == "python-dateutil"
    assert lookalike.suggestions(PYPI, "requests") == []  # popular: nothing to suggest
    assert lookalike.suggestions(PYPI, "zzqxv-nothing-like-it") == []


def test_short_names_need_one_edit_or_less() -> None:
    assert lookalike.max_edits(3, 1) == 0
    assert lookalike.max_edits(6, 4000) == 1
    assert lookalike.max_edits(12, 4000) == 2
    assert lookalike.max_edits(12, 6000) == 1  # the whole snapshot, one edit further down
    assert lookalike.max_edits(4, 6000) == 0


def _reference_osa(a: str, b: str) -> int:
    rows = [[i + j if i * j == 0 else 0 for j in range(len(b) + 1)] for i in range(len(a) + 1)]
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            rows[i][j] = min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                rows[i][j] = min(rows[i][j], rows[i - 2][j - 2] + 1)
    return rows[-1][-1]


@given(st.text("abcd-", max_size=9), st.text("abcd-", max_size=9), st.integers(1, 3))
def test_bounded_distance_matches_the_textbook_one(a: str, b: str, limit: int) -> None:
    assert lookalike.osa_distance(a, b, limit) == min(_reference_osa(a, b), limit + 1)
