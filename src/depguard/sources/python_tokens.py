"""The import statements of Python source that the running Python's parser cannot read.

``ast`` knows only the grammar of the Python that runs depguard: code written for a newer one
(``except A, B:`` of PEP 758, ``type`` statements and generics of PEP 695, PEP 701 f-strings)
is a syntax error under it. Imports do not need the whole grammar: they are simple statements
whose tokens every Python 3 tokenizes alike. This reader walks ``tokenize``'s tokens, tracks
the block structure from the indentation (functions, ``if``/``else`` with version guards,
``try`` and its handlers) and reads ``import``/``from`` statements and literal
``import_module("x")``/``__import__("x")`` calls, with the same marks as the ``ast`` reader:
guarded, conditional, oldest Python. What cannot be tokenized at all (an unterminated string,
an unclosed bracket at the end of the file) is a ManifestError with its line; what was read
before it is kept.
"""

from __future__ import annotations

import ast
import functools
import io
import re
import tokenize
from dataclasses import dataclass, field, replace
from typing import Any

from depguard.errors import ManifestError
from depguard.sources.python_imports import GUARDING, ImportRef, is_dotted_name

_COMPOUND = frozenset(
    {"if", "elif", "else", "for", "while", "try", "except", "finally", "with", "def", "class"}
)
_SOFT_COMPOUND = frozenset({"match", "case", "async"})
_UNCONDITIONAL = frozenset({"class", "with"})
_VERSION = re.compile(
    r"^(?:sys\.)?version_info\s*(>=|>|<=|<)\s*\(\s*(\d+)\s*,\s*(\d+)\s*[,)]"
    r"|^\(\s*(\d+)\s*,\s*(\d+)\s*\)\s*(>=|>|<=|<)\s*(?:sys\.)?version_info\b"
)
_FLIP = {">=": "<=", ">": "<", "<=": ">=", "<": ">"}
_SKIPPED = (tokenize.COMMENT, tokenize.NL, tokenize.ENCODING)
_FSTRING_START = getattr(tokenize, "FSTRING_START", -1)
_FSTRING_END = getattr(tokenize, "FSTRING_END", -1)
_TSTRING_START = getattr(tokenize, "TSTRING_START", -1)
_TSTRING_END = getattr(tokenize, "TSTRING_END", -1)


@dataclass
class _Block:
    keyword: str
    guarded: bool
    conditional: bool
    python: str | None
    refs: list[int] = field(default_factory=list)
    """For a ``try`` body: the imports found in it (marked guarded by a handler later)."""


@dataclass
class _State:
    cell: int | None
    found: list[ImportRef] = field(default_factory=list)
    blocks: list[_Block] = field(default_factory=list)
    pending: _Block | None = None
    last_try: dict[int, _Block] = field(default_factory=dict)
    last_if: dict[int, str | None] = field(default_factory=dict)
    """Per depth: the oldest Python of the ``else`` branch of the last ``if`` there."""
    import_module_aliases: set[str] = field(default_factory=lambda: {"import_module"})


def scan_tokens(text: str, *, cell: int | None = None) -> list[ImportRef]:
    """The imports of one module's source, read from its tokens. Raises ManifestError when the
    source cannot be tokenized (the message has the line)."""
    state = _State(cell)
    line: list[tokenize.TokenInfo] = []
    fstrings = 0
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            kind = token.type
            if kind in (_FSTRING_START, _TSTRING_START):
                fstrings += 1
                continue
            if kind in (_FSTRING_END, _TSTRING_END):
                fstrings -= 1
                continue
            if fstrings:
                continue  # inside an f-string's replacement fields: expressions only
            if kind == tokenize.INDENT:
                state.blocks.append(state.pending or _Block("", *_context(state)))
                state.pending = None
            elif kind == tokenize.DEDENT:
                if state.blocks:
                    state.blocks.pop()
                depth = len(state.blocks)
                for table in (state.last_try, state.last_if):
                    for key in [k for k in table if k > depth]:
                        del table[key]
            elif kind in (tokenize.NEWLINE, tokenize.ENDMARKER):
                if line:
                    _logical_line(state, line)
                line = []
            elif kind not in _SKIPPED:
                line.append(token)
    except (tokenize.TokenError, IndentationError, SyntaxError) as exc:
        if line:
            _logical_line(state, line)
        where = exc.args[1][0] if len(exc.args) > 1 and isinstance(exc.args[1], tuple) else None
        message = exc.args[0] if exc.args else str(exc)
        raise ManifestError(f"syntax error: {message}", where) from None
    state.found.sort(key=lambda ref: ref.line)
    return state.found


