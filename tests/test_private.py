"""Private packages on a real private index (pypiserver), their public twins, and credentials.

The private Python index is pypiserver (installed from PyPI with the test extras) serving
wheels the tests write; the public side is the loopback registry of the rest of the suite.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from support import write
from support.private_index import PyPIServer, public_project, write_wheel
from support.registry_server import Answer, RegistryServer

SECRET = "s3cr3t-T0KEN-do-not-print"


@pytest.fixture(scope="module")
def private_pypi(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PyPIServer]:
    packages = tmp_path_factory.mktemp("private-index") / "packages"
    for name, version in [
        ("acme-billing", "1.0"),
        ("acme-billing", "1.2"),
        ("acme-auth", "0.3"),
        ("acme-twin", "2.0"),
    ]:
        write_wheel(packages, name, version)
    server = PyPIServer(packages)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def locked_pypi(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PyPIServer]:
    packages = tmp_path_factory.mktemp("locked-index") / "packages"
    write_wheel(packages, "acme-billing", "1.2")
    server = PyPIServer(packages, users={"ci": SECRET})
    yield server
    server.stop()


def _config(workdir: Path, extra: str = "") -> None:
    write(workdir / "depguard.toml", f'private = ["acme-*", "@acme/*"]\n{extra}')


def test_internal_packages_are_judged_on_the_private_index(
    depguard, workdir: Path, private_pypi: PyPIServer, registry: RegistryServer, monkeypatch
) -> None:
    _config(workdir)
    monkeypatch.setenv("DEPGUARD_PRIVATE_INDEX_URL", private_pypi.simple)
    write(workdir / "requirements.txt", "six==1.16.0\nacme-billing==1.2\nacme_auth\n")
    result = depguard("check", "-f", "json")
    assert result.code == 0, result.out
    billing = result.package("acme-billing")
    assert billing["verdict"] == "allow" and result.ids("acme-billing") == []
    assert result.package("acme-auth")["verdict"] == "allow"
    assert result.package("six")["verdict"] == "allow"
    # the public index was asked about the internal names too (the twin check), and said 404
    assert registry.count("/pypi/acme-billing/json") == 1
    # a pinned version the private index does not have is reported against it
    write(workdir / "requirements.txt", "acme-billing==9.9\n")
    assert "unknown-version" in depguard("check", "-f", "json").ids("acme-billing")


def test_not_found_on_the_private_index_names_it(
    depguard, workdir: Path, private_pypi: PyPIServer, monkeypatch
) -> None:
    _config(workdir)
    monkeypatch.setenv("DEPGUARD_PRIVATE_INDEX_URL", private_pypi.simple)
    write(workdir / "requirements.txt", "acme-ledgr\n")
    result = depguard("check", "-f", "json")
    assert result.code == 1
    finding = result.package("acme-ledgr")["findings"][0]
    assert finding["id"] == "not-found"
    assert private_pypi.base in finding["message"] and "PyPI" not in finding["message"]
    assert finding["suggestions"] == []  # public look-alikes are no hint for an internal name


def test_an_internal_name_without_a_private_index_is_not_found(depguard, workdir: Path) -> None:
    _config(workdir)
    write(workdir / "requirements.txt", "acme-billing\n")
    result = depguard("check", "-f", "json")
    assert result.code == 1
    finding = result.package("acme-billing")["findings"][0]
    assert finding["id"] == "not-found" and "no private index" in finding["message"]


def test_internal_name_published_publicly_is_dependency_confusion(
    depguard, workdir: Path, private_pypi: PyPIServer, registry: RegistryServer, monkeypatch
) -> None:
    _config(workdir)
    monkeypatch.setenv("DEPGUARD_PRIVATE_INDEX_URL", private_pypi.simple)
    registry.routes["/pypi/acme-billing/json"] = Answer(
        200,
        public_project(
            "acme-billing",
            project_urls={"Homepage": "https://github.com/mallory/acme-billing"},
            home_page=None,
            maintainers=["mallory"],
        ),
    )
    write(workdir / "requirements.txt", "acme-billing==1.2\nacme-auth\n")
    result = depguard("check", "-f", "json")
    assert result.code == 1
    finding = next(
        f for f in result.package("acme-billing")["findings"] if f["id"] == "dependency-confusion"
    )
    assert finding["severity"] == "high"
    assert finding["public_maintainers"] == ["mallory"]
    assert "github.com/mallory/acme-billing" in finding["public_repository"]
    assert result.package("acme-billing")["verdict"] == "block"
    assert result.package("acme-auth")["verdict"] == "allow"

    # an ordinary allowlist entry does not waive it ...
    write(
        workdir / "depguard-allowlist.toml",
        '[[allow]]\nname = "acme-billing"\nreason = "ours"\n',
    )
    assert depguard("check", "-f", "json").package("acme-billing")["verdict"] == "block"
    # ... an approved public twin that no longer matches does not either ...
    write(
        workdir / "depguard-allowlist.toml",
        '[[allow]]\nname = "acme-billing"\nreason = "ours"\n'
        'public_twin = "https://github.com/acme/acme-billing"\n',
    )
    assert depguard("check", "-f", "json").package("acme-billing")["verdict"] == "block"
    # ... the twin pinned by its repository or a maintainer does
    write(
        workdir / "depguard-allowlist.toml",
        '[[allow]]\nname = "acme-billing"\nreason = "our public mirror"\n'
        'public_twin = "https://github.com/mallory/acme-billing.git"\n',
    )
    result = depguard("check", "-f", "json")
    assert result.package("acme-billing")["verdict"] == "allow", result.out


def test_credentials_from_the_environment_reach_the_index_and_no_output(
    depguard, workdir: Path, locked_pypi: PyPIServer, tmp_path: Path, monkeypatch
) -> None:
    _config(workdir)
    url = locked_pypi.simple.replace("http://", f"http://ci:{SECRET}@")
    monkeypatch.setenv("DEPGUARD_PRIVATE_INDEX_URL", url)
    write(workdir / "requirements.txt", "acme-billing==1.2\n")
    outputs = []
    for format in ("text", "json", "sarif", "github", "markdown"):
        result = depguard("check", "-f", format, "-v")
        assert result.code == 0, result.out + result.err
        outputs.append(result.out + result.err)
    assert "acme-billing" in outputs[1]
    assert all(SECRET not in text for text in outputs)
    _assert_not_in_cache(tmp_path / "cache", SECRET)


@pytest.mark.parametrize("how", ["missing", "wrong"])
def test_refused_credentials_are_a_clear_error_that_fails_closed(
    depguard, workdir: Path, locked_pypi: PyPIServer, tmp_path: Path, monkeypatch, how: str
) -> None:
    _config(workdir)
    url = locked_pypi.simple
    if how == "wrong":
        url = url.replace("http://", f"http://ci:wrong-{SECRET}@")
    monkeypatch.setenv("DEPGUARD_PRIVATE_INDEX_URL", url)
    monkeypatch.setenv("NETRC", str(tmp_path / "no-netrc"))
    write(workdir / "requirements.txt", "acme-billing==1.2\n")
    for format in ("json", "text", "sarif"):
        result = depguard("check", "-f", format)
        assert result.code == 1
        assert SECRET not in result.out + result.err
    report = depguard("check", "-f", "json")
    finding = report.package("acme-billing")["findings"][0]
    assert finding["id"] == "registry-error"
    assert locked_pypi.base in finding["message"]
    if how == "wrong":  # pypiserver answers 403 to a wrong password
        assert "denied access (HTTP 403)" in finding["message"]
    else:
        assert "HTTP 401" in finding["message"] and "none were found" in finding["message"]
    _assert_not_in_cache(tmp_path / "cache", SECRET)


def test_credentials_from_netrc(
    depguard, workdir: Path, locked_pypi: PyPIServer, tmp_path: Path, monkeypatch
) -> None:
    _config(workdir)
    netrc = write(tmp_path / "home" / ".netrc", f"machine 127.0.0.1\nlogin ci\npassword {SECRET}\n")
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))
    monkeypatch.setenv("DEPGUARD_PRIVATE_INDEX_URL", locked_pypi.simple)
    write(workdir / "requirements.txt", "acme-billing==1.2\n")
    result = depguard("check", "-f", "json")
    assert result.code == 0, result.out
    # a .netrc inside the checked tree is never read
    inside = write(workdir / ".netrc", f"machine 127.0.0.1\nlogin ci\npassword {SECRET}\n")
    inside.chmod(0o600)
    monkeypatch.setenv("NETRC", str(inside))
    (workdir / ".git").mkdir()
    monkeypatch.setenv("DEPGUARD_CACHE_DIR", str(tmp_path / "fresh-cache"))
    result = depguard("check", "-f", "json")
    assert result.code == 1 and "HTTP 401" in result.out


def test_credentials_from_a_keyring_helper(
    depguard, workdir: Path, locked_pypi: PyPIServer, tmp_path: Path, monkeypatch
) -> None:
    helper = write(
        tmp_path / "bin" / "keyring",
        f'#!/bin/sh\n[ "$1" = get ] && [ "$3" = ci ] && echo "{SECRET}" && exit 0\nexit 1\n',
    )
    helper.chmod(0o755)
    monkeypatch.setenv("PATH", f"{helper.parent}:{__import__('os').environ['PATH']}")
    monkeypatch.setenv("ACME_INDEX_USER", "ci")
    write(
        workdir / "depguard.toml",
        f'[[index]]\nname = "acme"\nurl = "{locked_pypi.simple}"\nnames = ["acme-*"]\n'
        'username_env = "ACME_INDEX_USER"\nkeyring = true\n',
    )
    write(workdir / "requirements.txt", "acme-billing==1.2\n")
    result = depguard("check", "-f", "json")
    assert result.code == 0, result.out
    assert SECRET not in result.out + result.err


@pytest.mark.parametrize("status", [403, 500])
def test_private_index_errors_fail_closed(
    depguard, workdir: Path, tmp_path: Path, monkeypatch, status: int
) -> None:
    broken = RegistryServer(tmp_path / "nothing").start()
    broken.handler = lambda request: Answer(status, b"no", {"Content-Type": "text/plain"})
    try:
        _config(workdir)
        monkeypatch.setenv(
            "DEPGUARD_PRIVATE_INDEX_URL", f"http://ci:{SECRET}@127.0.0.1:{broken.port}/simple/"
        )
        write(workdir / "depguard.toml", 'private = ["acme-*"]\nretries = 0\n')
        write(workdir / "requirements.txt", "acme-billing\n")
        result = depguard("check", "-f", "json")
        assert result.code == 1
        finding = result.package("acme-billing")["findings"][0]
        assert finding["id"] == "registry-error"
        assert f"HTTP {status}" in finding["message"]
        assert f"127.0.0.1:{broken.port}" in finding["message"]
        assert SECRET not in result.out + result.err
        text = depguard("check")
        assert SECRET not in text.out + text.err and "registry-error" in text.out
        assert broken.requests, "the private index was asked"
    finally:
        broken.stop()


def _assert_not_in_cache(cache: Path, secret: str) -> None:
    assert cache.exists()
    for path in cache.rglob("*"):
        if path.is_file():
            assert secret.encode() not in path.read_bytes(), path


def test_json_simple_api_pages_are_read(tmp_path: Path) -> None:
    from depguard.registries.simple import parse_project_page

    page = {
        "meta": {"api-version": "1.1"},
        "name": "acme-billing",
        "versions": ["1.0", "1.2", "2.0rc1"],
        "files": [
            {
                "filename": "acme_billing-1.0-py3-none-any.whl",
                "url": "x",
                "hashes": {},
                "upload-time": "2024-01-02T03:04:05.000000Z",
            },
            {
                "filename": "acme_billing-1.2.tar.gz",
                "url": "y",
                "hashes": {},
                "upload-time": "2025-01-02T03:04:05Z",
                "yanked": "broken",
            },
        ],
    }
    info = parse_project_page(
        json.dumps(page).encode(), "application/vnd.pypi.simple.v1+json", "acme-billing"
    )
    assert info.versions == ("1.0", "1.2", "2.0rc1")
    assert info.latest_version == "1.2" and info.yanked == {"1.2": "broken"}
    assert info.created is not None and info.created.year == 2024


# -- what the project itself declares ----------------------------------------------------------


def test_extra_index_url_is_reported_with_the_names_at_risk(
    depguard, workdir: Path, private_pypi: PyPIServer
) -> None:
    write(
        workdir / "requirements.txt",
        f"--extra-index-url {private_pypi.simple}\nsix==1.16.0\nacme-billing==1.2\n",
    )
    result = depguard("check", "-f", "json")
    # no `private` setting: acme-billing is not on the public index but on the project's own
    # extra index, so it is internal (no false not-found), and at risk
    assert result.code == 0, result.out
    billing = result.package("acme-billing")
    assert billing["verdict"] == "warn" and result.ids("acme-billing") == ["extra-index-url"]
    assert "requirements.txt:1" in billing["findings"][0]["message"]
    assert result.package("six")["verdict"] == "allow"
    notices = " ".join(result.json.get("notices", []))
    assert "names at risk: acme-billing" in notices and "--extra-index-url" in notices
    text = depguard("check", "--fail-on", "warn")
    assert text.code == 1 and "extra-index-url" in text.out


def test_credentials_written_in_requirements_are_not_used_or_printed(
    depguard, workdir: Path, locked_pypi: PyPIServer, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setenv("NETRC", str(tmp_path / "no-netrc"))
    written = locked_pypi.simple.replace("http://", f"http://ci:{SECRET}@")
    write(workdir / "requirements.txt", f"--index-url {written}\nacme-billing==1.2\n")
    result = depguard("check", "-f", "json")
    assert SECRET not in result.out + result.err
    assert result.code == 1 and "HTTP 401" in result.out  # the written password is not used
    assert "credentials written in the file are not used" in result.out
    # pip's ${VARIABLE} references name the environment: those are used
    monkeypatch.setenv("ACME_USER", "ci")
    monkeypatch.setenv("ACME_TOKEN", SECRET)
    reference = locked_pypi.simple.replace("http://", "http://${ACME_USER}:${ACME_TOKEN}@")
    write(workdir / "requirements.txt", f"--index-url {reference}\nacme-billing==1.2\n")
    result = depguard("check", "-f", "json")
    assert result.code == 0, result.out
    assert SECRET not in result.out + result.err
    _assert_not_in_cache(tmp_path / "cache", SECRET)


def test_uv_indexes_and_sources(
    depguard, workdir: Path, locked_pypi: PyPIServer, monkeypatch
) -> None:
    monkeypatch.setenv("UV_INDEX_ACME_USERNAME", "ci")
    monkeypatch.setenv("UV_INDEX_ACME_PASSWORD", SECRET)
    pyproject = f"""
