"""`depguard approve`, `depguard deny` and `depguard allowlist check`."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from support import write

TODAY = dt.datetime.now(dt.timezone.utc).date().isoformat()

TEAM_FILE = """\
# Reviewed dependencies. Keep sorted.
[[allow]]
name = "pycrypto"   # legacy, see ticket 12
reason = "legacy; scheduled for removal"
approved_by = "bob"
date = 2026-02-01

# Denied after the incident of March
[[deny]]
name = "requests-secure"
reason = "typosquat of requests"
"""


def test_approve_preserves_comments_and_order(depguard, registry, workdir: Path) -> None:
    write(workdir / "depguard-allowlist.toml", TEAM_FILE)
    result = depguard(
        "approve",
        "six",
        "--reason",
        "reviewed the source",
        "--by",
        "alice",
        "--expires",
        "2099-01-01",
    )
    assert result.code == 0, result.err
    assert "approved six (PyPI) in depguard-allowlist.toml:8" in result.out
    assert "six exists on PyPI: created 2010-06-29" in result.out
    assert (workdir / "depguard-allowlist.toml").read_text() == TEAM_FILE.replace(
        "# Denied after",
        f'[[allow]]\nname = "six"\nreason = "reviewed the source"\napproved_by = "alice"\n'
        f"date = {TODAY}\nexpires = 2099-01-01\n\n# Denied after",
    )
    assert registry.count("/pypi/six/json") == 1  # asked the index through the pipeline


def test_approved_package_passes_check(depguard, workdir: Path) -> None:
    write(workdir / "requirements.txt", "pycrypto==2.6.1\n")
    assert depguard("check", "--fail-on", "warn").code == 1
    assert depguard("approve", "pycrypto==2.6.1", "--reason", "needed", "--by", "al").code == 0
    result = depguard("check", "--fail-on", "warn", "-f", "json")
    assert result.code == 0
    assert result.package("pycrypto")["allowlisted"].startswith("needed by al on")


def test_approve_creates_the_file_at_the_repository_root(depguard, workdir: Path) -> None:
    (workdir / ".git").mkdir()
    (workdir / "sub").mkdir()
    import os

    os.chdir(workdir / "sub")
    result = depguard("approve", "six", "--reason", "ok", "--by", "me")
    assert result.code == 0, result.err
    text = (workdir / "depguard-allowlist.toml").read_text()
    assert text.startswith("# depguard team allowlist")
    assert '[[allow]]\nname = "six"\nreason = "ok"\napproved_by = "me"' in text


def test_conventional_and_named_files(depguard, workdir: Path) -> None:
    write(workdir / ".depguard/allowlist.toml", "# ours\n")
    assert depguard("approve", "six", "--reason", "ok", "--by", "me").code == 0
    assert 'name = "six"' in (workdir / ".depguard/allowlist.toml").read_text()
    assert depguard("deny", "idna", "--reason", "no", "--allowlist", "team.toml").code == 0
    assert 'name = "idna"' in (workdir / "team.toml").read_text()


def test_update_in_place_says_so(depguard, workdir: Path) -> None:
    write(workdir / "depguard-allowlist.toml", TEAM_FILE)
    result = depguard(
        "approve", "PyCrypto", "--reason", "still needed", "--by", "carol", "--version", "2.6.1"
    )
    assert result.code == 0, result.err
    assert "updated the existing entry at depguard-allowlist.toml:2" in result.out
    assert "reason='legacy; scheduled for removal'" in result.out
    text = (workdir / "depguard-allowlist.toml").read_text()
    assert text.count("[[allow]]") == 1
    assert 'name = "pycrypto"   # legacy, see ticket 12\nreason = "still needed"' in text
    assert 'version = "==2.6.1"' in text
    assert "# Denied after the incident of March\n[[deny]]" in text


def test_refuses_a_name_the_index_does_not_know(depguard, workdir: Path) -> None:
    write(workdir / "depguard-allowlist.toml", TEAM_FILE)
    result = depguard("approve", "qqqqzzzz-hallucinated", "--reason", "x")
    assert result.code == 1
    assert "does not exist on PyPI; refusing to approve it" in result.err
    assert (workdir / "depguard-allowlist.toml").read_text() == TEAM_FILE
    forced = depguard("approve", "qqqqzzzz-hallucinated", "--reason", "private", "--force")
    assert forced.code == 0 and "approving anyway (--force)" in forced.err
    assert 'name = "qqqqzzzz-hallucinated"' in (workdir / "depguard-allowlist.toml").read_text()


def test_refuses_a_version_that_does_not_exist(depguard, workdir: Path) -> None:
    result = depguard("approve", "six==99.0", "--reason", "x")
    assert result.code == 1 and "has no version 99.0" in result.err


def test_refuses_approving_a_denied_name(depguard, workdir: Path) -> None:
    write(workdir / "depguard-allowlist.toml", TEAM_FILE)
    result = depguard("approve", "requests_secure", "--reason", "x")
    assert result.code == 1 and "is on the denylist" in result.err
    assert depguard("deny", "pycrypto", "--reason", "x").code == 1


def test_deny_needs_no_registry(depguard, registry, workdir: Path) -> None:
    result = depguard("deny", "qqqqzzzz-hallucinated", "--reason", "invented by an assistant")
    assert result.code == 0, result.err
    assert registry.requests == []
    check = depguard("check", "-", "-f", "json", stdin="qqqqzzzz-hallucinated\n")
    assert "denylisted" in check.ids("qqqqzzzz-hallucinated")


def test_npm_entry_records_its_ecosystem(depguard, workdir: Path) -> None:
    result = depguard("approve", "left-pad@1.3.0", "-e", "npm", "--reason", "ok", "--force")
    assert result.code == 0, result.err
    text = (workdir / "depguard-allowlist.toml").read_text()
    assert 'name = "left-pad"\necosystem = "npm"\nreason = "ok"' in text
    assert 'version = "1.3.0"' in text


def test_bad_input_is_a_usage_error(depguard, workdir: Path) -> None:
    assert depguard("approve", "six", "--reason", "x", "--version", ">>1").code == 2
    assert depguard("approve", "six", "--reason", "x", "--expires", "2001-01-01").code == 2
    assert depguard("approve", "six", "--reason", "x", "--expires", "soon").code == 2
    assert depguard("approve", "six", "--reason", " ").code == 2
    assert depguard("approve", "six", "--reason", "a\nb").code == 2
    assert depguard("approve", "./local", "--reason", "x").code == 2
    assert not (workdir / "depguard-allowlist.toml").exists()


ALLOWLIST_AUDIT = """\
[[allow]]
name = "six"
reason = "used"