def grammar_error(text: str) -> int | None:
    """None when ``text`` is valid Python of any current version (tree-sitter's grammar);
    else the line of the first error (0 when it has none). Without tree-sitter installed,
    None: the token reader's imports are taken as they are."""
    parser = _parser()
    if parser is None:
        return None
    root = parser.parse(text.encode("utf-8", "surrogatepass")).root_node
    if not root.has_error:
        return None
    node = root
    while True:
        broken = next((c for c in node.children if c.has_error or c.is_error or c.is_missing), None)
        if broken is None or node.is_error or node.is_missing:
            return node.start_point[0] + 1 if node is not root else 0
        node = broken


@functools.cache
def _parser() -> Any:
    try:
        import tree_sitter
        import tree_sitter_python
    except ImportError:
        return None
    return tree_sitter.Parser(tree_sitter.Language(tree_sitter_python.language()))


def _context(state: _State) -> tuple[bool, bool, str | None]:
    """(guarded, conditional, oldest Python) where the next statement sits."""
    if not state.blocks:
        return False, False, None
    inner = state.blocks[-1]
    return inner.guarded, inner.conditional, inner.python


def _logical_line(state: _State, tokens: list[tokenize.TokenInfo]) -> None:
    """One logical line: compound headers (possibly with a statement after the colon) and
    simple statements separated by ``;``."""
    depth = len(state.blocks)
    first = tokens[0].string
    is_header = first in _COMPOUND or (first in _SOFT_COMPOUND and _ends_block(tokens))
    if is_header and first == "async" and len(tokens) > 1:
        first = tokens[1].string
    if not is_header:
        _statements(state, tokens, state.blocks[-1] if state.blocks else None)
        return
    colon = _header_colon(tokens)
    header = tokens[: colon if colon is not None else len(tokens)]
    guarded, conditional, python = _context(state)
    block = _Block(first, guarded, conditional or first not in _UNCONDITIONAL, python)
    if first == "try":
        block.conditional = conditional
        state.last_try[depth] = block
    elif first == "except":
        tried = state.last_try.get(depth)
        catches = _catches_import_error(header[1:])
        block.guarded = guarded or catches
        block.conditional = True
        if tried is not None and catches:
            for index in tried.refs:
                state.found[index] = replace(state.found[index], guarded=True, conditional=True)
            tried.refs.clear()  # marked once; later handlers see nothing more to mark
            tried.guarded = True
    elif first == "finally":
        block.conditional = conditional
    elif first in {"if", "elif"}:
        newer, older = _version_guard(header[1:])
        block.python = newer or python
        state.last_if[depth] = older
    elif first == "else":
        block.python = state.last_if.pop(depth, None) or python
    if colon is not None and colon + 1 < len(tokens):
        _statements(state, tokens[colon + 1 :], block)  # `if x: import y` on one line
    else:
        state.pending = block


def _ends_block(tokens: list[tokenize.TokenInfo]) -> bool:
    return _header_colon(tokens) is not None


def _header_colon(tokens: list[tokenize.TokenInfo]) -> int | None:
    """Index of the colon that ends a compound statement's header (at bracket depth 0, not a
    lambda's)."""
    depth = 0
    lambdas = 0
    for index, token in enumerate(tokens):
        text = token.string
        if token.type == tokenize.OP:
            if text in "([{":
                depth += 1
            elif text in ")]}":
                depth -= 1
            elif text == ":" and depth == 0:
                if lambdas:
                    lambdas -= 1
                    continue
                return index
        elif token.type == tokenize.NAME and text == "lambda" and depth == 0:
            lambdas += 1
    return None


def _statements(state: _State, tokens: list[tokenize.TokenInfo], block: _Block | None) -> None:
    guarded = block.guarded if block else False
    conditional = block.conditional if block else False
    python = block.python if block else None
    start = 0
    for index in range(len(tokens) + 1):
        at_end = index == len(tokens)
        if at_end or (tokens[index].type == tokenize.OP and tokens[index].string == ";"):
            part = tokens[start:index]
            start = index + 1
            if part:
                for ref in _imports(state, part):
                    state.found.append(
                        replace(ref, guarded=guarded, conditional=conditional, python=python)
                    )
                    for enclosing in (*state.blocks, *([block] if block else [])):
                        if enclosing.keyword == "try" and not enclosing.guarded:
                            enclosing.refs.append(len(state.found) - 1)