[project]
name = "app"
version = "1"
dependencies = ["six==1.16.0", "acme-billing==1.2"]

[[tool.uv.index]]
name = "acme"
url = "{locked_pypi.simple}"
explicit = true

[tool.uv.sources]
acme-billing = {{ index = "acme" }}
"""
    write(workdir / "pyproject.toml", pyproject)
    result = depguard("check", "-f", "json")
    assert result.code == 0, result.out
    assert result.ids("acme-billing") == [] and SECRET not in result.out
    # the same index merged by version: at risk
    write(
        workdir / "pyproject.toml",
        pyproject.replace("explicit = true", "")
        + '\n[tool.uv]\nindex-strategy = "unsafe-best-match"\n',
    )
    result = depguard("check", "-f", "json")
    assert result.ids("acme-billing") == ["extra-index-url"]
    assert "unsafe-best-match" in result.package("acme-billing")["findings"][0]["message"]


def test_poetry_source_pins_a_name_to_its_index(
    depguard, workdir: Path, locked_pypi: PyPIServer, registry: RegistryServer, monkeypatch
) -> None:
    monkeypatch.setenv("POETRY_HTTP_BASIC_ACME_USERNAME", "ci")
    monkeypatch.setenv("POETRY_HTTP_BASIC_ACME_PASSWORD", SECRET)
    write(
        workdir / "pyproject.toml",
        f"""
