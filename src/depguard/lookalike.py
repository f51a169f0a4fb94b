"""Look-alike names: which popular package a name imitates, and how.

An index over a popularity snapshot (:mod:`depguard.popularity`) answers for one name in
microseconds, without comparing it with every popular name. Every popular name is stored under
the forms a confusion would share with it:

* its *compact* form: lower case, without separators or scope punctuation (separator changes and
  ``@types/x`` / ``types-x`` collide here);
* its *folded* form: look-alike characters replaced (``0``/``o``, ``1``/``l``/``i``, ``rn``/``m``,
  ``vv``/``w``, Cyrillic and Greek look-alikes);
* its forms with one character deleted, and for the most popular names with two (a
  symmetric-deletion index: names within one edit share a one-deletion form, names within two
  share a two-deletion form);
* its *core*, without packaging affixes (``python-``, ``-py``, ``-js``, ``node-``, ``2``, ...);
* its words sorted (reordered words) and its words without a plural ``s``.

A query builds the same forms for the candidate, looks them up, checks the distance on the few
names it finds and names the confusion class. Noise guards (distance scaled to length, scopes,
plugin families) are applied here; popularity and metadata guards belong to the signal.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

from depguard.model import Ecosystem
from depguard.popularity import Snapshot, snapshot

KINDS: dict[str, str] = {
    "homoglyph": "look-alike characters",
    "separator": "changed separators",
    "scope": "scope confusion",
    "word-order": "reordered words",
    "plural": "plural/singular",
    "affix": "added or dropped affix",
    "transposition": "transposed letters",
    "repetition": "repeated letter",
    "omission": "omitted letter",
    "keyboard": "keyboard-adjacent letter",
    "substitution": "one letter changed",
    "insertion": "added letter",
    "two-edits": "two small edits",
}
"""Confusion classes (the ``kind`` of a typosquat finding) and how the report names them."""

_EXACT = frozenset({"homoglyph", "separator", "scope"})
_PRIORITY = {kind: n for n, kind in enumerate(KINDS)}

MIN_EDIT_LENGTH = 4
"""No edit-distance match when either name is shorter (in compact form), but see SHORT_INSERT."""
TWO_EDIT_LENGTH = 9
"""Two edits when both names are at least this long; one edit below (but see TWO_EDIT_TOP)."""
TWO_EDIT_SHORT = 7
"""Two edits from this length on near the TWO_EDIT_TOP most popular names."""
TWO_EDIT_TOP = 1000
"""The most squatted names: two edits from TWO_EDIT_SHORT characters on."""
TOP_FEW = 100
"""Two edits from five characters on near the 100 most popular names (botaa3 -> boto3)."""
SLIP_TOP = 2500
"""Two slips of the fingers (two swaps, a letter moved two places, a swap and a dropped or
doubled letter) from five characters on near this many of the most popular names (rceat ->
react, mogobd -> mongodb): typing slips, not a different word."""
SHORT_TOP = 1000
"""Four-character names: any one edit near the 1,000 most popular names, a transposition only
further down."""
SHORT_INSERT_TOP = 2500
"""Three-character names near this many of the most popular ones: a letter doubled or inserted
inside (not appended: ``pipe`` is a word, ``piip`` a slip)."""
DOUBLES_LENGTH = 6
"""``pupeter`` for puppeteer: doubled letters written once (or single ones doubled), up to two
of them, in names of six characters or more among the EDIT_TOP most popular."""
EDIT_TOP = 5000
"""Below this rank a typo match needs one edit on a name of six characters or more (five for a
swapped or doubled letter): the popularity ratio guard (the signal's) and the weak-signal count
keep the long tail from being flagged on a resemblance alone."""
FAMILY_SIZE = 5
"""A first word shared by this many popular names is a plugin family (``django-``, ``pytest-``)."""

# Affixes that make a name look like a packaging of the popular one (always suspicious), and
# generic words that are also how plugin families name things (suspicious unless the popular
# name is a family root: ``requests-utils`` is a plugin-family shape, ``numpy-utils`` is not).
_PACKAGING_PREFIXES = ("python3", "python2", "python", "py3", "py2", "py", "node", "lib")
_PACKAGING_SUFFIXES = (
    "python3",
    "python2",
    "python",
    "py3",
    "py2",
    "py",
    "js",
    "node",
    "npm",
    "lib",
    "dev",
    "2",
    "3",
)
_PACKAGING_PREFIXES_SET = frozenset(_PACKAGING_PREFIXES)
_PACKAGING_SUFFIXES_SET = frozenset(_PACKAGING_SUFFIXES)
_GENERIC_SUFFIXES = ("utils", "util", "sdk", "api", "plus", "lite", "pro", "new", "latest")
_CANDIDATE_SUFFIXES = _PACKAGING_SUFFIXES_SET | frozenset(_GENERIC_SUFFIXES)
_GLUED_PREFIX = re.compile("(?:" + "|".join(_PACKAGING_PREFIXES) + ")")
_GLUED_SUFFIX = re.compile("(?:" + "|".join(_PACKAGING_SUFFIXES) + ")$")
_NOT_FAMILIES = frozenset(_PACKAGING_PREFIXES + _PACKAGING_SUFFIXES + ("types",))

_SEPARATORS = re.compile(r"[-_.@/]+")
_AFFIXED = re.compile(
    "^(?:" + "|".join(_PACKAGING_PREFIXES) + ")|(?:" + "|".join(_PACKAGING_SUFFIXES) + ")$"
)
# Digits and letters that render alike, then Cyrillic and Greek letters that look Latin.
_CONFUSABLES = str.maketrans(
    {
        "0": "o",
        "1": "l",
        "i": "l",
        "|": "l",
        "\u0430": "a",
        "\u0432": "b",
        "\u0435": "e",
        "\u0451": "e",
        "\u043a": "k",
        "\u043c": "m",
        "\u043d": "h",
        "\u043e": "o",
        "\u0440": "p",
        "\u0441": "c",
        "\u0442": "t",
        "\u0443": "y",
        "\u0445": "x",
        "\u0456": "l",
        "\u0458": "j",
        "\u0455": "s",
        "\u0501": "d",
        "\u051b": "q",
        "\u051d": "w",
        "\u03b1": "a",
        "\u03bf": "o",
        "\u03c1": "p",
        "\u03bd": "v",
        "\u03c4": "t",
        "\u03b9": "l",
        "\u03ba": "k",
    }
)
_KEYBOARD_ROWS = ("1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm")


def _keyboard() -> dict[str, frozenset[str]]:
    """Keys next to each key on a QWERTY keyboard (rows are staggered: a row sits half a key
    to the right of the one above)."""
    near: dict[str, set[str]] = {}
    for r, row in enumerate(_KEYBOARD_ROWS):
        for c, ch in enumerate(row):
            neighbours = near.setdefault(ch, set())
            spots = [(r, c - 1), (r, c + 1), (r - 1, c), (r - 1, c + 1), (r + 1, c - 1), (r + 1, c)]
            for rr, cc in spots:
                if 0 <= rr < len(_KEYBOARD_ROWS) and 0 <= cc < len(_KEYBOARD_ROWS[rr]):
                    neighbours.add(_KEYBOARD_ROWS[rr][cc])
    return {k: frozenset(v) for k, v in near.items()}


KEYBOARD = _keyboard()

_Adder = Callable[[Iterable[int], str, int], None]


class Target(NamedTuple):
    """A popular package a name can imitate (a tuple: fifteen thousand are made per index)."""

    name: str
    key: str
    compact: str
    rank: int
    downloads: int | None
    scope: str | None


@dataclass(frozen=True)
class Match:
    target: Target
    kind: str
    distance: int

    @property
    def description(self) -> str:
        return KINDS[self.kind]

    @property
    def sort_key(self) -> tuple[int, int, int, int]:
        """Exact confusions first, then one-step ones, then two edits; within a tier the closer
        explanation, then the more popular target (``rrequests`` imitates requests, not
        grequests)."""
        tier = 0 if self.kind in _EXACT else 2 if self.distance > 1 else 1
        distance = self.distance
        if self.kind == "homoglyph" and self.target.rank > EDIT_TOP:
            tier, distance = 1, 1  # siix folds onto silx, but six is what it imitates
        return (tier, distance, self.target.rank, _PRIORITY[self.kind])


_DROP = str.maketrans("", "", "-_.@/")


def compact(name: str) -> str:
    """Lower case without separators or scope punctuation: ``@Types/Node`` -> ``typesnode``."""
    return name.lower().translate(_DROP)


def words(name: str) -> list[str]:
    """The words of a name, lower case: ``@Azure/core-http`` -> ``azure``, ``core``, ``http``."""
    return [w for w in _SEPARATORS.split(name.lower()) if w]


def fold(text: str) -> str:
    """Look-alike characters replaced by the letter they imitate."""
    return text.replace("rn", "m").replace("vv", "w").translate(_CONFUSABLES)


def scope_of(name: str) -> str | None:
    if name.startswith("@") and "/" in name:
        return name[1 : name.index("/")].lower()
    return None


def max_edits(length: int, rank: int, top: int = EDIT_TOP) -> int:
    """Edits allowed between two names whose shorter compact form has ``length`` characters,
    the popular one being ranked ``rank``: short names only near the very popular, two edits on
    long names, or on names of five or more characters near the few most popular packages; one
    edit on names of five or more characters further down the whole snapshot."""
    if length < MIN_EDIT_LENGTH:
        return 0
    if rank > top:
        return 1 if length >= 5 else 0
    if length == MIN_EDIT_LENGTH:
        return 1  # and only a transposition below SHORT_TOP (see Index._edits)
    if length >= TWO_EDIT_LENGTH or (length >= TWO_EDIT_SHORT and rank <= TWO_EDIT_TOP):
        return 2
    if rank <= TOP_FEW:
        return 2
    return 1


def undouble(text: str) -> str:
    """``text`` with every run of one letter written once: ``puppeteer`` -> ``pupeter``."""
    return re.sub(r"(.)\1+", r"\1", text)


def slips(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` differ by typing slips only: the same letters in a slightly
    different order (two swaps, a letter moved by two places) or a swap together with a dropped
    or doubled letter, with the first letter kept."""
    if not a or not b or a[0] != b[0] or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        if sorted(a) != sorted(b):
            return False
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return 2 <= len(diff) <= 4 and diff[-1] - diff[0] <= 3
    long, short = (a, b) if len(a) > len(b) else (b, a)
    for i in range(len(long)):
        dropped = long[:i] + long[i + 1 :]
        if dropped == short:
            return False  # one edit, not two
        if sorted(dropped) == sorted(short) and osa_distance(dropped, short, 1) == 1:
            return True
    return False


def osa_distance(a: str, b: str, limit: int = 3) -> int:
    """Damerau-Levenshtein (optimal string alignment) distance, capped at ``limit + 1``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    # a common prefix and suffix never change the distance: compare what differs
    start, shortest = 0, min(len(a), len(b))
    while start < shortest and a[start] == b[start]:
        start += 1
    end = 0
    while end < shortest - start and a[-1 - end] == b[-1 - end]:
        end += 1
    a, b = a[start : len(a) - end], b[start : len(b) - end]
    if not a or not b:
        return min(max(len(a), len(b)), limit + 1)
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        best = current[0]
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if (
                i > 1
                and j > 1
                and a[i - 1] == b[j - 2]
                and a[i - 2] == b[j - 1]
                and previous2[j - 2] + 1 < value
            ):
                value = previous2[j - 2] + 1
            current[j] = value
            best = min(best, value)
        if best > limit:
            return limit + 1
        previous2, previous = previous, current
    return min(previous[len(b)], limit + 1)


def _deletion_forms(text: str, *, two: bool) -> set[str]:
    """``text`` and its forms with one character deleted (and with two, if ``two``)."""
    once = [text[:j] + text[j + 1 :] for j in range(len(text))]
    forms = {text, *once}
    if two:
        # deleting position j, then a later one: each pair of positions exactly once
        forms.update([d[:k] + d[k + 1 :] for j, d in enumerate(once) for k in range(j, len(d))])
    return forms


def _singular(word: str) -> str:
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def _cores(name: str, *, candidate: bool = True) -> dict[str, bool]:
    """Compact forms of ``name`` with up to two affixes removed.

    For a candidate name every affix counts, written with or without a separator. For a popular
    name (``candidate=False``) only packaging affixes count, and one written without a separator
    only when at least four characters remain (``pyserial`` -> ``serial``, not ``pytz`` -> ``tz``).
    Each core maps to whether every affix removed was written with a separator."""
    found: dict[str, bool] = {}
    least = 3 if candidate else 4
    suffixes = _CANDIDATE_SUFFIXES if candidate else _PACKAGING_SUFFIXES_SET
    todo: list[tuple[list[str], str, bool]] = [(words(name), compact(name), True)]
    for _ in range(2):
        found_now: list[tuple[list[str], str, bool]] = []
        for tokens, flat, separated in todo:
            options: list[tuple[list[str] | None, str, bool]] = []
            if len(tokens) > 1:
                if tokens[0] in _PACKAGING_PREFIXES_SET:
                    options.append((tokens[1:], "".join(tokens[1:]), separated))
                if tokens[-1] in suffixes:
                    options.append((tokens[:-1], "".join(tokens[:-1]), separated))
            glued = _GLUED_PREFIX.match(flat)
            if glued and len(flat) - glued.end() >= least:
                options.append((None, flat[glued.end() :], False))
            glued = _GLUED_SUFFIX.search(flat)
            if glued and glued.start() >= max(2, least):
                options.append((None, flat[: glued.start()], False))
            for rest_tokens, rest, clean in options:
                if rest not in found or (clean and not found[rest]):
                    found[rest] = clean
                    found_now.append((rest_tokens or [rest], rest, clean))
        todo = found_now
    return found


def _generic_only(name: str, core: str) -> bool:
    """True when ``core`` is ``name`` without a generic suffix word (``-utils``, ``-sdk``)."""
    tokens = words(name)
    return len(tokens) > 1 and tokens[-1] in _GENERIC_SUFFIXES and "".join(tokens[:-1]) == core


class _Multimap:
    """``str -> ints``, stored as one int per key (almost every key has one value) plus a small
    overflow table: cheaper to build than a list per key."""

    __slots__ = ("more", "one")

    def __init__(self) -> None:
        self.one: dict[str, int] = {}
        self.more: dict[str, list[int]] = {}

    def add(self, key: str, value: int) -> None:
        got = self.one.setdefault(key, value)
        if got != value:
            more = self.more.get(key)
            if more is None:
                self.more[key] = [got, value]
            elif value not in more:
                more.append(value)

    def get(self, key: str) -> tuple[int, ...] | list[int]:
        more = self.more.get(key)
        if more is not None:
            return more
        one = self.one.get(key)
        return () if one is None else (one,)

    def collect(self, keys: set[str], into: set[int]) -> None:
        one, more = self.one, self.more
        for key in keys & one.keys():  # the intersection runs in C; few keys survive it
            into.add(one[key])
            if key in more:
                into.update(more[key])

    def __len__(self) -> int:
        return len(self.one)


class Index:
    """Look-alike lookups over one ecosystem's popular names.

    Each popular name is stored under *aliases*: its compact form and, for names with packaging
    affixes, its cores (``python-dateutil`` -> ``dateutil``). Typo matches (one or two edits)
    are looked for only among the ``edit_top`` most popular names: below that the popular name
    is not far enough above an unknown one for a typo to be the likely explanation.
    """

    def __init__(self, snap: Snapshot) -> None:
        self.ecosystem = snap.ecosystem
        self.edit_top = EDIT_TOP
        self.snapshot = snap
        self.keys: list[str] = list(snap.entries)  # target i is the i-th popular name
        self.ranks: list[int] = [rank for _, rank, _ in snap.entries.values()]
        self._targets: dict[int, Target] = {}
        self.alias_text: list[str] = []
        self.alias_target: list[int] = []
        self.alias_core: list[int] = []  # 0: the name, 1: a core, 2: a core cut without separator
        self.exact = _Multimap()
        self.folded = _Multimap()
        self.near = _Multimap()  # a name, its one-deletion forms, two-deletion forms at the top
        self.orders: dict[str, list[int]] = {}
        self.singulars: dict[str, list[int]] = {}
        self.reordered: dict[str, list[int]] = {}
        self.bare: dict[str, list[int]] = {}
        self.short: dict[str, list[int]] = {}  # three-character names near the top
        self.scrambled: dict[str, list[int]] = {}  # sorted letters (and of one-deletion forms)
        self.undoubled: dict[str, list[int]] = {}  # runs of a letter written once
        self.families: set[str] = set()
        self.scopes: set[str] = set()
        self._build(snap)

    def _alias(self, text: str, target: int, core: int, typos: bool) -> None:
        a = len(self.alias_text)
        self.alias_text.append(text)
        self.alias_target.append(target)
        self.alias_core.append(core)
        self.exact.add(text, a)
        if not core:
            folded = fold(text)
            if folded != text:
                self.folded.add(folded, a)
        if typos and len(text) >= MIN_EDIT_LENGTH:
            near = self.near
            first = near.one.setdefault
            # two deletions too for the most squatted names: any two edits meet there
            rank = self.ranks[target]
            # (only where max_edits can allow two: long names near the top, or the very top)
            two = not core and (
                (rank <= TWO_EDIT_TOP and len(text) >= TWO_EDIT_SHORT)
                or (rank <= TOP_FEW and len(text) >= MIN_EDIT_LENGTH + 1)
            )
            if not core and rank <= self.edit_top and len(text) >= DOUBLES_LENGTH:
                plain = undouble(text)
                if plain != text or len(text) >= DOUBLES_LENGTH:
                    self.undoubled.setdefault(plain, []).append(target)
            if not core and rank <= SLIP_TOP and len(text) >= MIN_EDIT_LENGTH + 1:
                for form in {text, *_deletion_forms(text, two=False)}:
                    self.scrambled.setdefault("".join(sorted(form)), []).append(target)
            for form in _deletion_forms(text, two=two):
                if first(form, a) != a:  # another popular name shares this form
                    near.add(form, a)

    def _build(self, snap: Snapshot) -> None:
        first_words: dict[str, int] = {}
        scope_sizes: dict[str, int] = {}
        for i, (key, (_, rank, _downloads)) in enumerate(snap.entries.items()):
            flat = compact(key)
            scope = scope_of(key)
            typos = True  # every popular name; max_edits narrows what counts below edit_top
            self._alias(flat, i, core=0, typos=typos)
            if len(flat) == MIN_EDIT_LENGTH - 1 and rank <= SHORT_INSERT_TOP:
                self.short.setdefault(flat, []).append(i)
            if scope is not None:
                scope_sizes[scope] = scope_sizes.get(scope, 0) + 1
                self.bare.setdefault(compact(key.split("/", 1)[1]), []).append(i)
                continue
            tokens = words(key) if len(flat) != len(key) else [flat]
            if len(tokens) > 1:
                first_words[tokens[0]] = first_words.get(tokens[0], 0) + 1
                self.orders.setdefault("-".join(sorted(tokens)), []).append(i)
                if len(tokens) == 2:
                    self.reordered.setdefault(tokens[1] + tokens[0], []).append(i)
                singular = "-".join(_singular(t) for t in tokens)
                if singular != "-".join(tokens):
                    self.singulars.setdefault(singular, []).append(i)
            elif flat.endswith("s") and len(flat) > 3:
                self.singulars.setdefault(_singular(flat), []).append(i)
            if _AFFIXED.search(key):
                for core, separated in _cores(key, candidate=False).items():
                    if len(core) >= 3 and core != flat:
                        # typos against a core only where the affix was a separate word:
                        # openvc -> opencv(-python), but not ifilter -> filter(py)
                        kind = 1 if separated else 2
                        self._alias(core, i, core=kind, typos=typos and separated)
        self.families = {
            w for w, n in first_words.items() if n >= FAMILY_SIZE and w not in _NOT_FAMILIES
        }
        self.scopes = {s for s, n in scope_sizes.items() if n >= 3}

    def target(self, i: int) -> Target:
        """The ``i``-th popular name as a match target (made on demand: few are ever needed)."""
        found = self._targets.get(i)
        if found is None:
            key = self.keys[i]
            name, rank, downloads = self.snapshot.entries[key]
            found = Target(name, key, compact(key), rank, downloads, scope_of(key))
            self._targets[i] = found
        return found

    # -- persistence -----------------------------------------------------------------------
    TABLES = ("orders", "singulars", "reordered", "bare", "short", "scrambled", "undoubled")
    """The index's lookup tables (each a list of target numbers), as kept between runs."""
    _STATE = ("alias_text", "alias_target", "alias_core", *TABLES)
    _MULTIMAPS = ("exact", "folded", "near")

    def state(self) -> dict[str, Any]:
        """Everything built from the snapshot, as JSON-ready data (see lookalike_store)."""
        out: dict[str, Any] = {name: getattr(self, name) for name in self._STATE}
        for name in self._MULTIMAPS:
            table: _Multimap = getattr(self, name)
            out[name] = [table.one, table.more]
        out["families"] = sorted(self.families)
        out["scopes"] = sorted(self.scopes)
        return out

    @classmethod
    def restore(cls, snap: Snapshot, state: dict[str, Any]) -> Index:
        """An index rebuilt from :meth:`state` output for the same snapshot, without the work."""
        self = cls.__new__(cls)
        self.ecosystem = snap.ecosystem
        self.edit_top = EDIT_TOP
        self.snapshot = snap
        self.keys = list(snap.entries)
        self.ranks = [rank for _, rank, _ in snap.entries.values()]
        self._targets = {}
        for name in self._STATE:
            setattr(self, name, state[name])
        for name in self._MULTIMAPS:
            table = _Multimap()
            table.one, table.more = state[name]
            setattr(self, name, table)
        self.families = set(state["families"])
        self.scopes = set(state["scopes"])
        return self

    # -- queries ---------------------------------------------------------------------------
    def matches(self, key: str) -> list[Match]:
        """Every popular name ``key`` (a normalized name) imitates, best explanation first."""
        if key in self.snapshot:
            return []
        flat = compact(key)
        if not flat:
            return []
        scope = scope_of(key)
        if scope is not None and scope in self.scopes:
            return []  # an established scope has one owner, who publishes its own names
        found: dict[int, Match] = {}

        def add(target_ids: Iterable[int], kind: str, distance: int) -> None:
            for i in target_ids:
                target = self.target(i)
                if target.key == key or (scope is not None and target.scope == scope):
                    continue  # a scope has one owner: names inside it never squat each other
                match = Match(target, kind, distance)
                best = found.get(i)
                if best is None or match.sort_key < best.sort_key:
                    found[i] = match

        for a in self.exact.get(flat):
            target = self.target(self.alias_target[a])
            if self.alias_core[a]:
                # a popular name without its affix: dateutil -> python-dateutil
                add((self.alias_target[a],), "affix", 1)
            elif (scope is None) != (target.scope is None):
                add((self.alias_target[a],), "scope", 0)  # types-node -> @types/node
            else:
                add((self.alias_target[a],), "separator", 0)
        # the words of a popular name glued in another order: pythonkafka -> kafka-python
        add(self.reordered.get(flat, ()), "word-order", 0)
        folded = fold(flat)
        for a in (*self.folded.get(folded), *self.exact.get(folded)):
            if self.alias_text[a] != flat and not self.alias_core[a]:
                add((self.alias_target[a],), "homoglyph", 0)
        self._edits(flat, add)
        if scope is None:
            self._words(key, flat, add)
        else:
            self._scope_copy(key, scope, add)
        return sorted(found.values(), key=lambda m: m.sort_key)

    def _typo_aliases(self, flat: str, *, two: bool) -> set[int]:
        """Aliases that share a form with ``flat``: the name or a one-deletion form of it, and
        if ``two`` its two-deletion forms (a deletion on each side finds one edit; two-deletion
        forms find two edits, for the most popular names any two)."""
        seen: set[int] = set()
        self.near.collect(_deletion_forms(flat, two=two and len(flat) <= 40), seen)
        return seen

    def _edits(self, flat: str, add: _Adder, kind: str | None = None, extra: int = 0) -> None:
        """Typo matches; ``extra`` is added to the distance of a compound match (an affix and a
        typo), so that a plain typo explains a name before a compound one does."""
        if len(flat) < MIN_EDIT_LENGTH:
            return
        two = len(flat) >= MIN_EDIT_LENGTH + 1
        for a in self._typo_aliases(flat, two=two):
            core = self.alias_core[a]
            if core == 2 or (extra and core):
                continue  # typos against glued cores, or compounds on cores: too far-fetched
            i = self.alias_target[a]
            rank = self.ranks[i]
            text = self.alias_text[a]
            shortest = min(len(flat), len(text), _core_length(flat, text))
            allowed = 1 if extra else max_edits(shortest, rank, self.edit_top)
            if allowed == 0:
                continue
            distance = osa_distance(flat, text, allowed)
            if not 0 < distance <= allowed:
                continue
            if distance == 2 and shortest < TWO_EDIT_LENGTH and _two_substitutions(flat, text):
                continue  # two changed letters in a short name: a different word, not a slip
            how = classify(flat, text, distance)
            if shortest == MIN_EDIT_LENGTH and rank > SHORT_TOP and how != "transposition":
                continue
            if rank > self.edit_top and (
                how in ("substitution", "two-edits")
                or (shortest < 6 and how not in ("transposition", "repetition"))
            ):
                continue  # further down: only the clearest slips
            add((i,), kind or how, distance + extra)
        if not extra and len(flat) == MIN_EDIT_LENGTH:
            self._short_insert(flat, add)
        if not extra and len(flat) >= MIN_EDIT_LENGTH + 1:
            self._slips(flat, add)
        if not extra and len(flat) >= DOUBLES_LENGTH:
            for i in self.undoubled.get(undouble(flat), ()):
                text = self.keys_compact(i)
                if text != flat and abs(len(text) - len(flat)) <= 2:
                    how = "omission" if len(flat) < len(text) else "repetition"
                    add((i,), how, osa_distance(flat, text, 3))

    def _slips(self, flat: str, add: _Adder) -> None:
        """Typing slips near the SLIP_TOP most popular names (two swaps, a letter moved two
        places, a swap and a dropped or doubled letter): found by their letters, sorted."""
        keys = {"".join(sorted(form)) for form in _deletion_forms(flat, two=False)}
        seen: set[int] = set()
        for key in keys:
            seen.update(self.scrambled.get(key, ()))
        for i in seen:
            text = self.keys_compact(i)
            if text != flat and slips(flat, text):
                add((i,), "two-edits", osa_distance(flat, text, 3))

    def keys_compact(self, i: int) -> str:
        return compact(self.keys[i])

    def _short_insert(self, flat: str, add: _Adder) -> None:
        """``siix`` or ``ssix`` for ``six``: a letter doubled, or inserted inside (not at the end:
        ``pipe`` is a word) a three-character name near the top."""
        for j in range(1, len(flat)):
            base = flat[:j] + flat[j + 1 :]
            for i in self.short.get(base, ()):
                if j == len(flat) - 1 and flat[j] != flat[j - 1]:
                    continue  # appended, not doubled
                add((i,), classify(flat, base, 1), 1)
        if flat[0] == flat[1]:
            for i in self.short.get(flat[1:], ()):
                add((i,), "repetition", 1)

    def _words(self, key: str, flat: str, add: _Adder) -> None:
        tokens = words(key)
        if len(tokens) > 1:
            add(self.orders.get("-".join(sorted(tokens)), ()), "word-order", 0)
            singular = [_singular(t) for t in tokens]
            add(self.singulars.get("-".join(singular), ()), "plural", 1)
            self._exact_targets("".join(singular), flat, "plural", add)
        else:
            add(self.singulars.get(_singular(flat), ()), "plural", 1)
            self._exact_targets(_singular(flat), flat, "plural", add)
        # an added affix: what is left is a popular name (or a popular name's own core), exactly
        # or with a typo (matplatlib-plus -> matplotlib)
        short_js = self.ecosystem is Ecosystem.NPM and flat.endswith("js")
        for core in _cores(key):
            if len(core) < 3 and not short_js:
                continue
            if core in self.families and _generic_only(key, core):
                continue  # requests-utils: a plugin family's shape, judged as name-pattern
            aliases = self.exact.get(core)
            named = [a for a in aliases if not self.alias_core[a]]
            if named:
                add((self.alias_target[a] for a in named), "affix", 1)
            else:  # both names carry an affix: mysqljs is mysql before it is mysql2
                add((self.alias_target[a] for a in aliases), "affix", 2)
            if len(core) >= 6:
                self._edits(core, add, kind="affix", extra=1)

    def _exact_targets(self, text: str, flat: str, kind: str, add: _Adder) -> None:
        if text != flat:
            add(
                (self.alias_target[a] for a in self.exact.get(text) if not self.alias_core[a]),
                kind,
                1,
            )

    def _scope_copy(self, key: str, scope: str, add: _Adder) -> None:
        """``@lodash/lodash``: a scoped name copying a popular unscoped one under a scope that
        passes for its official home. A fork under somebody's own scope (``@jane/lodash``) is
        chosen on purpose and is common; it is left alone."""
        if scope in self.scopes:
            return  # an established scope publishes its own names
        bare = compact(key.split("/", 1)[1])
        official = {bare, compact(words(key.split("/", 1)[1])[0])} if bare else set()
        if len(bare) >= 3 and compact(scope) in official | {f"{b}js" for b in official}:
            add(
                (
                    self.alias_target[a]
                    for a in self.exact.get(bare)
                    if not self.alias_core[a] and self.target(self.alias_target[a]).scope is None
                ),
                "scope",
                0,
            )

    def unscoped_copy(self, key: str) -> list[Match]:
        """``core-http`` where ``@azure/core-http`` is popular: an unscoped copy of a scoped one."""
        if scope_of(key) is not None or key in self.snapshot:
            return []
        flat = compact(key)
        if len(flat) < 6 or len(words(key)) < 2:
            return []
        return [Match(self.target(i), "scope", 0) for i in self.bare.get(flat, ())]

    def suggestions(self, key: str, limit: int = 3) -> list[str]:
        """Popular names someone typing ``key`` most likely meant, best first."""
        found = self.matches(key) + self.unscoped_copy(key)
        flat = compact(key)
        if not found and len(flat) >= 5:
            for a in self._typo_aliases(flat, two=True):
                text = self.alias_text[a]
                distance = osa_distance(flat, text, 2)
                if distance <= 2:
                    found.append(Match(self.target(self.alias_target[a]), "two-edits", distance))
        names: list[str] = []
        for match in sorted(found, key=lambda m: (m.distance, m.target.rank)):
            if match.target.name not in names:
                names.append(match.target.name)
        return names[:limit]


def _core_length(a: str, b: str) -> int:
    """The shorter of the two names without a packaging prefix or suffix they share
    (``python-apt`` and ``python-pptx`` are ``apt`` and ``pptx``: two edits apart, but different
    words): the length the edit allowance is judged on."""
    for affix in _PACKAGING_PREFIXES:
        if len(affix) >= 4 and a.startswith(affix) and b.startswith(affix):
            return min(len(a), len(b)) - len(affix)
    for affix in _PACKAGING_SUFFIXES:
        if len(affix) >= 4 and a.endswith(affix) and b.endswith(affix):
            return min(len(a), len(b)) - len(affix)
    return min(len(a), len(b))


def _two_substitutions(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` differ by exactly two changed letters that are not the same two
    letters swapped (``uglyfi`` for ``uglify`` is a swap across one letter: a slip, kept)."""
    if len(a) != len(b):
        return False
    diff = [i for i in range(len(a)) if a[i] != b[i]]
    if len(diff) != 2:
        return False
    i, j = diff
    return not (a[i] == b[j] and a[j] == b[i])


def classify(candidate: str, target: str, distance: int) -> str:
    """The confusion class of a one- or two-edit difference between compact names."""
    if distance != 1:
        return "two-edits"
    if len(candidate) == len(target):
        i = next(n for n in range(len(target)) if candidate[n] != target[n])
        if (
            i + 1 < len(target)
            and candidate[i] == target[i + 1]
            and candidate[i + 1] == target[i]
            and candidate[i + 2 :] == target[i + 2 :]
        ):
            return "transposition"
        if fold(candidate[i]) == fold(target[i]):
            return "homoglyph"
        if candidate[i] in KEYBOARD.get(target[i], ()):
            return "keyboard"
        return "substitution"
    if len(candidate) == len(target) + 1:
        i = next((n for n in range(len(target)) if candidate[n] != target[n]), len(target))
        extra = candidate[i]
        if (i > 0 and candidate[i - 1] == extra) or (
            i + 1 < len(candidate) and candidate[i + 1] == extra
        ):
            return "repetition"
        if i == len(target) and extra == "s":
            return "plural"
        neighbours = {candidate[j] for j in (i - 1, i + 1) if 0 <= j < len(candidate)}
        if any(extra in KEYBOARD.get(n, ()) for n in neighbours):
            return "keyboard"
        return "insertion"
    if target.endswith("s") and candidate == target[:-1]:
        return "plural"
    return "omission"


@functools.cache
def built(ecosystem: Ecosystem) -> Index:
    """The index for one ecosystem, built in memory from the bundled snapshot (no disk: the
    pipeline loads a kept copy at the edge, see :mod:`depguard.lookalike_store`)."""
    return Index(snapshot(ecosystem))


class Lookalikes:
    """The look-alike indexes one run uses, handed to the signals like other evidence. An
    ecosystem the run did not load is built in memory on first use (pure, just slower)."""

    def __init__(self, indexes: Mapping[Ecosystem, Index] | None = None) -> None:
        self._indexes = dict(indexes or {})
        self._matches: dict[tuple[Ecosystem, str], tuple[Match, ...]] = {}
        self._suggestions: dict[tuple[Ecosystem, str], tuple[str, ...]] = {}

    def index(self, ecosystem: Ecosystem) -> Index:
        found = self._indexes.get(ecosystem)
        if found is None:
            found = self._indexes[ecosystem] = built(ecosystem)
        return found

    def matches(self, ecosystem: Ecosystem, key: str) -> tuple[Match, ...]:
        """Every popular package ``key`` imitates by name alone, best first."""
        if key in snapshot(ecosystem):
            return ()
        found = self._matches.get((ecosystem, key))
        if found is None:
            idx = self.index(ecosystem)
            found = tuple(idx.matches(key) or idx.unscoped_copy(key))
            self._matches[(ecosystem, key)] = found
        return found

    def suggestions(self, ecosystem: Ecosystem, key: str, limit: int = 3) -> list[str]:
        """Popular names someone asking for ``key`` (not a registered name) most likely meant."""
        if key in snapshot(ecosystem):
            return []
        found = self._suggestions.get((ecosystem, key))
        if found is None:
            found = tuple(self.index(ecosystem).suggestions(key))
            self._suggestions[(ecosystem, key)] = found
        return list(found[:limit])


_IN_MEMORY = Lookalikes()


def matches(ecosystem: Ecosystem, key: str) -> tuple[Match, ...]:
    """Every popular package ``key`` imitates by name alone, best first (in-memory indexes)."""
    return _IN_MEMORY.matches(ecosystem, key)


def suggestions(ecosystem: Ecosystem, key: str, limit: int = 3) -> list[str]:
    """Popular names someone asking for ``key`` most likely meant (in-memory indexes)."""
    return _IN_MEMORY.suggestions(ecosystem, key, limit)
