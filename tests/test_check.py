"""`depguard check` end to end against the loopback registry."""

from __future__ import annotations

from pathlib import Path

from support import write


def test_missing_package_is_blocked_and_the_run_fails(depguard, workdir: Path) -> None:
    write(workdir / "requirements.txt", "six\nthis-name-does-not-exist\n")
    result = depguard("check", "requirements.txt", "-f", "json")
    assert result.code == 1
    missing = result.package("this-name-does-not-exist")
    assert missing["verdict"] == "block"
    assert result.ids("this-name-does-not-exist") == ["not-found"]
    assert missing["metadata"]["exists"] is False
    assert missing["locations"] == [{"path": "requirements.txt", "line": 2}]
    six = result.package("six")
    assert six["verdict"] == "allow" and six["metadata"]["exists"] is True


def test_all_good_exits_zero(depguard, workdir: Path) -> None:
    write(workdir / "requirements.txt", "six\nidna>=3\n")
    result = depguard("check", "requirements.txt")
    assert result.code == 0, result.out + result.err
    assert "2 packages checked, 0 blocked" in result.out


def test_metadata_fields(depguard, workdir: Path) -> None:
    write(workdir / "requirements.txt", "requests\n")
    meta = depguard("check", "-f", "json").package("requests")["metadata"]
    assert meta["created"].startswith("2011-02-14")
    assert meta["releases"] == 163
    assert meta["maintainers"] == ["Lukasa", "graffatcolmingov", "nateprewitt"]
    assert meta["repository"] == "https://github.com/psf/requests"
    assert meta["latest_version"] == "2.34.2"
    assert meta["downloads_last_month"] == 1291814272
    assert meta["downloads_source"].startswith("snapshot")


def test_yanked_pin_warns(depguard, workdir: Path) -> None:
    write(workdir / "requirements.txt", "requests==2.32.0\n")
    result = depguard("check", "-f", "json")
    package = result.package("requests")
    assert package["verdict"] == "warn" and result.code == 0
    yanked = next(f for f in package["findings"] if f["id"] == "yanked")
    assert "CVE-2024-35195" in yanked["message"]


def test_unknown_version_warns(depguard, workdir: Path) -> None:
    write(workdir / "requirements.txt", "requests==9.9.9\n")
    assert "unknown-version" in depguard("check", "-f", "json").ids("requests")


def test_vulnerabilities_of_the_latest_release_say_which(depguard, workdir: Path) -> None:
    write(workdir / "requirements.txt", "pycrypto\n")
    result = depguard("check", "-f", "json")
    finding = next(f for f in result.package("pycrypto")["findings"] if f["id"] == "vulnerable")
    assert finding["vulnerabilities_of"] == "project"
    assert {v["id"] for v in finding["vulnerabilities"]} >= {"PYSEC-2017-94", "PYSEC-2018-97"}
    assert result.package("pycrypto")["verdict"] == "warn"


def test_direct_references_are_reported(depguard, workdir: Path) -> None:
    write(workdir / "requirements.txt", "git+https://github.com/celery/py-amqp.git\n-e .\n")
    result = depguard("check", "-f", "json")
    ids = [f["id"] for p in result.json["packages"] for f in p["findings"]]
    assert ids == ["direct-url", "direct-url"]
    assert result.json["summary"]["warn"] == 1  # the VCS link; the local path only informs


def test_parse_errors_fail_the_run_and_the_rest_is_checked(depguard, workdir: Path) -> None:
    write(workdir / "requirements.txt", "six\nnot a === requirement\n")
    result = depguard("check", "-f", "json")
    assert result.code == 1
    assert result.json["errors"][0]["line"] == 2
    assert result.json["errors"][0]["id"] == "parse-error"
    assert result.package("six")["verdict"] == "allow"


def test_stdin(depguard, workdir: Path) -> None:
    result = depguard("check", "-", "-f", "json", stdin="six\nno-such-thing-here\n")
    assert result.code == 1
    assert result.package("no-such-thing-here")["locations"][0]["path"] == "<stdin>"


