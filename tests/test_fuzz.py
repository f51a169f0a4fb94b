"""Property tests: the parsers never raise on any input, and never lose a name (issue 7)."""

from __future__ import annotations

import contextlib
import json
import re
from pathlib import Path

import tomlkit
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from packaging.utils import canonicalize_name

from depguard.errors import ManifestError
from depguard.model import Ecosystem
from depguard.names import normalize
from depguard.sources import js_imports, package_json, package_lock, pyproject, requirements
from depguard.sources.npm_project import NpmProjects
from depguard.sources.python_imports import scan_notebook, scan_source
from depguard.sources.requirements import IncludePolicy

FAST = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
NAME = st.from_regex(r"[A-Za-z][A-Za-z0-9]{0,6}([-_.][A-Za-z0-9]{1,5}){0,2}", fullmatch=True)
LINE = st.one_of(
    NAME,
    st.tuples(
        NAME,
        st.sampled_from(["==", ">=", "~=", "<", "!="]),
        st.from_regex(r"[0-9]{1,2}(\.[0-9]{1,2}){0,2}", fullmatch=True),
    ).map("".join),
    st.text(max_size=40),
    st.sampled_from(
        [
            "-r other.txt",
            "-c c.txt",
            "--hash=sha256:00",
            "-e .",
            "# comment",
            "git+https://example.com/x.git",
            "x @ https://example.com/x.whl",
            "\\",
            "--index-url https://example.com",
            "\x00",
            "\ufeff",
            "\u202e",
        ]
    ),
)


@FAST
@given(lines=st.lists(LINE, max_size=25))
def test_requirements_never_raise_and_lose_nothing(tmp_path: Path, lines: list[str]) -> None:
    text = "\n".join(lines)
    result = requirements.parse_text(
        text, "requirements.txt", tmp_path, IncludePolicy(root=tmp_path)
    )
    names = {d.normalized for d in result.dependencies}
    error_lines = {e.line for e in result.errors}
    for number, line in enumerate(text.splitlines(), start=1):
        if re.fullmatch(r"[A-Za-z][A-Za-z0-9]*([-_.][A-Za-z0-9]+)*", line):
            previous = text.splitlines()[number - 2] if number > 1 else ""
            if previous.endswith("\\"):
                continue  # joined with the line before by pip's continuation rule
            assert normalize(Ecosystem.PYPI, line) in names or number in error_lines, line


TOML_VALUE = st.recursive(
    st.one_of(st.text(max_size=20), st.integers(), st.booleans(), NAME),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.text(min_size=1, max_size=10), inner, max_size=4),
    ),
    max_leaves=20,
)


@FAST
@given(
    dependencies=st.lists(st.one_of(NAME, st.text(max_size=20), st.integers()), max_size=8),
    extra=st.dictionaries(
        st.sampled_from(["project", "dependency-groups", "build-system", "tool"]),
        TOML_VALUE,
        max_size=3,
    ),
)
def test_pyproject_never_raises(
    tmp_path: Path, dependencies: list[object], extra: dict[str, object]
) -> None:
    document = {**extra, "project": {"name": "x", "dependencies": dependencies}}
    try:
        text = tomlkit.dumps(document)
    except Exception:
        return  # not representable as TOML
    result = pyproject.parse_text(text, "pyproject.toml", tmp_path, IncludePolicy(root=tmp_path))
    found = {d.normalized for d in result.dependencies}
    for item in dependencies:
        if isinstance(item, str) and re.fullmatch(
            r"[A-Za-z][A-Za-z0-9]*([-_.][A-Za-z0-9]+)*", item
        ):
            assert normalize(Ecosystem.PYPI, item) in found or result.errors


@FAST
@given(text=st.text(max_size=300))
def test_pyproject_garbage_never_raises(tmp_path: Path, text: str) -> None:
    pyproject.parse_text(text, "pyproject.toml", tmp_path, IncludePolicy(root=tmp_path))


JSON = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=15)),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=25,
)


@FAST
@given(
    sections=st.dictionaries(
        st.sampled_from(
            [
                "dependencies",
                "devDependencies",
                "optionalDependencies",
                "peerDependencies",
                "overrides",
                "workspaces",
                "bundleDependencies",
            ]
        ),
        st.one_of(JSON, st.dictionaries(st.text(max_size=12), st.text(max_size=12), max_size=5)),
        max_size=4,
    )
)
def test_package_json_never_raises(tmp_path: Path, sections: dict[str, object]) -> None:
    path = tmp_path / "package.json"
    text = json.dumps({"name": "x", **sections}, indent=2)
    path.write_text(text)
    package_json.parse_text(text, "package.json", path, NpmProjects(), tmp_path)


@FAST
@given(document=JSON, version=st.sampled_from([1, 2, 3, 4, "3", None]))
def test_package_lock_never_raises(document: object, version: object) -> None:
    wrapped = {"lockfileVersion": version, "packages": document, "dependencies": document}
    text = json.dumps(wrapped, indent=2)
    package_lock.parse_document(wrapped, text, "package-lock.json")


@FAST
@given(text=st.text(max_size=400))
def test_python_scanner_raises_only_input_errors(text: str) -> None:
    with contextlib.suppress(ManifestError):
        scan_source(text)


@FAST
@given(cells=st.lists(st.text(max_size=80), max_size=4))
def test_notebook_scanner_never_raises(cells: list[str]) -> None:
    document = {"cells": [{"cell_type": "code", "source": c} for c in cells]}
    scan_notebook(json.dumps(document, indent=1))


@FAST
@given(
    text=st.text(
        alphabet=st.sampled_from(list("import from require('x')\"`/*\\\n{}$;ab")), max_size=300
    )
)
def test_js_scanner_never_raises(text: str) -> None:
    js_imports.scan(text)


@settings(max_examples=500, deadline=None)
@given(name=st.text(alphabet=st.sampled_from(list("aAbB09-_.")), min_size=1, max_size=20))
def test_normalisation_is_idempotent_and_matches_packaging(name: str) -> None:
    once = normalize(Ecosystem.PYPI, name)
    assert normalize(Ecosystem.PYPI, once) == once
    assert once == canonicalize_name(name)


PLAIN_LINE = st.tuples(
    NAME,
    st.sampled_from(["", "[security]", "[a,b]", "[ x ]"]),
    st.sampled_from(["", "==1.0", ">=2,<3", " ~= 1.4.2", "!=1.*", "===abc", "<=0.1.dev1"]),
    st.sampled_from(["", ' ; python_version < "3.12"', ";sys_platform=='win32' and extra=='x'"]),
    st.sampled_from(["", "  # comment", " #x"]),
).map("".join)


@settings(max_examples=400, deadline=None)
@given(line=PLAIN_LINE)
def test_plain_lines_read_exactly_as_the_library_reads_them(line: str) -> None:
    remaining, plain = requirements._take_plain_lines(line)
    library = requirements._run_parser(line)
    if not plain:
        assert remaining == line  # left to the library
        return
    ((number, parsed),) = plain
    mine = requirements._plain_dependency(parsed, "r.txt", number, requirements.NamedIn.REQUIREMENT)
    theirs = requirements._dependency(
        library.requirements[0], "r.txt", requirements.NamedIn.REQUIREMENT
    )
    assert theirs is not None and not library.invalid_lines
    assert (mine.name, mine.specifier, mine.extras, mine.marker, mine.location) == (
        theirs.name,
        theirs.specifier,
        theirs.extras,
        theirs.marker,
        theirs.location,
    )
