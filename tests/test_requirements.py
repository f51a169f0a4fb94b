"""Requirements files: every line is either a dependency with its file and line, or an error."""

from __future__ import annotations

from pathlib import Path

from depguard.model import NamedIn, UrlKind
from depguard.sources.requirements import IncludePolicy, parse_file, parse_text

from support import write


def parse(tmp_path: Path, text: str, name: str = "requirements.txt", **policy: object):
    path = write(tmp_path / name, text)
    return parse_file(path, name, IncludePolicy(root=tmp_path, **policy))  # type: ignore[arg-type]


def by_name(result):
    return {d.normalized: d for d in result.dependencies}


def test_names_specifiers_extras_markers_and_hashes(tmp_path: Path) -> None:
    result = parse(
        tmp_path,
        """\
# a comment
requests[security,socks]>=2.0,<3 ; python_version > "3.8"   # inline comment
numpy==1.26.4 \\
    --hash=sha256:abc123
Django~=4.2
name~=1.0
zope.interface
""",
    )
    deps = by_name(result)
    assert not result.errors
    assert deps["requests"].specifier in ("<3,>=2.0", ">=2.0,<3")
    assert deps["requests"].extras == ("security", "socks")
    assert deps["requests"].marker == 'python_version > "3.8"'
    assert deps["requests"].location.line == 2
    assert deps["numpy"].pinned_version == "1.26.4"
    assert deps["numpy"].location.line == 3
    assert deps["django"].name == "Django" and deps["django"].specifier == "~=4.2"
    assert "name" in deps and deps["name"].specifier == "~=1.0"
    assert "zope-interface" in deps


def test_direct_references_are_kept_not_dropped(tmp_path: Path) -> None:
    result = parse(
        tmp_path,
        """\
-e git+https://github.com/example/thing.git@0123456789abcdef0123456789abcdef01234567#egg=thing
git+https://github.com/celery/py-amqp.git
./local/pkg
-e .
https://example.com/dist/foo-1.0.tar.gz
bar @ https://example.com/bar-2.0-py3-none-any.whl
""",
    )
    assert not result.errors
    deps = result.dependencies
    assert len(deps) == 6
    kinds = [(d.name, d.url_kind) for d in deps]
    assert kinds[0] == ("thing", UrlKind.VCS) and deps[0].editable
    assert kinds[1][1] is UrlKind.VCS and "py-amqp" in kinds[1][0]  # never guessed as a name
    assert kinds[2][1] is UrlKind.PATH
    assert kinds[3][1] is UrlKind.PATH
    assert kinds[4][1] is UrlKind.URL
    assert kinds[5] == ("bar", UrlKind.URL)
    assert all(d.is_direct for d in deps)


def test_bad_lines_are_errors_with_line_numbers_and_the_rest_is_read(tmp_path: Path) -> None:
    result = parse(tmp_path, "flask\nthis is not === a requirement\nrequests\n--unknown-option\n")
    assert [d.normalized for d in result.dependencies] == ["flask", "requests"]
    lines = sorted(e.line or 0 for e in result.errors)
    assert 2 in lines
    assert all(e.path == "requirements.txt" for e in result.errors)


def test_includes_are_followed_relative_to_the_including_file(tmp_path: Path) -> None:
    write(tmp_path / "requirements" / "base.txt", "six\n-c constraints.txt\n")
    write(tmp_path / "requirements" / "constraints.txt", "idna<4\n")
    result = parse(tmp_path, "-r requirements/base.txt\nflask\n", name="requirements.txt")
    deps = by_name(result)
    assert set(deps) == {"six", "idna", "flask"}
    assert deps["six"].location.path.endswith("requirements/base.txt")
    assert deps["six"].location.line == 1
    assert deps["idna"].named_in is NamedIn.CONSTRAINT
    assert not result.errors


def test_include_cycles_terminate_and_read_each_file_once(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", "-r b.txt\nsix\n")
    write(tmp_path / "b.txt", "-r a.txt\nidna\n")
    result = parse_file(tmp_path / "a.txt", "a.txt", IncludePolicy(root=tmp_path))
    assert sorted(d.normalized for d in result.dependencies) == ["idna", "six"]
    assert not result.errors


def test_include_depth_is_bounded(tmp_path: Path) -> None:
    for i in range(15):
        write(tmp_path / f"r{i}.txt", f"-r r{i + 1}.txt\npkg{i}\n")
    write(tmp_path / "r15.txt", "pkg15\n")
    result = parse_file(tmp_path / "r0.txt", "r0.txt", IncludePolicy(root=tmp_path, max_depth=10))
    assert len(result.dependencies) == 11
    assert any("deeper than 10" in e.message for e in result.errors)


def test_includes_outside_the_tree_are_refused_unless_allowed(tmp_path: Path) -> None:
    inner = tmp_path / "repo"
    write(tmp_path / "outside.txt", "six\n")
    path = write(inner / "requirements.txt", "-r ../outside.txt\nflask\n")
    refused = parse_file(path, "requirements.txt", IncludePolicy(root=inner))
    assert [d.normalized for d in refused.dependencies] == ["flask"]
    assert any("outside" in e.message and e.line == 1 for e in refused.errors)
    allowed = parse_file(path, "requirements.txt", IncludePolicy(root=inner, allow_outside=True))
    assert sorted(d.normalized for d in allowed.dependencies) == ["flask", "six"]


def test_missing_and_remote_includes_are_errors(tmp_path: Path) -> None:
    result = parse(tmp_path, "-r missing.txt\n-r https://example.com/req.txt\nsix\n")
    assert [d.normalized for d in result.dependencies] == ["six"]
    messages = " ".join(e.message for e in result.errors)
    assert "not found" in messages and "remote" in messages


def test_stdin_text(tmp_path: Path) -> None:
    result = parse_text("requests==2.31.0\nflask\n", "<stdin>", tmp_path, IncludePolicy())
    assert [d.location.path for d in result.dependencies] == ["<stdin>", "<stdin>"]


def test_unreadable_files_are_reported_not_raised(tmp_path: Path) -> None:
    write(tmp_path / "bin.txt", b"six\n\x00\x01\x02")
    write(tmp_path / "latin.txt", "six\nfl\u00e4sk\n".encode("latin-1"))
    write(tmp_path / "bom.txt", "\ufeffsix\n".encode())
    binary = parse_file(tmp_path / "bin.txt", "bin.txt", IncludePolicy())
    assert binary.errors and "binary" in binary.errors[0].message
    latin = parse_file(tmp_path / "latin.txt", "latin.txt", IncludePolicy())
    assert latin.errors and latin.errors[0].line == 2 and "UTF-8" in latin.errors[0].message
    bom = parse_file(tmp_path / "bom.txt", "bom.txt", IncludePolicy())
    assert [d.normalized for d in bom.dependencies] == ["six"] and not bom.errors


def test_overlong_lines_are_errors(tmp_path: Path) -> None:
    result = parse(tmp_path, "six\n" + "a" * 70_000 + "\nidna\n")
    assert sorted(d.normalized for d in result.dependencies) == ["idna", "six"]
    assert result.errors[0].line == 2