[tool.poetry]
name = "app"
version = "1"

[tool.poetry.dependencies]
python = "^3.10"
six = "1.16.0"
acme-billing = {{ version = "1.2", source = "acme" }}

[[tool.poetry.source]]
name = "acme"
url = "{locked_pypi.simple}"
priority = "explicit"
""",
    )
    result = depguard("check", "-f", "json")
    assert result.code == 0, result.out
    assert result.ids("acme-billing") == []
    # pinned to the private index, so its public twin is checked
    assert registry.count("/pypi/acme-billing/json") == 1


def test_pipfile_sources_pin_names(
    depguard, workdir: Path, private_pypi: PyPIServer, registry: RegistryServer
) -> None:
    write(
        workdir / "Pipfile",
        f'[[source]]\nname = "pypi"\nurl = "https://pypi.org/simple"\nverify_ssl = true\n\n'
        f'[[source]]\nname = "acme"\nurl = "{private_pypi.simple}"\nverify_ssl = true\n\n'
        '[packages]\nacme-auth = { version = "*", index = "acme" }\n',
    )
    write(workdir / "requirements.txt", "acme-auth\n")
    registry.routes["/pypi/acme-auth/json"] = Answer(200, public_project("acme-auth"))
    result = depguard("check", "-f", "json")
    assert "dependency-confusion" in result.ids("acme-auth"), result.out


def test_pip_configuration_when_asked(
    depguard, workdir: Path, private_pypi: PyPIServer, monkeypatch
) -> None:
    monkeypatch.setenv("PIP_EXTRA_INDEX_URL", private_pypi.simple)
    monkeypatch.setenv("PIP_CONFIG_FILE", "/dev/null")
    write(workdir / "requirements.txt", "acme-billing==1.2\n")
    assert depguard("check", "-f", "json").package("acme-billing")["verdict"] == "block"
    write(workdir / "depguard.toml", "pip_config = true\n")
    result = depguard("check", "-f", "json")
    assert result.ids("acme-billing") == ["extra-index-url"]
    assert "PIP_EXTRA_INDEX_URL" in result.package("acme-billing")["findings"][0]["message"]


# -- npm: scoped packages on a private registry ------------------------------------------------


def packument(name: str, versions: list[str], *, maintainer: str, repository: str) -> bytes:
    """An npm package document in the registry's real format."""
    created = "2023-04-01T10:00:00.000Z"
    base = name.rsplit("/", maxsplit=1)[-1]
    return json.dumps(
        {
            "_id": name,
            "name": name,
            "dist-tags": {"latest": versions[-1]},
            "maintainers": [{"name": maintainer, "email": f"{maintainer}@example.test"}],
            "repository": {"type": "git", "url": f"git+{repository}.git"},
            "description": "A package",
            "readme": "# readme",
            "time": {
                "created": created,
                "modified": created,
                **dict.fromkeys(versions, created),
            },
            "versions": {
                v: {
                    "name": name,
                    "version": v,
                    "description": "A package",
                    "main": "index.js",
                    "repository": {"type": "git", "url": f"git+{repository}.git"},
                    "maintainers": [{"name": maintainer, "email": f"{maintainer}@example.test"}],
                    "_npmUser": {"name": maintainer, "email": f"{maintainer}@example.test"},
                    "dist": {
                        "tarball": f"https://npm.example.test/{name}/-/{base}-{v}.tgz",
                        "shasum": "0" * 40,
                        "integrity": "sha512-" + "A" * 86 + "==",
                    },
                }
                for v in versions
            },
        }
    ).encode()


