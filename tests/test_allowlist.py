"""The team allowlist and denylist."""

from __future__ import annotations

from pathlib import Path

from support import write

ALLOWLIST = """\
# Reviewed dependencies. Keep sorted.
[[allow]]
name = "No_Such_Package_At_All"   # compared in normalized form
reason = "private package; the index cannot see it"
approved_by = "alice"
date = 2026-01-10

[[allow]]
name = "pycrypto"
reason = "legacy; scheduled for removal"
approved_by = "bob"
date = 2026-02-01
version = "==2.6.1"

[[allow]]
name = "requests"
reason = "old approval"
expires = 2020-01-01

[[deny]]
name = "six"
reason = "we standardised on Python 3 only"
"""


def test_allowlisted_packages_are_allowed_with_the_reason(depguard, workdir: Path) -> None:
    write(workdir / "depguard-allowlist.toml", ALLOWLIST)
    write(workdir / "requirements.txt", "pycrypto==2.6.1\n")
    result = depguard("check", "-f", "json")
    package = result.package("pycrypto")
    assert package["verdict"] == "allow"
    assert package["allowlisted"].startswith("legacy; scheduled for removal by bob")
    assert all(f.get("suppressed") for f in package["findings"])


def test_allowlist_does_not_cover_other_versions(depguard, workdir: Path) -> None:
    write(workdir / "depguard-allowlist.toml", ALLOWLIST)
    write(workdir / "requirements.txt", "pycrypto==2.6\n")
    package = depguard("check", "-f", "json").package("pycrypto")
    assert package["allowlisted"] is None
    assert any(
        f["id"] == "not-allowlisted" and "==2.6.1" in f["message"] for f in package["findings"]
    )


def test_allowlist_cannot_waive_a_missing_package(depguard, workdir: Path) -> None:
    write(workdir / "depguard-allowlist.toml", ALLOWLIST)
    write(workdir / "requirements.txt", "no-such-package-at-all\n")
    result = depguard("check", "-f", "json")
    assert result.package("no-such-package-at-all")["verdict"] == "block"
    assert result.code == 1


def test_denylisted_packages_are_blocked(depguard, workdir: Path) -> None:
    write(workdir / "depguard-allowlist.toml", ALLOWLIST)
    write(workdir / "requirements.txt", "six\n")
    result = depguard("check", "-f", "json")
    assert result.ids("six") == ["denylisted"]
    assert "Python 3 only" in result.package("six")["findings"][0]["message"]
    assert result.code == 1


def test_expired_entries_no_longer_apply(depguard, workdir: Path) -> None:
    write(workdir / "depguard-allowlist.toml", ALLOWLIST)
    write(workdir / "requirements.txt", "requests\n")
    result = depguard("check", "-f", "json", "--require-allowlist")
    ids = result.ids("requests")
    assert "allowlist-expired" in ids and "not-allowlisted" in ids
    assert result.package("requests")["verdict"] == "block"


def test_require_allowlist_blocks_everything_else(depguard, workdir: Path) -> None:
    write(workdir / "depguard-allowlist.toml", ALLOWLIST)
    write(workdir / "requirements.txt", "idna\npycrypto==2.6.1\n")
    result = depguard("check", "--require-allowlist", "-f", "json")
    assert result.package("idna")["verdict"] == "block"
    assert result.ids("idna") == ["not-allowlisted"]
    assert result.package("pycrypto")["verdict"] == "allow"


def test_allowlist_flag_and_bad_files(depguard, workdir: Path) -> None:
    write(workdir / "team.toml", ALLOWLIST)
    write(workdir / "requirements.txt", "six\n")
    assert depguard("check", "--allowlist", "team.toml").code == 1
    write(workdir / "bad.toml", '[[allow]]\nname = "x"\n')
    result = depguard("check", "--allowlist", "bad.toml")
    assert result.code == 2 and "reason" in result.err
    write(workdir / "typo.toml", '[[allow]]\nname = "x"\nreason = "y"\nexpire = 2020-01-01\n')
    assert depguard("check", "--allowlist", "typo.toml").code == 2
    assert depguard("check", "--allowlist", "missing.toml").code == 2


def test_shipped_example_allowlist_is_valid() -> None:
    from depguard.allowlist import load

    example = Path(__file__).resolve().parents[1] / "allowlists" / "example.toml"
    allowlist = load([example])
    assert allowlist.entries and all(e.reason for e in allowlist.entries)
