"""`depguard pip install …` / `depguard npm install …` with a fake installer on PATH."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from depguard.errors import UsageError
from depguard.installers import plan

from support import write

FAKE = """#!{python}
import json, sys
with open({log!r}, "a") as handle:
    handle.write(json.dumps(sys.argv[1:]) + "\\n")
sys.exit({code})
"""


@pytest.fixture
def fake_bin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Install fake `pip` and `npm` executables that record their arguments."""
    import sys

    directory = tmp_path / "bin"
    directory.mkdir()
    log = tmp_path / "calls.jsonl"

    def make(name: str, code: int = 0) -> None:
        script = directory / name
        script.write_text(FAKE.format(python=sys.executable, log=str(log), code=code))
        script.chmod(script.stat().st_mode | stat.S_IEXEC)

    make("pip")
    make("npm")
    monkeypatch.setenv("PATH", f"{directory}{os.pathsep}{os.environ.get('PATH', '')}")

    class Fake:
        def calls(self) -> list[list[str]]:
            if not log.exists():
                return []
            return [json.loads(line) for line in log.read_text().splitlines()]

        def exit_with(self, name: str, code: int) -> None:
            make(name, code)

    return Fake()


def test_clean_install_runs_pip_with_the_same_arguments(depguard, fake_bin, workdir) -> None:
    result = depguard("pip", "install", "six", "requests==2.31.0")
    assert result.code == 0, result.out + result.err
    assert fake_bin.calls() == [["install", "six", "requests==2.31.0"]]


def test_installer_exit_code_is_returned(depguard, fake_bin, workdir) -> None:
    fake_bin.exit_with("pip", 3)
    assert depguard("pip", "install", "six").code == 3


def test_blocked_package_stops_the_install(depguard, fake_bin, workdir) -> None:
    result = depguard("pip", "install", "six", "qqqqzzzz-hallucinated")
    assert result.code == 1
    assert fake_bin.calls() == []
    assert "qqqqzzzz-hallucinated" in result.err and "does not exist on PyPI" in result.err
    assert "pip was not run" in result.err and "--force" in result.err


def test_force_proceeds_after_the_findings(depguard, fake_bin, workdir) -> None:
    result = depguard("pip", "install", "qqqqzzzz-hallucinated", "--force")
    assert result.code == 0
    assert "does not exist on PyPI" in result.err and "--force given" in result.err
    assert fake_bin.calls() == [["install", "qqqqzzzz-hallucinated"]]  # --force is ours
    result = depguard("pip", "--force", "install", "qqqqzzzz-hallucinated")
    assert result.code == 0 and len(fake_bin.calls()) == 2


def test_option_values_are_not_package_names(depguard, fake_bin, workdir) -> None:
    write(workdir / "constraints.txt", "six<2\n")
    write(workdir / "req.txt", "idna\n")
    args = [
        "install",
        "-i",
        "https://index.example/simple",
        "--extra-index-url=https://other.example/simple",
        "-t",
        "target-dir-name",
        "--python-version",
        "311",
        "--upgrade-strategy",
        "only-if-needed",
        "--no-binary",
        "no-such-pkg-xyz",
        "-c",
        "constraints.txt",
        "-qr",
        "req.txt",
        "--trust",  # a unique prefix of --trusted-host, as pip accepts
        "host-name-not-a-package",
        "-U",
        "six",
    ]
    result = depguard("pip", *args)
    assert result.code == 0, result.err
    assert fake_bin.calls() == [args]
    assert "2 packages checked" in result.err  # six (argument and constraint) and idna
    assert "own index (https://index.example/simple" in result.err


def test_requirement_file_findings_point_at_the_file(depguard, fake_bin, workdir) -> None:
    write(workdir / "requirements.txt", "six\nqqqqzzzz-hallucinated\n")
    result = depguard("pip", "install", "-r", "requirements.txt")
    assert result.code == 1 and fake_bin.calls() == []
    assert "requirements.txt:2" in result.err


def test_missing_requirement_file_fails_closed(depguard, fake_bin, workdir) -> None:
    result = depguard("pip", "install", "-r", "nope.txt")
    assert result.code == 1 and fake_bin.calls() == []
    assert "nope.txt" in result.err and "not found" in result.err


