"""pyproject.toml: PEP 621, PEP 735, build-system, Poetry, with the line of every entry."""

from __future__ import annotations

from pathlib import Path

from depguard.model import NamedIn, UrlKind
from depguard.sources.pyproject import parse_file
from depguard.sources.requirements import IncludePolicy

from support import write

PYPROJECT = """\
[build-system]
requires = ["hatchling>=1.21", "hatch-vcs"]
build-backend = "hatchling.build"

[project]
name = "demo"
dependencies = [
    "requests>=2.31",
    "PyYAML",
    'attrs ; python_version < "3.12"',
    "local-thing @ file:///tmp/local-thing",
]

[project.optional-dependencies]
docs = ["sphinx>=7"]
test = [
  "pytest",
  "requests>=2.31",
]

[dependency-groups]
lint = ["ruff"]
dev = [{include-group = "lint"}, "mypy"]

[tool.poetry.dependencies]
python = "^3.10"
httpx = "0.27.0"
rich = { version = "^13", extras = ["jupyter"] }
private = { git = "https://github.com/example/private.git", rev = "main" }

[tool.poetry.group.docs.dependencies]
mkdocs = "^1.5"
"""


def parse(tmp_path: Path, text: str):
    path = write(tmp_path / "pyproject.toml", text)
    return parse_file(path, "pyproject.toml", IncludePolicy(root=tmp_path))


def test_every_section_with_lines(tmp_path: Path) -> None:
    result = parse(tmp_path, PYPROJECT)
    assert not result.errors
    found = {(d.normalized, d.named_in, d.group): d.location.line for d in result.dependencies}
    assert found[("hatchling", NamedIn.BUILD, None)] == 2
    assert found[("hatch-vcs", NamedIn.BUILD, None)] == 2
    assert found[("requests", NamedIn.PROJECT, None)] == 8
    assert found[("pyyaml", NamedIn.PROJECT, None)] == 9
    assert found[("attrs", NamedIn.PROJECT, None)] == 10
    assert found[("sphinx", NamedIn.OPTIONAL, "docs")] == 15
    assert found[("pytest", NamedIn.OPTIONAL, "test")] == 17
    assert found[("requests", NamedIn.OPTIONAL, "test")] == 18
    assert found[("ruff", NamedIn.GROUP, "lint")] == 22
    assert found[("mypy", NamedIn.GROUP, "dev")] == 23
    assert found[("httpx", NamedIn.POETRY, None)] == 27
    assert found[("rich", NamedIn.POETRY, None)] == 28
    assert found[("mkdocs", NamedIn.POETRY, "docs")] == 32
    assert ("python", NamedIn.POETRY, None) not in found


def test_poetry_details(tmp_path: Path) -> None:
    deps = {
        d.normalized: d
        for d in parse(tmp_path, PYPROJECT).dependencies
        if d.named_in is NamedIn.POETRY
    }
    assert deps["httpx"].pinned_version == "0.27.0"
    assert deps["rich"].extras == ("jupyter",) and deps["rich"].specifier == "^13"
    assert deps["private"].url_kind is UrlKind.VCS


def test_direct_reference_in_pep621(tmp_path: Path) -> None:
    deps = {d.normalized: d for d in parse(tmp_path, PYPROJECT).dependencies}
    assert deps["local-thing"].url_kind is UrlKind.PATH


def test_invalid_entries_are_errors_with_lines(tmp_path: Path) -> None:
    result = parse(
        tmp_path,
        """\
[project]
dependencies = [
  "good-one",
  "bad one ===",
  42,
]
""",
    )
    assert [d.normalized for d in result.dependencies] == ["good-one"]
    assert {e.line for e in result.errors} == {2, 4}


def test_include_group_errors(tmp_path: Path) -> None:
    result = parse(
        tmp_path,
        """\
[dependency-groups]
a = [{include-group = "b"}, "six"]
b = [{include-group = "a"}]
c = [{include-group = "nope"}]
""",
    )
    assert [d.normalized for d in result.dependencies] == ["six"]
    messages = " ".join(e.message for e in result.errors)
    assert "cycle" in messages and "not defined" in messages


def test_invalid_toml_is_one_error_with_line(tmp_path: Path) -> None:
    result = parse(tmp_path, "[project]\ndependencies = [\n  'six',\n  oops\n]\n")
    assert not result.dependencies
    assert len(result.errors) == 1 and result.errors[0].line is not None
    assert "invalid TOML" in result.errors[0].message


def test_dynamic_dependencies_follow_setuptools_files(tmp_path: Path) -> None:
    write(tmp_path / "requirements.txt", "six\n")
    result = parse(
        tmp_path,
        """\
[project]
name = "x"
dynamic = ["dependencies"]

[tool.setuptools.dynamic]
dependencies = {file = ["requirements.txt"]}
""",
    )
    assert [d.normalized for d in result.dependencies] == ["six"]


def test_dynamic_dependencies_without_a_file_are_a_notice(tmp_path: Path) -> None:
    # they cannot be known without running build code: said, not failed (issue 17)
    result = parse(tmp_path, '[project]\nname = "x"\ndynamic = ["dependencies", "version"]\n')
    assert result.errors == []
    assert result.notices and ":3: dependencies are dynamic" in result.notices[0]