@pytest.fixture
def private_npm(tmp_path: Path) -> Iterator[RegistryServer]:
    fixtures = tmp_path / "private-npm"
    write(
        fixtures / "npm" / "packument" / "@acme" / "ui.json",
        packument(
            "@acme/ui",
            ["1.0.0", "1.1.0"],
            maintainer="acme-bot",
            repository="https://git.acme.test/ui",
        ),
    )
    server = RegistryServer(fixtures).start()
    yield server
    server.stop()


def _npm_project(workdir: Path, registry_url: str, token_line: str = "") -> None:
    write(workdir / ".npmrc", f"@acme:registry={registry_url}\n{token_line}")
    write(
        workdir / "package.json",
        json.dumps({"name": "app", "dependencies": {"@acme/ui": "^1.1.0", "is-number": "^7.0.0"}}),
    )


def test_scoped_packages_on_a_private_npm_registry(
    depguard, workdir: Path, private_npm: RegistryServer, registry: RegistryServer, monkeypatch
) -> None:
    host = f"127.0.0.1:{private_npm.port}"
    _npm_project(
        workdir, private_npm.npm_registry, f"//{host}/npm/:_authToken=${{ACME_NPM_TOKEN}}\n"
    )
    monkeypatch.setenv("ACME_NPM_TOKEN", SECRET)
    result = depguard("check", "-f", "json")
    assert result.code == 0, result.out
    assert result.package("@acme/ui")["verdict"] == "allow" and result.ids("@acme/ui") == []
    # the token rode in a header, to the scope's registry only
    seen = [r for r in private_npm.requests if "acme" in r]
    assert seen and registry.count("/npm/@acme%2Fui") == 1
    assert SECRET not in result.out + result.err

    # someone publishes @acme/ui on the public registry
    def public_twin(request):
        if request.path == "/npm/@acme%2Fui":
            return Answer(
                200,
                packument(
                    "@acme/ui",
                    ["1.0.0", "99.0.0"],
                    maintainer="mallory",
                    repository="https://github.com/mallory/ui",
                ),
            )
        return None

    registry.handler = public_twin
    result = depguard("check", "-f", "json", "--refresh")
    assert result.code == 1
    finding = next(
        f for f in result.package("@acme/ui")["findings"] if f["id"] == "dependency-confusion"
    )
    assert finding["public_maintainers"] == ["mallory"] and "maintainers" in finding["compared"]


