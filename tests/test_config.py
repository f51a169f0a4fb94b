"""Configuration: [tool.depguard] or depguard.toml, environment, flags."""

from __future__ import annotations

from pathlib import Path

from support import write


def test_pyproject_configuration(depguard, workdir: Path) -> None:
    write(workdir / "pyproject.toml", '[tool.depguard]\nfail_on = "warn"\n')
    write(workdir / "requirements.txt", "requests==2.32.0\n")
    assert depguard("check", "requirements.txt").code == 1
    assert depguard("check", "requirements.txt", "--fail-on", "block").code == 0


def test_depguard_toml_with_thresholds_and_severity(depguard, workdir: Path) -> None:
    write(workdir / "depguard.toml", '[severity]\nvulnerable = "block"\n')
    write(workdir / "requirements.txt", "pycrypto\n")
    result = depguard("check", "-f", "json")
    assert result.package("pycrypto")["verdict"] == "block"


def test_unknown_settings_are_usage_errors(depguard, workdir: Path) -> None:
    write(workdir / "depguard.toml", 'fail_onn = "warn"\n')
    write(workdir / "requirements.txt", "six\n")
    result = depguard("check")
    assert result.code == 2 and "fail_onn" in result.err
    write(workdir / "depguard.toml", '[severity]\nnot-a-finding = "block"\n')
    assert depguard("check").code == 2
    write(workdir / "depguard.toml", 'concurrency = "many"\n')
    assert depguard("check").code == 2


def test_config_is_found_upwards(depguard, workdir: Path) -> None:
    write(workdir / "depguard.toml", 'fail_on = "never"\n')
    write(workdir / "sub" / "requirements.txt", "no-such-package-at-all\n")
    assert depguard("check", "sub").code == 0


def test_explicit_config(depguard, workdir: Path) -> None:
    write(workdir / "ci" / "gate.toml", 'fail_on = "never"\n')
    write(workdir / "requirements.txt", "no-such-package-at-all\n")
    assert depguard("check", "--config", "ci/gate.toml").code == 0
    assert depguard("check", "--config", "ci/missing.toml").code == 2


def test_index_url_from_environment(depguard, registry, workdir: Path, monkeypatch) -> None:
    monkeypatch.setenv("DEPGUARD_INDEX_URL", f"{registry.base}/mirror")
    write(workdir / "requirements.txt", "six\n")
    depguard("check")
    assert registry.count("/mirror/pypi/six/json") == 1


def test_bad_index_url_is_a_usage_error(depguard, workdir: Path) -> None:
    write(workdir / "requirements.txt", "six\n")
    assert depguard("check", "--index-url", "ftp://example").code == 2