def test_names_are_checked_once_in_canonical_form(depguard, registry, workdir: Path) -> None:
    write(workdir / "requirements.txt", "Python_Dateutil\npython.dateutil==2.9.0.post0\n")
    write(workdir / "pyproject.toml", '[project]\nname = "x"\ndependencies = ["python-dateutil"]\n')
    result = depguard("check", ".", "-f", "json")
    assert [p["normalized"] for p in result.json["packages"]] == ["python-dateutil"]
    assert len(result.package("python-dateutil")["locations"]) == 3
    assert registry.count("/pypi/python-dateutil/json") == 1


def test_directory_finds_manifests_and_skips_environments(depguard, workdir: Path) -> None:
    write(workdir / "requirements-dev.txt", "six\n")
    write(workdir / "requirements" / "prod.txt", "idna\n")
    write(workdir / "pyproject.toml", '[project]\nname = "x"\ndependencies = ["flask"]\n')
    write(workdir / ".venv" / "pyvenv.cfg", "home = /usr\n")
    write(workdir / ".venv" / "requirements.txt", "not-me\n")
    write(workdir / "node_modules" / "x" / "requirements.txt", "not-me-either\n")
    write(workdir / "env2" / "pyvenv.cfg", "home = /usr\n")
    write(workdir / "env2" / "requirements.txt", "nor-me\n")
    names = {p["normalized"] for p in depguard("check", "-f", "json").json["packages"]}
    assert names == {"six", "idna", "flask"}


def test_exclude(depguard, workdir: Path) -> None:
    write(workdir / "requirements.txt", "six\n")
    write(workdir / "tests" / "fixtures" / "requirements.txt", "fake-one\n")
    names = {
        p["normalized"]
        for p in depguard("check", "--exclude", "tests", "-f", "json").json["packages"]
    }
    assert names == {"six"}


def test_missing_path_is_a_usage_error(depguard, workdir: Path) -> None:
    result = depguard("check", "nope.txt")
    assert result.code == 2
    assert "no such file" in result.err
    assert "Traceback" not in result.err


def test_bad_flag_is_a_usage_error(depguard, workdir: Path) -> None:
    assert depguard("check", "--fail-on", "sometimes").code == 2
    assert depguard("check", "--format", "yaml").code == 2
    assert depguard("check", "--bogus").code == 2


def test_fail_on(depguard, workdir: Path) -> None:
    write(workdir / "requirements.txt", "requests==2.32.0\n")
    assert depguard("check").code == 0
    assert depguard("check", "--fail-on", "warn").code == 1
    write(workdir / "requirements.txt", "no-such-package-at-all\n")
    assert depguard("check", "--fail-on", "never").code == 0


def test_output_file_and_terminal_summary(depguard, workdir: Path) -> None:
    write(workdir / "requirements.txt", "six\nno-such-package-at-all\n")
    result = depguard("check", "-f", "json", "-o", "report.json")
    assert result.code == 1
    assert '"schema": 1' in (workdir / "report.json").read_text()
    assert "no-such-package-at-all" in result.out and "1 blocked" in result.out


def test_text_report_names_the_reason_and_place(depguard, workdir: Path) -> None:
    write(workdir / "requirements.txt", "six\nno-such-package-at-all\n")
    out = depguard("check").out
    assert "BLOCK" in out and "no-such-package-at-all" in out
    assert "does not exist on PyPI" in out and "requirements.txt:2" in out
    assert "six" not in out.split("not-found:")[0].split("BLOCK")[0]


def test_json_contract(depguard, workdir: Path) -> None:
    write(workdir / "requirements.txt", "six==1.16.0\n")
    doc = depguard("check", "-f", "json").json
    assert doc["schema"] == 1
    assert set(doc) >= {"schema", "packages", "errors", "summary"}
    package = doc["packages"][0]
    assert set(package) >= {
        "ecosystem",
        "name",
        "normalized",
        "specifier",
        "locations",
        "verdict",
        "risk",
        "findings",
        "metadata",
    }
    assert set(package["metadata"]) >= {
        "exists",
        "created",
        "latest_release",
        "releases",
        "maintainers",
        "downloads_last_month",
        "downloads_source",
        "repository",
    }
    assert package["ecosystem"] == "pypi"
    assert set(doc["summary"]) >= {"allow", "warn", "block"}