def test_npm_token_is_sent_and_never_printed(
    depguard, workdir: Path, private_npm: RegistryServer, tmp_path: Path, monkeypatch
) -> None:
    tokens: list[str] = []

    def needs_token(request):
        tokens.append(request.headers.get("authorization", ""))
        if request.headers.get("authorization") != f"Bearer {SECRET}":
            return Answer(401, b'{"error":"unauthorized"}')
        return None

    private_npm.handler = needs_token
    host = f"127.0.0.1:{private_npm.port}"
    _npm_project(
        workdir, private_npm.npm_registry, f"//{host}/npm/:_authToken=${{ACME_NPM_TOKEN}}\n"
    )
    monkeypatch.setenv("ACME_NPM_TOKEN", SECRET)
    for format in ("text", "json", "sarif", "github", "markdown"):
        result = depguard("check", "-f", format, "-v")
        assert result.code == 0, result.out
        assert SECRET not in result.out + result.err
    assert tokens[0] == f"Bearer {SECRET}"
    monkeypatch.setenv("ACME_NPM_TOKEN", "wrong")
    _assert_not_in_cache(tmp_path / "cache", SECRET)
    monkeypatch.setenv("DEPGUARD_CACHE_DIR", str(tmp_path / "fresh-cache"))
    result = depguard("check", "-f", "json")
    assert result.code == 1
    message = result.package("@acme/ui")["findings"][0]["message"]
    assert "refused the credentials (HTTP 401)" in message and host in message