def test_direct_url_is_reported(depguard, fake_bin, workdir) -> None:
    result = depguard("pip", "install", "https://files.example/pkg-1.0.tar.gz", "--verbose")
    assert "direct-url" in result.err or "installed from a URL" in result.err
    assert result.code == 0  # a warning: the installer runs
    assert depguard("pip", "--fail-on", "warn", "install", "git+https://e.example/r.git").code == 1


def test_local_project_dependencies_are_checked(depguard, fake_bin, workdir) -> None:
    write(
        workdir / "pyproject.toml",
        '[project]\nname = "mine"\nversion = "1"\ndependencies = ["six"]\n'
        '[project.optional-dependencies]\ndev = ["qqqqzzzz-hallucinated"]\n',
    )
    assert depguard("pip", "install", "-e", ".").code == 0
    result = depguard("pip", "install", ".[dev]")
    assert result.code == 1 and "qqqqzzzz-hallucinated" in result.err


def test_dependency_group(depguard, fake_bin, workdir) -> None:
    write(
        workdir / "pyproject.toml",
        '[dependency-groups]\ntest = ["qqqqzzzz-hallucinated"]\nlint = ["six"]\n',
    )
    assert depguard("pip", "install", "--group", "lint").code == 0
    assert depguard("pip", "install", "--group", "pyproject.toml:test").code == 1


def test_usage_errors(depguard, fake_bin, workdir, monkeypatch) -> None:
    assert depguard("pip", "uninstall", "six").code == 2
    assert depguard("pip").code == 2
    monkeypatch.setenv("PATH", str(workdir))
    result = depguard("pip", "install", "six")
    assert result.code == 2 and "pip not found on PATH" in result.err


def test_npm_local_path_runs_npm(depguard, fake_bin, workdir) -> None:
    (workdir / "vendor" / "lib").mkdir(parents=True)
    result = depguard("npm", "install", "./vendor/lib", "--save-dev", "--force")
    assert result.code == 0, result.err
    assert fake_bin.calls() == [["install", "./vendor/lib", "--save-dev"]]


def test_npm_arguments_are_understood() -> None:
    install = plan(
        "npm",
        ["i", "--registry", "https://r.example", "-w", "web", "left-pad@1.3.0", "-D", "--force"],
    )
    assert install.packages == ["left-pad@1.3.0"]
    assert install.force and "--force" not in install.passed
    assert install.indexes == ["https://r.example"]
    assert install.command == [
        "i",
        "--registry",
        "https://r.example",
        "-w",
        "web",
        "left-pad@1.3.0",
        "-D",
    ]
    assert plan("npm", ["add", "--", "--weird-name"]).packages == ["--weird-name"]
    with pytest.raises(UsageError):
        plan("npm", ["publish"])


def test_unknown_options_check_more_not_less() -> None:
    install = plan("pip", ["install", "--some-new-flag", "maybe-a-value", "six"])
    assert install.packages == ["maybe-a-value", "six"]


def test_npm_install_checks_names_and_runs_npm(depguard, fake_bin, workdir) -> None:
    result = depguard("npm", "install", "left-pad@1.3.0", "--save-dev")
    assert result.code == 0, result.err
    assert fake_bin.calls() == [["install", "left-pad@1.3.0", "--save-dev"]]
    stopped = depguard("npm", "--fail-on", "warn", "install", "evil-postinstall@1.0.0")
    assert stopped.code == 1 and "npm was not run" in stopped.err
    assert "install-time" in stopped.err or "runs code at install time" in stopped.err
    assert len(fake_bin.calls()) == 1


def test_npm_install_without_names_checks_package_json(depguard, fake_bin, workdir) -> None:
    write(
        workdir / "package.json",
        '{"name": "app", "version": "1.0.0", "dependencies": {"left-pad": "^1.3.0"}}',
    )
    assert depguard("npm", "install").code == 0
    write(
        workdir / "package.json",
        '{"name": "app", "version": "1.0.0", "dependencies": {"qqqq-not-on-npm-zz": "^1.0.0"}}',
    )
    result = depguard("npm", "ci")
    assert result.code == 1 and "package.json" in result.err
    assert fake_bin.calls() == [["install"]]
