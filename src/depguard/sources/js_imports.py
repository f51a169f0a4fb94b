"""Package references in JavaScript and TypeScript code (``.js .mjs .cjs .jsx .ts .tsx``).

Found: ``import ... from 'x'``, ``import 'x'``, ``export ... from 'x'``, ``require('x')``,
``require.resolve('x')``, ``import x = require('x')`` and dynamic ``import('x')``, with a literal
string (a template literal without substitutions counts). The code is only read as text, never
run: a small scanner follows comments, strings, template literals and regular-expression
literals, so an ``import`` written inside any of them is not taken for one.

A specifier names a package unless it is relative or absolute (``./x``, ``/x``), a URL or other
``scheme:`` (``node:fs``, ``https:``; ``npm:pkg`` names ``pkg``), a subpath import (``#x``), a
Node built-in module (``fs``, ``fs/promises``), a TypeScript path alias of the project
(``compilerOptions.paths``, ``baseUrl``), an alias of a bundler configuration
(:mod:`depguard.sources.bundler_aliases`), a module a framework in use generates
(:mod:`depguard.sources.js_frameworks`), a name no npm package can have (``@docusaurus/Link``,
``__sveltekit/env``) or a package that lives inside the checked tree. Subpaths map to their
package: ``lodash/fp`` is ``lodash``, ``@scope/pkg/sub`` is ``@scope/pkg``. In TypeScript, an
import of an undeclared package whose ``@types/`` package is declared is that types package.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from depguard.model import Dependency, Ecosystem, Location, NamedIn
from depguard.names import is_valid
from depguard.sources import SourceResult
from depguard.sources.fixture_trees import inside_tree, is_secondary
from depguard.sources.js_frameworks import Generated
from depguard.sources.npm_project import NpmProjects, PathAliases
from depguard.sources.reading import read_into

if TYPE_CHECKING:
    from depguard.sources.context import ReadContext

_CODE = re.compile(r"//|/\*|['\"`/]")
_CODE_IN_TEMPLATE = re.compile(r"//|/\*|['\"`/{}]")
_STRING = {
    "'": re.compile(r"'(?:[^'\\\n\r]|\\(?:\r\n|[\s\S]))*'"),
    '"': re.compile(r'"(?:[^"\\\n\r]|\\(?:\r\n|[\s\S]))*"'),
}
_TEMPLATE_TEXT = re.compile(r"(?:[^`\\$]|\\[\s\S]|\$(?!\{))*")
_REGEX = re.compile(r"/(?![*/])(?:[^/\\\[\n\r]|\\.|\[(?:[^\]\\\n\r]|\\.)*\])+/[A-Za-z]*")
_REGEX_AFTER_CHAR = frozenset("(,=:[!&|?{};+-*%~^")
_REGEX_AFTER_WORD = frozenset(
    [
        "return",
        "typeof",
        "case",
        "do",
        "else",
        "in",
        "of",
        "new",
        "delete",
        "void",
        "throw",
        "yield",
        "await",
        "instanceof",
    ]
)
_STATIC = re.compile(r"(?:^|[^\w$.])(?:from|import)\s*$")
_CALL = re.compile(r"(?:^|[^\w$.])(?:require(?:\s*\.\s*resolve)?|import)\s*\(\s*$")
_CALL_END = re.compile(r"\s*[,)]")
_ESCAPE = re.compile(r"\\(u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|\r\n|[\s\S])")
_SIMPLE_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}
LOOKBEHIND = 64
"""How far back from a string the scanner looks for ``from``/``import``/``require(``."""


@dataclass(frozen=True)
class ImportSite:
    specifier: str
    offset: int
    line: int
    column: int
    statement: str
    type_only: bool = False
    """``import type … from``/``export type … from``, or every name imported with ``type``:
    TypeScript erases it, so only the package's types are needed."""


def scan(text: str) -> list[ImportSite]:
    """Every import of a literal specifier in ``text``, in order."""
    literals, masked = lex(text)
    newlines = [m.start() for m in re.finditer("\n", text)]
    sites = []
    for start, end, value in literals:
        before = masked[max(0, start - LOOKBEHIND) : start]
        static = _STATIC.search(before) is not None
        if not static and not (_CALL.search(before) and _CALL_END.match(masked, end)):
            continue
        line = bisect.bisect_left(newlines, start) + 1
        line_start = newlines[line - 2] + 1 if line >= 2 else 0
        line_end = newlines[line - 1] if line - 1 < len(newlines) else len(text)
        statement = " ".join(text[line_start:line_end].split())
        if len(statement) > 100:
            statement = statement[:97] + "..."
        type_only = static and _type_only(masked, start)
        sites.append(ImportSite(value, start, line, start - line_start + 1, statement, type_only))
    return sites


_STATEMENT = re.compile(r"(?<![\w$.])(?:import|export)(?![\w$])")
_TYPE_CLAUSE = re.compile(r"(?:import|export)\s+type(?:\s+(?!from\b)|\s*[{*])")
_TYPE_NAMES = re.compile(r"(?:import|export)\s*\{([^{}]*)\}\s*from\s*$")


def _type_only(masked: str, start: int) -> bool:
    """Whether the ``from`` import ending at ``start`` imports types only."""
    window = masked[max(0, start - 4096) : start]
    keywords = list(_STATEMENT.finditer(window))
    if not keywords:
        return False
    clause = window[keywords[-1].start() :]
    if _TYPE_CLAUSE.match(clause):
        return True
    names = _TYPE_NAMES.match(clause)
    if names is None:
        return False
    items = [item.strip() for item in names.group(1).split(",") if item.strip()]
    return bool(items) and all(re.match(r"type\s", item) for item in items)


def lex(text: str) -> tuple[list[tuple[int, int, str]], str]:
    """(string literals in code: start, end, value; the text with comments and strings blanked)."""
    out: list[str] = []
    literals: list[tuple[int, int, str]] = []
    stack: list[int] = []  # open "${" substitutions: the brace depth inside each
    pos = 0
    size = len(text)
    while pos < size:
        match = (_CODE_IN_TEMPLATE if stack else _CODE).search(text, pos)
        if match is None:
            out.append(text[pos:])
            break
        start = match.start()
        out.append(text[pos:start])
        token = match.group()
        if token == "//":  # noqa: S105 - a JavaScript token, not a password
            end = text.find("\n", start)
            end = size if end < 0 else end
            out.append(" " * (end - start))
            pos = end
        elif token == "/*":  # noqa: S105
            end = text.find("*/", start + 2)
            end = size if end < 0 else end + 2
            out.append(_blank(text[start:end]))
            pos = end
        elif token in _STRING:
            string = _STRING[token].match(text, start)
            if string is None:  # unterminated on its line (JSX text, say): not a string
                out.append(token)
                pos = start + 1
            else:
                raw = string.group()
                literals.append((start, string.end(), _unescape(raw[1:-1])))
                out.append(token + _blank(raw[1:-1]) + token)
                pos = string.end()
        elif token == "`":  # noqa: S105
            pos = _template(text, start + 1, out, stack, literals, start)
        elif token == "{":  # noqa: S105
            stack[-1] += 1
            out.append(token)
            pos = start + 1
        elif token == "}":  # noqa: S105
            if stack[-1] == 0:
                stack.pop()
                out.append(" ")
                pos = _template(text, start + 1, out, stack, literals, None)
            else:
                stack[-1] -= 1
                out.append(token)
                pos = start + 1
        else:  # "/": a regular expression or a division
            regex = _REGEX.match(text, start) if _regex_may_start(text, start) else None
            if regex is not None:
                out.append(_blank(regex.group()))
                pos = regex.end()
            else:
                out.append(token)
                pos = start + 1
    return literals, "".join(out)


def _template(
    text: str,
    pos: int,
    out: list[str],
    stack: list[int],
    literals: list[tuple[int, int, str]],
    opened_at: int | None,
) -> int:
    """Scan template text from ``pos``; returns where code resumes."""
    chunk = _TEMPLATE_TEXT.match(text, pos)
    end = chunk.end() if chunk else pos
    if opened_at is not None:
        out.append(" ")  # the opening backtick
    out.append(_blank(text[pos:end]))
    if end >= len(text):
        return end
    if text[end] == "`":
        if opened_at is not None and "\\" not in text[pos:end]:
            literals.append((opened_at, end + 1, text[pos:end]))
        out.append(" ")
        return end + 1
    out.append("  ")  # "${"
    stack.append(0)
    return end + 2


def _regex_may_start(text: str, index: int) -> bool:
    back = index - 1
    while back >= 0 and text[back] in " \t\r\n":
        back -= 1
    if back < 0:
        return True
    char = text[back]
    if char in _REGEX_AFTER_CHAR or char == "}":
        return True
    if char.isalnum() or char in "_$":
        start = back
        while start > 0 and (text[start - 1].isalnum() or text[start - 1] in "_$"):
            start -= 1
        return text[start : back + 1] in _REGEX_AFTER_WORD
    return False


def _blank(text: str) -> str:
    return re.sub(r"[^\n]", " ", text)


def _unescape(raw: str) -> str:
    if "\\" not in raw:
        return raw

    def one(match: re.Match[str]) -> str:
        code = match.group(1)
        if code.startswith("u{"):
            return _char(int(code[2:-1], 16))
        if code.startswith("u") and len(code) == 5:
            return _char(int(code[1:], 16))
        if code.startswith("x") and len(code) == 3:
            return _char(int(code[1:], 16))
        if code in ("\n", "\r\n", "\r"):
            return ""
        return _SIMPLE_ESCAPES.get(code, code)

    return _ESCAPE.sub(one, raw)


def _char(code: int) -> str:
    return chr(code) if code <= 0x10FFFF else "\ufffd"


@functools.cache
def builtin_modules() -> frozenset[str]:
    """Node's built-in modules (``data/node-builtins.txt``)."""
    text = resources.files("depguard.data").joinpath("node-builtins.txt").read_text("utf-8")
    return frozenset(
        line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


def package_of(specifier: str) -> str | None:
    """The npm package a specifier names, or None when it names none (see the module doc)."""
    spec = specifier.strip()
    if not spec or spec != specifier or any(c.isspace() for c in spec):
        return None
    if spec.startswith((".", "/", "#", "\\")) or spec in ("~", "@"):
        return None
    if spec.startswith(("~/", "@/")):
        return None  # the common path aliases of bundlers and frameworks
    scheme = re.match(r"^([A-Za-z][A-Za-z0-9+.-]*):", spec)
    if scheme:
        if scheme.group(1).lower() != "npm":
            return None  # node:, https:, data:, bun:, jsr:, virtual:, ...
        spec = re.sub(r"^(@[^/@]+/[^/@]+|[^/@]+)@[^/]*", r"\1", spec[4:].lstrip("/"))
    parts = spec.split("/")
    if parts[0].startswith("@"):
        if len(parts) < 2 or not parts[1]:
            return None
        name = f"{parts[0]}/{parts[1]}"
    else:
        name = parts[0]
        builtins = builtin_modules()
        if name in builtins or spec in builtins:
            return None
    return name


def parse_file(path: Path, display: str, projects: NpmProjects, root: Path | None) -> SourceResult:
    result = SourceResult()
    text = read_into(path, display, result)
    if text is None:
        return result
    tree = root or path.parent
    result.dependencies.extend(
        dependencies(
            text,
            display,
            local=projects.local_names(tree),
            aliases=projects.path_aliases(path, tree),
            npm_aliases=projects.npm_aliases(tree),
            generated=projects.generated(tree),
            declared=projects.declared_names(tree),
            typescript=path.name.lower().endswith(TYPESCRIPT_SUFFIXES),
            secondary=is_secondary(inside_tree(path, tree)),
        )
    )
    return result


TYPESCRIPT_SUFFIXES = (".ts", ".tsx", ".mts", ".cts")
"""TypeScript sources (declaration files included): imports used only as types are erased."""


def types_package(name: str) -> str:
    """The DefinitelyTyped package of ``name``: ``estree`` -> ``@types/estree``,
    ``@babel/core`` -> ``@types/babel__core``."""
    if name.startswith("@"):
        return "@types/" + name[1:].replace("/", "__", 1)
    return f"@types/{name}"


def dependencies(
    text: str,
    display: str,
    *,
    local: frozenset[str] = frozenset(),
    aliases: PathAliases | None = None,
    npm_aliases: Mapping[str, str] | None = None,
    generated: Generated | None = None,
    declared: frozenset[str] = frozenset(),
    typescript: bool = False,
    secondary: bool = False,
) -> Iterator[Dependency]:
    """One Dependency per package-naming specifier of ``text`` (the first site of each).

    Left out: path aliases, framework-generated modules, names no npm package can have, local
    packages. In TypeScript, an import of a package that is not declared, when its ``@types/``
    package is, is that types package: TypeScript erases imports used only as types
    (``import type``, ``import * as ESTree from 'estree'`` in a declaration or a type test), and
    a package needed at run time would have to be declared itself."""
    aliases = aliases or PathAliases()
    generated = generated or Generated()
    seen: set[str] = set()
    for site in scan(text):
        if site.specifier in seen:
            continue
        seen.add(site.specifier)
        if (
            aliases.matches(site.specifier)
            or generated.matches(site.specifier)
            or _under_base_url(site.specifier, aliases)
        ):
            continue
        name = package_of(site.specifier)
        if name is None or name in local or not is_valid(Ecosystem.NPM, name):
            continue
        name = (npm_aliases or {}).get(name, name)  # "x": "npm:real@1" installs real as x
        if (site.type_only or typescript) and name not in declared:
            types = types_package(name)
            name = types if types in declared else name
        yield Dependency(
            ecosystem=Ecosystem.NPM,
            name=name,
            normalized=name,
            location=Location(display, site.line, site.column),
            named_in=NamedIn.IMPORT,
            imported_as=site.specifier if site.specifier != name else None,
            detail=site.statement,
            secondary=secondary,
        )


_EXTENSIONS = ("", ".ts", ".tsx", ".d.ts", ".js", ".jsx", ".mjs", ".cjs", ".json")


def _under_base_url(specifier: str, aliases: PathAliases) -> bool:
    """With ``baseUrl``, a bare specifier that names a file or folder there is local."""
    base = aliases.base_url
    if base is None or specifier.startswith(("@", ".")) or ":" in specifier:
        return False
    target = base / specifier
    try:
        return target.is_dir() or any(
            (target.parent / (target.name + ext)).is_file() for ext in _EXTENSIONS
        )
    except OSError:
        return False


def read(path: Path, display: str, context: ReadContext) -> SourceResult:
    """The source interface (:mod:`depguard.sources.context`)."""
    return parse_file(path, display, context.npm, context.includes.root)