def _imports(state: _State, tokens: list[tokenize.TokenInfo]) -> list[ImportRef]:
    first = tokens[0]
    line = first.start[0]
    cell = state.cell
    if first.string == "import" and first.type == tokenize.NAME:
        refs = []
        for name, _ in _names(tokens[1:]):
            if not is_dotted_name(name):
                continue
            refs.append(ImportRef(name, line, f"import {name}", cell=cell))
        return refs
    if first.string == "from" and first.type == tokenize.NAME:
        try:
            at = next(i for i, t in enumerate(tokens) if t.string == "import")
        except StopIteration:
            return []
        module = "".join(t.string for t in tokens[1:at])
        if not module or module.startswith(".") or not is_dotted_name(module):
            return []  # relative: local code
        imported = _names(tokens[at + 1 :])
        names = tuple(name for name, _ in imported if name != "*")
        if module == "importlib":
            for name, alias in imported:
                if name == "import_module":
                    state.import_module_aliases.add(alias or name)
        shown = ", ".join(names[:3]) + (", ..." if len(names) > 3 else "") or "*"
        return [ImportRef(module, line, f"from {module} import {shown}", names=names, cell=cell)]
    return _dynamic(state, tokens)


def _names(tokens: list[tokenize.TokenInfo]) -> list[tuple[str, str | None]]:
    """``a.b as c, d`` (optionally in parentheses) → [("a.b", "c"), ("d", None)]."""
    out: list[tuple[str, str | None]] = []
    name: list[str] = []
    alias: str | None = None
    expecting_alias = False
    for token in tokens:
        text = token.string
        if text in ("(", ")"):
            continue
        if text == ",":
            if name:
                out.append(("".join(name), alias))
            name, alias, expecting_alias = [], None, False
        elif text == "as" and token.type == tokenize.NAME:
            expecting_alias = True
        elif expecting_alias:
            alias = text
        else:
            name.append(text)
    if name:
        out.append(("".join(name), alias))
    return out


def _dynamic(state: _State, tokens: list[tokenize.TokenInfo]) -> list[ImportRef]:
    refs = []
    for index, token in enumerate(tokens[:-2]):
        if token.type != tokenize.NAME:
            continue
        if token.string not in state.import_module_aliases and token.string != "__import__":
            continue
        if tokens[index + 1].string != "(" or tokens[index + 2].type != tokenize.STRING:
            continue
        try:
            value = ast.literal_eval(tokens[index + 2].string)
        except (ValueError, SyntaxError):
            continue
        if not isinstance(value, str):
            continue
        module = value.strip()
        if not module or module.startswith(".") or not is_dotted_name(module):
            continue
        dotted = index >= 2 and tokens[index - 1].string == "."
        if dotted and tokens[index - 2].string != "importlib":
            continue  # some_helper.import_module(...): not importlib's
        before = tokens[index - 2].string + "." if dotted else ""
        refs.append(
            ImportRef(
                module, token.start[0], f'{before}{token.string}("{module}")', cell=state.cell
            )
        )
    return refs


def _catches_import_error(tokens: list[tokenize.TokenInfo]) -> bool:
    """An ``except`` header (without the keyword) that catches ImportError or everything."""
    names = [t.string for t in tokens if t.type == tokenize.NAME]
    if not names or names[0] == "as":
        return True  # a bare except
    if "as" in names:
        names = names[: names.index("as")]
    return any(name in GUARDING for name in names)


def _version_guard(tokens: list[tokenize.TokenInfo]) -> tuple[str | None, str | None]:
    """``sys.version_info >= (3, N)`` and its mirror image: (oldest Python of the body, of the
    else branch)."""
    text = " ".join(t.string for t in tokens).replace(" . ", ".")
    words = {t.string for t in tokens if t.type == tokenize.NAME}
    match = _VERSION.match(text)
    if match is None or "or" in words:
        return None, None
    if match.group(1):
        op, major, minor = match.group(1), int(match.group(2)), int(match.group(3))
    else:
        op, major, minor = _FLIP[match.group(6)], int(match.group(4)), int(match.group(5))
    at, after = f"{major}.{minor}", f"{major}.{minor + 1}"
    if "and" in words:  # `version_info >= (3, 14) and x`: the body only
        return {">=": (at, None), ">": (after, None)}.get(op, (None, None))
    return {
        ">=": (at, None),
        ">": (after, None),
        "<": (None, at),
        "<=": (None, after),
    }[op]