def test_internal_name_locked_from_the_public_registry_is_blocked(
    depguard, workdir: Path, private_npm: RegistryServer, registry: RegistryServer
) -> None:
    _npm_project(workdir, private_npm.npm_registry)

    def lock(base: str) -> str:
        return json.dumps(
            {
                "name": "app",
                "lockfileVersion": 3,
                "packages": {
                    "": {"name": "app", "dependencies": {"@acme/ui": "^1.1.0"}},
                    "node_modules/@acme/ui": {
                        "version": "1.1.0",
                        "resolved": f"{base}/@acme/ui/-/ui-1.1.0.tgz",
                        "integrity": "sha512-" + "A" * 86 + "==",
                    },
                },
            }
        )

    write(workdir / "package-lock.json", lock(private_npm.npm_registry))
    assert "unexpected-registry" not in depguard("check", "-f", "json").ids("@acme/ui")
    write(workdir / "package-lock.json", lock(registry.npm_registry))
    result = depguard("check", "-f", "json")
    finding = next(
        f for f in result.package("@acme/ui")["findings"] if f["id"] == "unexpected-registry"
    )
    assert finding["severity"] == "high" and "public registry" in finding["message"]
    assert result.package("@acme/ui")["verdict"] == "block" and result.code == 1


def test_diff_keeps_the_projects_index_declarations(
    depguard, workdir: Path, private_pypi: PyPIServer
) -> None:
    import subprocess

    env = {
        "GIT_AUTHOR_NAME": "T",
        "GIT_AUTHOR_EMAIL": "t@example.invalid",
        "GIT_COMMITTER_NAME": "T",
        "GIT_COMMITTER_EMAIL": "t@example.invalid",
        "GIT_CONFIG_NOSYSTEM": "1",
        "HOME": str(workdir.parent),
        "PATH": __import__("os").environ["PATH"],
    }
    write(workdir / "requirements.txt", f"--extra-index-url {private_pypi.simple}\nsix\n")
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "base"]):
        subprocess.run(["git", "-C", str(workdir), *args], check=True, env=env)
    write(
        workdir / "requirements.txt",
        f"--extra-index-url {private_pypi.simple}\nsix\nacme-auth\n",
    )
    result = depguard("check", "--diff", "HEAD", "-f", "json")
    assert [p["name"] for p in result.json["packages"]] == ["acme-auth"]
    assert result.ids("acme-auth") == ["extra-index-url"]