[[allow]]
name = "idna"
reason = "old approval"
expires = 2020-01-01

[[allow]]
name = "flask"
reason = "we dropped flask last year"

[[allow]]
name = "Six"
reason = "second entry"

[[deny]]
name = "requests-secure"
reason = "typosquat"
"""


def test_allowlist_check_reports_expired_unused_and_duplicates(depguard, workdir: Path) -> None:
    write(workdir / "depguard-allowlist.toml", ALLOWLIST_AUDIT)
    write(workdir / "requirements.txt", "six\nidna\n")
    result = depguard("allowlist", "check")
    assert result.code == 1
    lines = result.out.splitlines()
    assert lines[:3] == [
        "depguard-allowlist.toml:5: allow idna (pypi): expired on 2020-01-01 - 'old approval'",
        "depguard-allowlist.toml:10: allow flask (pypi): never used: nothing in the checked "
        "tree declares or imports it - 'we dropped flask last year'",
        "depguard-allowlist.toml:14: allow Six (pypi): duplicate of line 1; only the first "
        "applies - 'second entry'",
    ]
    assert lines[-1] == "✗ 5 allowlist entries checked: 1 expired, 1 never used, 1 duplicate"
    document = json.loads(depguard("allowlist", "check", "-f", "json").out)
    assert [p["name"] for p in document["problems"]] == ["idna", "flask", "Six"]
    assert [p["id"] for p in document["problems"]] == ["expired", "unused", "duplicate"]
    assert list(document) == ["files", "entries", "problems", "errors"]
    assert document["entries"] == 5
    assert document["problems"][0] == {
        "id": "expired",
        "file": str(workdir / "depguard-allowlist.toml"),
        "line": 5,
        "kind": "allow",
        "name": "idna",
        "ecosystem": "pypi",
        "problem": "expired on 2020-01-01",
        "reason": "old approval",
    }


def test_allowlist_check_clean(depguard, workdir: Path) -> None:
    write(
        workdir / "depguard-allowlist.toml",
        ALLOWLIST_AUDIT.split('[[allow]]\nname = "idna"', maxsplit=1)[0],
    )
    write(workdir / "requirements.txt", "six\n")
    result = depguard("allowlist", "check")
    assert result.code == 0, result.out
    assert result.out.strip() == "✓ 1 allowlist entry checked: no problems"


@pytest.mark.parametrize(
    ("argument", "version", "written"),
    [
        ("requests", "===2.31.0", "===2.31.0"),
        ("requests", "==2.31.0,<3", "==2.31.0,<3"),
        ("requests", "~=2.31", "~=2.31"),
        ("requests===2.31.0", None, "===2.31.0"),
        ("requests", "2.31.0", "==2.31.0"),
    ],
)
def test_pypi_versions_are_pep440_specifiers(
    depguard, workdir: Path, argument: str, version: str | None, written: str
) -> None:
    extra = ("--version", version) if version else ()
    result = depguard("approve", argument, "--reason", "reviewed", "--by", "me", *extra)
    assert result.code == 0, result.err
    assert f'version = "{written}"' in (workdir / "depguard-allowlist.toml").read_text()


def test_a_specifier_no_published_version_meets_is_refused(depguard, workdir: Path) -> None:
    result = depguard("approve", "requests", "--reason", "x", "--version", ">=99")
    assert result.code == 1 and "no version of requests on PyPI is in '>=99'" in result.err
    exact = depguard("approve", "requests", "--reason", "x", "--version", "===2.31.9")
    assert exact.code == 1 and "has no version 2.31.9" in exact.err
    clash = depguard("approve", "requests==2.31.0", "--reason", "x", "--version", "==2.32.0")
    assert clash.code == 2 and "disagree" in clash.err
    same = depguard("approve", "requests==2.31.0", "--reason", "x", "--version", "2.31.0")
    assert same.code == 0, same.err


def test_npm_versions_are_node_semver_ranges(depguard, workdir: Path) -> None:
    result = depguard("approve", "left-pad", "-e", "npm", "--reason", "ok", "--version", "^1.2")
    assert result.code == 0, result.err
    assert 'version = "^1.2"' in (workdir / "depguard-allowlist.toml").read_text()
    write(workdir / "package.json", '{"dependencies": {"left-pad": "1.3.0"}}')
    check = depguard("check", ".", "-f", "json", "--no-imports")
    assert check.package("left-pad")["allowlisted"] is not None
    none = depguard("approve", "left-pad", "-e", "npm", "--reason", "x", "--version", "^2")
    assert none.code == 1 and "no version of left-pad on npm is in '^2'" in none.err
    bad = depguard("approve", "left-pad", "-e", "npm", "--reason", "x", "--version", "latest")
    assert bad.code == 2 and "invalid npm version range" in bad.err


def test_an_npm_range_entry_covers_what_it_takes() -> None:
    from depguard.allowlist import Entry
    from depguard.model import Ecosystem

    entry = Entry("allow", "express", Ecosystem.NPM, "ok", "team.toml", version="^4.19")
    assert entry.covers(["4.21.2"]) is True
    assert entry.covers(["5.0.0"]) is False
    assert entry.covers(["not-a-version"]) is None
    exact = Entry("allow", "x", Ecosystem.NPM, "ok", "team.toml", version="1.3.0 || 1.4.0")
    assert exact.covers(["1.4.0"]) is True and exact.covers(["1.5.0"]) is False
