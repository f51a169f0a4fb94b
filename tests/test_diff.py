"""`depguard check --diff REF` on real git repositories built in the test."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from support import write

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.invalid",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.invalid",
    "GIT_CONFIG_NOSYSTEM": "1",
}


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(repo), *args],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, **GIT_ENV, "HOME": str(repo.parent)},
    )
    return done.stdout


@pytest.fixture
def repo(workdir: Path) -> Path:
    git(workdir, "init", "-q", "-b", "main")
    write(workdir / "requirements.txt", "six\nrequests>=2\nnot a === requirement\n")
    write(workdir / "requirements/dev.txt", "idna\n")
    write(workdir / "app.py", "print('hi')\n")
    git(workdir, "add", "-A")
    git(workdir, "commit", "-q", "-m", "base")
    return workdir


def judged(result) -> set[str]:
    return {p["normalized"] for p in result.json["packages"]}


def test_only_added_and_changed_dependencies_are_judged(depguard, repo: Path) -> None:
    # changed specifier, one new name, an untouched pre-existing parse error
    write(repo / "requirements.txt", "six\nrequests>=2,<3\nnot a === requirement\nqqqqzzzz-new\n")
    git(repo, "mv", "requirements/dev.txt", "requirements-dev.txt")  # renamed, same content
    write(repo / "requirements-extra.txt", "flask\n")  # a new, untracked file
    result = depguard("check", "--diff", "HEAD", "-f", "json")
    assert judged(result) == {"requests", "qqqqzzzz-new", "flask"}
    assert result.json["errors"] == []  # the parse error was already there at HEAD
    assert any("--diff HEAD" in n and "3 of 5 packages" in n for n in result.json["notices"])
    assert result.package("qqqqzzzz-new")["verdict"] == "block"
    assert result.code == 1


def test_without_diff_everything_is_judged(depguard, repo: Path) -> None:
    result = depguard("check", "-f", "json")
    assert judged(result) == {"six", "requests", "idna"}
    assert len(result.json["errors"]) == 1


def test_nothing_changed_passes(depguard, repo: Path) -> None:
    result = depguard("check", "--diff", "HEAD")
    assert result.code == 0, result.out + result.err
    assert "0 packages checked" in result.out
    assert "0 of 3 packages added or changed" in result.out


def test_a_new_parse_error_is_reported(depguard, repo: Path) -> None:
    write(repo / "requirements.txt", "six\nrequests>=2\nnot a === requirement\nalso ((bad\n")
    result = depguard("check", "--diff", "HEAD", "-f", "json")
    assert [e["line"] for e in result.json["errors"]] == [4]
    assert result.code == 1


def test_diff_against_a_branch_with_committed_changes(depguard, repo: Path) -> None:
    git(repo, "checkout", "-q", "-b", "feature")
    write(repo / "requirements.txt", "six\nrequests>=2\nnot a === requirement\nidna==3.7\n")
    git(repo, "commit", "-q", "-am", "pin idna")
    result = depguard("check", "--diff", "main", "-f", "json")
    # idna was already required (by requirements/dev.txt) but the pinned reference is new
    assert judged(result) == {"idna"}
    result = depguard("check", "--diff", "feature", "-f", "json")
    assert judged(result) == set()


def test_moved_dependency_between_files_is_not_new(depguard, repo: Path) -> None:
    write(repo / "requirements.txt", "requests>=2\nnot a === requirement\n")
    write(repo / "requirements/dev.txt", "idna\nsix\n")
    assert judged(depguard("check", "--diff", "HEAD", "-f", "json")) == set()


def test_diff_of_a_subdirectory_target(depguard, repo: Path) -> None:
    write(repo / "requirements/dev.txt", "idna\nflask\n")
    result = depguard("check", "requirements", "--diff", "HEAD", "-f", "json")
    assert judged(result) == {"flask"}


def test_first_commit_everything_is_new(depguard, workdir: Path) -> None:
    git(workdir, "init", "-q", "-b", "main")
    write(workdir / "requirements.txt", "six\n")
    result = depguard("check", "--diff", "HEAD", "-f", "json")
    assert judged(result) == {"six"}
    assert result.code == 0


def test_bad_ref_is_a_usage_error(depguard, repo: Path) -> None:
    result = depguard("check", "--diff", "no-such-branch")
    assert result.code == 2
    assert "unknown git ref 'no-such-branch'" in result.err
    result = depguard("check", "--diff", "--upload-pack=evil")
    assert result.code == 2


def test_no_git_repository_is_a_usage_error(depguard, workdir: Path) -> None:
    write(workdir / "requirements.txt", "six\n")
    result = depguard("check", "--diff", "HEAD")
    assert result.code == 2
    assert "needs a git repository" in result.err


def test_stdin_cannot_be_diffed(depguard, repo: Path) -> None:
    result = depguard("check", "-", "--diff", "HEAD", stdin="six\n")
    assert result.code == 2
    assert "standard input" in result.err


def test_imports_count_only_for_packages_new_to_the_tree(depguard, repo: Path) -> None:
    write(
        repo / "package.json",
        '{"name": "web", "version": "1.0.0", "dependencies": {"left-pad": "^1.3.0"}}',
    )
    git(repo, "add", "package.json")
    git(repo, "commit", "-q", "-m", "web")
    write(repo / "src/pad.js", "const pad = require('left-pad');\n")  # already declared
    assert judged(depguard("check", "--diff", "HEAD", "-f", "json")) == set()
    write(repo / "src/odd.js", "import isOdd from 'is-odd';\n")  # never referenced before
    result = depguard("check", "--diff", "HEAD", "-f", "json")
    assert judged(result) == {"is-odd"}
    assert "undeclared-import" in result.ids("is-odd")