@pytest.mark.live
def test_live_public_twin_of_an_internal_name(
    depguard, workdir: Path, private_pypi: PyPIServer, tmp_path: Path, monkeypatch
) -> None:
    """The real public index: `acme` (a well-known public project) declared internal and served
    by the private index is dependency confusion; internal names absent publicly pass."""
    for key in ("DEPGUARD_INDEX_URL", "DEPGUARD_PYPISTATS_URL"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("DEPGUARD_CACHE_DIR", str(tmp_path / "live-cache"))
    write_wheel(private_pypi.packages, "acme", "0.1")
    monkeypatch.setenv("DEPGUARD_PRIVATE_INDEX_URL", private_pypi.simple)
    write(workdir / "depguard.toml", 'private = ["acme", "acme-*"]\n')
    write(workdir / "requirements.txt", "acme==0.1\nacme-billing==1.2\nrequests\n")
    result = depguard("check", "-f", "json")
    assert result.code == 1
    assert "dependency-confusion" in result.ids("acme")
    finding = next(
        f for f in result.package("acme")["findings"] if f["id"] == "dependency-confusion"
    )
    assert finding["public_maintainers"] and finding["public_created"]
    assert result.package("acme-billing")["verdict"] == "allow"
    assert result.package("requests")["verdict"] == "allow"


def test_pip_wrapper_judges_names_on_the_indexes_pip_is_given(
    depguard, workdir: Path, locked_pypi: PyPIServer, tmp_path: Path, monkeypatch
) -> None:
    import os

    calls = tmp_path / "calls"
    fake = write(tmp_path / "bin" / "pip", f'#!/bin/sh\necho "$@" >> {calls}\nexit 0\n')
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake.parent}{os.pathsep}{os.environ['PATH']}")
    url = locked_pypi.simple.replace("http://", f"http://ci:{SECRET}@")
    result = depguard(
        "pip", "--fail-on", "warn", "install", "--extra-index-url", url, "acme-billing==1.2"
    )
    out = result.out + result.err
    assert result.code == 1 and "extra-index-url" in out and "not-found" not in out
    assert SECRET not in out and not calls.exists()  # warned, so pip was not run
    result = depguard("pip", "install", "--index-url", url, "acme-billing==1.2")
    assert result.code == 0, result.out + result.err
    assert SECRET not in result.out + result.err
    assert calls.read_text().count("acme-billing==1.2") == 1


def test_approving_an_internal_name_asks_its_private_index(
    depguard, workdir: Path, private_pypi: PyPIServer, monkeypatch
) -> None:
    _config(workdir)
    monkeypatch.setenv("DEPGUARD_PRIVATE_INDEX_URL", private_pypi.simple)
    result = depguard("approve", "acme-auth", "--reason", "our package")
    assert result.code == 0, result.err
    assert f"exists on private index ({private_pypi.base}" in result.out
    refused = depguard("approve", "acme-nothing", "--reason", "typo")
    assert refused.code != 0 and private_pypi.base in refused.err
