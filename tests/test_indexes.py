"""Indexes as declared things: routing names, roles, credentials kept out of URLs and files."""

from __future__ import annotations

from pathlib import Path

import pytest

from depguard.config import indexes_of, resolve_settings
from depguard.errors import UsageError
from depguard.indexes import Api, Role, matches, redact, split_userinfo
from depguard.model import Ecosystem

from support import write

PYPI, NPM = Ecosystem.PYPI, Ecosystem.NPM


def test_private_patterns_per_ecosystem() -> None:
    assert matches(PYPI, "acme-billing", "acme-*")
    assert matches(PYPI, "acme-billing", "Acme_*")  # patterns are normalized like names
    assert not matches(PYPI, "acme-billing", "npm:acme-*")
    assert matches(NPM, "acme-billing", "npm:acme-*")
    assert matches(NPM, "@acme/ui", "@acme/*")
    assert not matches(PYPI, "acme", "@acme/*")
    assert not matches(NPM, "@acmex/ui", "@acme/*")


def test_userinfo_is_split_and_redacted() -> None:
    url, userinfo = split_userinfo("https://ci%40acme:s3cr%2Ft@pypi.acme.test/simple/")
    assert url == "https://pypi.acme.test/simple/"
    assert userinfo == ("ci@acme", "s3cr/t")
    assert redact("https://u:p@host/x") == "https://***@host/x"
    assert redact("https://host/x") == "https://host/x"


def test_names_are_routed_to_the_index_that_serves_them(tmp_path: Path) -> None:
    write(
        tmp_path / "depguard.toml",
        """
private = ["acme-*", "@acme/*"]
private_index_url = "https://pypi.acme.test/simple"

[[index]]
name = "ml"
url = "https://ml.acme.test/simple/"
names = ["ml-*"]
username_env = "ML_USER"
password_env = "ML_TOKEN"
""",
    )
    settings = resolve_settings(config=tmp_path / "depguard.toml", start=tmp_path, environ={})
    indexes = indexes_of(settings)
    public = indexes.public(PYPI)
    assert public.role is Role.PUBLIC and public.api is Api.PYPI_JSON
    private = indexes.serving(PYPI, "acme-billing")
    assert private is not None and private.private and private.api is Api.SIMPLE
    assert private.url == "https://pypi.acme.test/simple"
    ml = indexes.serving(PYPI, "ml-core")
    assert ml is not None and ml.name == "ml" and ml.credentials.password_env == "ML_TOKEN"
    assert indexes.is_private(PYPI, "ml-core")  # owned by a private index
    assert indexes.serving(PYPI, "requests") == public
    assert not indexes.is_private(PYPI, "requests")
    # @acme/* is internal but no npm registry serves it: nothing to ask
    assert indexes.is_private(NPM, "@acme/ui") and indexes.serving(NPM, "@acme/ui") is None


def test_npmrc_scope_on_another_host_is_a_private_index() -> None:
    settings = resolve_settings(config=None, start=Path("/"), environ={})
    settings = settings.with_overrides(npm_scopes={"@acme": "https://npm.acme.test"})
    indexes = indexes_of(settings)
    served = indexes.serving(NPM, "@acme/ui")
    assert served is not None and served.private and indexes.is_private(NPM, "@acme/ui")
    assert indexes.serving(NPM, "left-pad") == indexes.public(NPM)


def test_credentials_in_the_environment_leave_the_url(tmp_path: Path) -> None:
    secret = "tok-ENV-1234567890"
    settings = resolve_settings(
        config=None,
        start=tmp_path,
        environ={"DEPGUARD_PRIVATE_INDEX_URL": f"https://ci:{secret}@pypi.acme.test/simple/"},
    )
    assert settings.private_index_url == "https://pypi.acme.test/simple"
    assert settings.private_index_credentials.userinfo == ("ci", secret)
    assert settings.private_index_credentials.userinfo_source == "DEPGUARD_PRIVATE_INDEX_URL"
    assert secret not in repr(settings)
    index = indexes_of(settings).serving(PYPI, "anything-private")
    assert index is None or secret not in repr(index)


@pytest.mark.parametrize(
    "text",
    [
        'private_index_url = "https://ci:tok-FILE-99@pypi.acme.test/simple"\n',
        '[[index]]\nurl = "https://ci:tok-FILE-99@pypi.acme.test/simple"\n',
    ],
)
def test_credentials_in_a_file_are_refused_without_echoing_them(tmp_path: Path, text: str) -> None:
    write(tmp_path / "depguard.toml", text)
    with pytest.raises(UsageError) as raised:
        resolve_settings(config=tmp_path / "depguard.toml", start=tmp_path, environ={})
    assert "tok-FILE-99" not in str(raised.value)
    assert "credentials" in str(raised.value)


def test_bad_index_tables_are_usage_errors(tmp_path: Path) -> None:
    for text in (
        '[[index]]\nname = "x"\n',
        '[[index]]\nurl = "https://x.test"\nrole = "secret"\n',
        '[[index]]\nurl = "https://x.test"\nflavour = "y"\n',
        'private = "acme-*"\nprivate_index_url = "ftp://x"\n',
        "private = [1]\n",
    ):
        write(tmp_path / "depguard.toml", text)
        with pytest.raises(UsageError):
            resolve_settings(config=tmp_path / "depguard.toml", start=tmp_path, environ={})


def test_printed_text_never_carries_url_credentials() -> None:
    from depguard.sanitize import clean

    text = clean("pip was given https://ci:tok-1@host/simple and https://tok-2@host/simple")
    assert "tok-1" not in text and "tok-2" not in text and "https://***@host/simple" in text
    assert clean("git+ssh://git@github.com/acme/x") == "git+ssh://git@github.com/acme/x"


def test_a_requirements_line_with_credentials_is_not_echoed(depguard, workdir: Path) -> None:
    write(
        workdir / "requirements.txt",
        "--index-url https://ci:tok-LINE-7@127.0.0.1:9/simple --bogus\nsix==1.16.0\n",
    )
    for format in ("text", "json", "sarif", "github", "markdown"):
        result = depguard("check", "--offline", "-f", format)
        assert result.code == 1 and "tok-LINE-7" not in result.out + result.err
