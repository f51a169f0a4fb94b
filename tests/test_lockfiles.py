"""Lockfiles: poetry.lock, uv.lock, pylock.toml, Pipfile.lock, pdm.lock, pnpm-lock.yaml,
yarn.lock (classic and Berry) and bun.lock, read from locks the real tools wrote
(fixtures/locks, see fixtures/SOURCES.md), and from small locks written here for the cases
those do not show."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from depguard.model import Dependency, UrlKind
from depguard.sources import SourceResult
from depguard.sources.collect import ReadContext, collect
from depguard.sources.requirements import IncludePolicy

from support import write

LOCKS = Path(__file__).resolve().parents[1] / "fixtures" / "locks"

# (fixture folder, lock file, entries, a transitive entry and its chain)
REAL = [
    ("poetry", "poetry.lock", 15, "urllib3", ("requests",)),
    ("uv", "uv.lock", 29, "h11", ("httpx", "httpcore")),
    ("uv", "pylock.toml", 29, "h11", ()),
    ("pdm", "pdm.lock", 13, "mdurl", ("rich", "markdown-it-py")),
    ("pipenv", "Pipfile.lock", 17, "werkzeug", ()),
    ("pnpm", "pnpm-lock.yaml", 78, "@babel/types", ("@babel/parser",)),
    ("yarn-classic", "yarn.lock", 79, "destroy", ("express", "body-parser")),
    ("yarn-berry", "yarn.lock", 80, "destroy", ("express", "body-parser")),
    ("bun", "bun.lock", 78, "@babel/types", ("@babel/parser",)),
]


def read(*paths: Path, as_kind: str | None = None) -> SourceResult:
    root = paths[0] if paths[0].is_dir() else paths[0].parent
    context = ReadContext(includes=IncludePolicy(root=root), as_kind=as_kind)
    return collect([str(p) for p in paths], context)


def entries(result: SourceResult, name: str) -> list[Dependency]:
    return [d for d in result.dependencies if d.name == name]


@pytest.mark.parametrize(("folder", "lock", "count", "transitive", "via"), REAL, ids=str)
def test_real_locks_every_entry_with_its_line_and_chain(
    tmp_path: Path, folder: str, lock: str, count: int, transitive: str, via: tuple[str, ...]
) -> None:
    shutil.copytree(LOCKS / folder, tmp_path / folder)
    path = tmp_path / folder / lock
    result = read(path)
    assert result.errors == []
    assert len(result.dependencies) == count
    text = path.read_text("utf-8").split("\n")
    for dep in result.dependencies:
        assert dep.named_in.value == "lockfile"
        assert dep.location.line is not None
        shown = dep.name.split("/")[-1]
        assert shown in text[dep.location.line - 1].lower() or dep.installed_as, (dep, dep.location)
    [first, *_] = entries(result, transitive)
    assert first.direct is False and first.via == via
    assert any(d.direct for d in result.dependencies)


def test_a_directory_walk_finds_every_kind(tmp_path: Path) -> None:
    shutil.copytree(LOCKS, tmp_path / "locks")
    result = read(tmp_path / "locks")
    assert result.errors == []
    read_files = {Path(f).name for f in result.files}
    assert {
        "poetry.lock",
        "uv.lock",
        "pylock.toml",
        "pdm.lock",
        "Pipfile.lock",
        "pnpm-lock.yaml",
        "yarn.lock",
        "bun.lock",
    } <= read_files


def test_python_lock_sources_and_direct_references(tmp_path: Path) -> None:
    write(
        tmp_path / "poetry.lock",
        """[[package]]
name = "six"
version = "1.16.0"
groups = ["dev"]

[package.source]
type = "legacy"
url = "https://evil.example/simple"
reference = "evil"

[[package]]
name = "gitpkg"
version = "0.1.0"

[package.source]
type = "git"
url = "https://github.com/org/gitpkg.git"
reference = "main"
resolved_reference = "0123456789abcdef0123456789abcdef01234567"

[[package]]
name = "localpkg"
version = "0.1.0"

[package.source]
type = "directory"
url = "../localpkg"

[metadata]
lock-version = "2.1"
""",
    )
    result = read(tmp_path / "poetry.lock")
    assert result.errors == []
    [six] = entries(result, "six")
    assert six.resolved == "https://evil.example/simple" and six.group == "dev"
    assert six.version == "1.16.0" and six.location.line == 2  # its name = line
    [git] = entries(result, "gitpkg")
    assert (
        git.url_kind is UrlKind.VCS
        and git.url is not None
        and git.url.endswith("@0123456789abcdef0123456789abcdef01234567")
    )
    [local] = entries(result, "localpkg")
    assert local.url_kind is UrlKind.PATH


def test_uv_lock_members_are_local_and_sources_are_kept(tmp_path: Path) -> None:
    write(
        tmp_path / "uv.lock",
        """version = 1
requires-python = ">=3.10"

[[package]]
name = "app"
version = "0.1.0"
source = { editable = "." }
dependencies = [{ name = "requests" }, { name = "vcs" }]

[[package]]
name = "requests"
version = "2.32.0"
source = { registry = "https://pypi.org/simple" }
dependencies = [{ name = "idna" }]

[[package]]
name = "idna"
version = "3.7"
source = { registry = "https://mirror.example/simple" }

[[package]]
name = "vcs"
version = "1.0"
source = { git = "https://github.com/o/vcs?rev=v1#0123456789abcdef0123456789abcdef01234567" }
""",
    )
    result = read(tmp_path / "uv.lock")
    assert result.errors == []
    assert [d.name for d in result.dependencies] == ["requests", "idna", "vcs"]
    [idna] = entries(result, "idna")
    assert idna.resolved == "https://mirror.example/simple" and idna.via == ("requests",)
    [vcs] = entries(result, "vcs")
    assert vcs.url_kind is UrlKind.VCS and vcs.direct


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("poetry.lock", '[[package]]\nname = "six"\nversion = "1.16', "invalid TOML"),
        (
            "uv.lock",
            'version = 1\n[[package]]\nname = "six"\nsource = { registry = "https://',
            "invalid TOML",
        ),
        ("pylock.toml", 'lock-version = "1.0"\n[[packages]]\nname = "six', "invalid TOML"),
        ("pdm.lock", '[metadata]\nlock_version = "4.5"\n[[package]]\nname = ', "invalid TOML"),
        (
            "Pipfile.lock",
            '{"_meta": {"sources": []}, "default": {"six": {"version": "==1',
            "invalid JSON",
        ),
        (
            "pnpm-lock.yaml",
            "lockfileVersion: '9.0'\npackages:\n  six@1.16.0:\n    resolution: {integrity: sha",
            "invalid YAML",
        ),
        (
            "yarn.lock",
            '# yarn lockfile v1\n\nsix@^1:\n  version "1.16.0"\n  resolved "https://registry.yarnpkg.com/six',
            "unterminated",
        ),
        (
            "bun.lock",
            '{\n  "lockfileVersion": 1,\n  "packages": {\n    "ms": ["ms@2.1.3", "",',
            "invalid JSON",
        ),
    ],
)
def test_a_truncated_lock_is_an_error_for_that_file_and_the_rest_is_read(
    tmp_path: Path, name: str, text: str, message: str
) -> None:
    write(tmp_path / "lock" / name, text)
    write(tmp_path / "requirements.txt", "six\n")
    result = read(tmp_path / "lock" / name, tmp_path / "requirements.txt")
    assert [e.path.endswith(name) for e in result.errors] == [True] * len(result.errors)
    assert result.errors and message in result.errors[0].message
    assert result.errors[0].line is not None
    assert [d.name for d in result.dependencies if d.named_in.value == "requirement"] == ["six"]


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("poetry.lock", '[metadata]\nlock-version = "9.0"\n'),
        ("uv.lock", "version = 7\n"),
        ("pylock.toml", 'lock-version = "2.0"\n'),
        ("pdm.lock", '[metadata]\nlock_version = "1.0"\n'),
        ("pnpm-lock.yaml", "lockfileVersion: '4.0'\n"),
        ("bun.lock", '{"lockfileVersion": 9}'),
    ],
)
def test_an_unknown_lock_version_is_a_clear_error(tmp_path: Path, name: str, text: str) -> None:
    write(tmp_path / name, text)
    [error] = read(tmp_path / name).errors
    assert "unsupported" in error.message and error.line in (1, 2)


def test_a_lock_named_on_the_command_line_is_read_as_its_kind_or_as_forced(tmp_path: Path) -> None:
    shutil.copytree(LOCKS / "pnpm", tmp_path / "p")
    result = read(tmp_path / "p" / "pnpm-lock.yaml")
    assert result.errors == [] and len(result.dependencies) == 78
    renamed = tmp_path / "p" / "lock.yml"
    (tmp_path / "p" / "pnpm-lock.yaml").rename(renamed)
    [error] = read(renamed).errors
    assert "not a kind of file depguard reads" in error.message
    forced = read(renamed, as_kind="pnpm-lock")
    assert forced.errors == [] and len(forced.dependencies) == 78


def test_pnpm_v6_keys_aliases_and_sources(tmp_path: Path) -> None:
    write(
        tmp_path / "pnpm-lock.yaml",
        """lockfileVersion: '6.0'

dependencies:
  pad:
    specifier: npm:left-pad@^1.3.0
    version: /left-pad@1.3.0
  react-dom:
    specifier: ^18
    version: 18.2.0(react@18.2.0)
  gitdep:
    specifier: github:o/gitdep
    version: github.com/o/gitdep/0123456789abcdef0123456789abcdef01234567

devDependencies:
  ms:
    specifier: ^2
    version: 2.1.3

packages:

  /left-pad@1.3.0:
    resolution: {integrity: sha512-x}
    dev: false

  /react-dom@18.2.0(react@18.2.0):
    resolution: {integrity: sha512-y}
    dependencies:
      loose: 1.0.0
    dev: false

  /loose@1.0.0:
    resolution: {tarball: https://evil.example/loose/-/loose-1.0.0.tgz}
    dev: false

  /ms@2.1.3:
    resolution: {integrity: sha512-z}
    dev: true

  /deep@1.0.0:
    resolution: {integrity: sha512-w}
    dev: true

  github.com/o/gitdep/0123456789abcdef0123456789abcdef01234567:
    resolution: {tarball: https://codeload.github.com/o/gitdep/tar.gz/0123456789abcdef0123456789abcdef01234567}
    name: gitdep
    version: 1.0.0
    dev: false
""",
    )
    result = read(tmp_path / "pnpm-lock.yaml")
    assert result.errors == []
    named = {d.name: d for d in result.dependencies}
    assert named["left-pad"].installed_as == "pad" and named["left-pad"].direct
    assert named["loose"].resolved == "https://evil.example/loose/-/loose-1.0.0.tgz"
    assert named["loose"].via == ("react-dom",) and named["loose"].location.line == 31
    assert named["ms"].group == "dev" and named["deep"].group == "dev"
    assert named["gitdep"].url_kind is UrlKind.URL


def _judge(depguard: Any, *paths: str) -> Any:
    return depguard("check", *paths, "--format", "json", "--no-imports")


def test_python_locks_from_an_unexpected_index_are_reported(
    depguard: Any, workdir: Path, registry: Any
) -> None:
    write(
        workdir / "pyproject.toml",
        '[project]\nname = "app"\nversion = "0"\ndependencies = ["requests"]\n\n'
        '[[tool.uv.index]]\nname = "corp"\nurl = "https://corp.example/simple"\n',
    )
    write(
        workdir / "uv.lock",
        f"""version = 1

[[package]]
name = "app"
version = "0"
source = {{ editable = "." }}
dependencies = [{{ name = "requests" }}]

[[package]]
name = "requests"
version = "2.32.3"
source = {{ registry = "{registry.base}/simple" }}
dependencies = [{{ name = "idna" }}, {{ name = "certifi" }}, {{ name = "six" }}]

[[package]]
name = "idna"
version = "3.7"
source = {{ registry = "https://evil.example/simple" }}

[[package]]
name = "certifi"
version = "2024.2.2"
source = {{ registry = "https://corp.example/simple" }}

[[package]]
name = "six"
version = "1.16.0"
source = {{ registry = "https://pypi.org/simple" }}
""",
    )
    result = _judge(depguard, "uv.lock", "pyproject.toml")
    assert "unexpected-registry" in result.ids("idna")
    assert "unexpected-registry" not in result.ids("certifi")  # the project declares that index
    assert "unexpected-registry" not in result.ids("six")  # the public index itself
    idna = result.package("idna")
    assert idna["direct"] is False and idna["via"] == ["requests"]
    assert result.package("requests")["direct"] is True
    assert idna["locations"] == [{"path": "uv.lock", "line": 16}]


def test_npm_locks_judged_with_lines_and_chains(depguard: Any, workdir: Path) -> None:
    write(workdir / "package.json", json.dumps({"dependencies": {"is-odd": "^3"}}))
    write(
        workdir / "yarn.lock",
        """# yarn lockfile v1


is-number@^6.0.0:
  version "6.0.0"
  resolved "https://evil.example/is-number/-/is-number-6.0.0.tgz"

is-odd@^3:
  version "3.0.1"
  resolved "https://registry.yarnpkg.com/is-odd/-/is-odd-3.0.1.tgz#65101baf3727d728b66fa62f50cda7f2d3989601"
  dependencies:
    is-number "^6.0.0"
""",
    )
    result = _judge(depguard, "yarn.lock")
    assert result.ids("is-odd") == [] or "unexpected-registry" not in result.ids("is-odd")
    assert "unexpected-registry" in result.ids("is-number")
    number = result.package("is-number")
    assert number["direct"] is False and number["via"] == ["is-odd"]
    assert number["locations"] == [{"path": "yarn.lock", "line": 4}]


def test_diff_judges_what_a_change_adds_to_a_lock(depguard: Any, workdir: Path) -> None:
    import subprocess

    def git(*args: str) -> None:
        subprocess.run(
            ["git", "-C", str(workdir), *args],
            check=True,
            capture_output=True,
            env={
                "GIT_AUTHOR_NAME": "T",
                "GIT_AUTHOR_EMAIL": "t@example.invalid",
                "GIT_COMMITTER_NAME": "T",
                "GIT_COMMITTER_EMAIL": "t@example.invalid",
                "HOME": str(workdir.parent),
                "PATH": "/usr/bin:/bin",
            },
        )

    lock = """# yarn lockfile v1


is-number@^7.0.0:
  version "7.0.0"

ms@^2.1.0:
  version "2.1.2"
"""
    git("init", "-q", "-b", "main")
    write(workdir / "yarn.lock", lock)
    git("add", "-A")
    git("commit", "-q", "-m", "base")
    changed = lock.replace('version "2.1.2"', 'version "2.1.3"')
    write(workdir / "yarn.lock", changed + '\nleft-pad@^1.3.0:\n  version "1.3.0"\n')
    result = depguard("check", "--diff", "HEAD", "--format", "json", "--no-imports")
    assert {p["name"] for p in result.json["packages"]} == {"ms", "left-pad"}
    assert result.package("ms")["locations"] == [{"path": "yarn.lock", "line": 7}]


def test_yarn_resolutions_overrides_still_chain(tmp_path: Path) -> None:
    # package.json "resolutions" rewrite a dependency's range: the lock keeps the forced one
    write(
        tmp_path / "yarn.lock",
        """__metadata:
  version: 6

"app@workspace:.":
  version: 0.0.0-use.local
  resolution: "app@workspace:."
  dependencies:
    a: ^1.0.0

"a@npm:^1.0.0":
  version: 1.2.0
  resolution: "a@npm:1.2.0"
  dependencies:
    b: ^2.0.0

"b@npm:~2.1.0":
  version: 2.1.3
  resolution: "b@npm:2.1.3"
""",
    )
    named = {d.name: d for d in read(tmp_path / "yarn.lock").dependencies}
    assert named["a"].direct and named["b"].via == ("a",)


@pytest.mark.live
@pytest.mark.parametrize("folder", sorted({f for f, *_ in REAL}))
def test_live_real_locks_every_package_judged_and_none_blocked(
    depguard: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, workdir: Path, folder: str
) -> None:
    for key in (
        "DEPGUARD_INDEX_URL",
        "DEPGUARD_PYPISTATS_URL",
        "DEPGUARD_NPM_REGISTRY",
        "DEPGUARD_NPM_DOWNLOADS_URL",
    ):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("DEPGUARD_CACHE_DIR", str(tmp_path / "live-cache"))
    shutil.copytree(LOCKS / folder, workdir / folder)
    result = depguard("check", folder, "--no-imports", "--format", "json")
    document = result.json
    assert document["errors"] == []
    assert document["summary"]["block"] == 0, [
        (p["name"], p["reason"]) for p in document["packages"] if p["verdict"] == "block"
    ]
    locked = [
        p for p in document["packages"] if any("lock" in loc["path"] for loc in p["locations"])
    ]
    assert locked and all(p["locations"][0]["line"] for p in locked)
    assert any(p["direct"] is False for p in locked)


def test_old_formats(tmp_path: Path) -> None:
    write(
        tmp_path / "poetry" / "poetry.lock",
        """[[package]]
name = "six"
version = "1.16.0"
category = "dev"
optional = false
python-versions = ">=2.7"

[metadata]
lock-version = "1.1"
python-versions = "^3.8"
content-hash = "0"

[metadata.files]
six = []
""",
    )
    [six] = read(tmp_path / "poetry" / "poetry.lock").dependencies
    assert (six.name, six.version, six.group, six.location.line) == ("six", "1.16.0", "dev", 2)
    write(
        tmp_path / "pnpm" / "pnpm-lock.yaml",
        """lockfileVersion: 5.4

specifiers:
  ms: ^2.1.0

dependencies:
  ms: 2.1.3

packages:

  /ms/2.1.3:
    resolution: {integrity: sha512-x}
    dependencies:
      tiny: 1.0.0_react@18.0.0
    dev: false

  /tiny/1.0.0_react@18.0.0:
    resolution: {integrity: sha512-y}
    dev: false
""",
    )
    named = {d.name: d for d in read(tmp_path / "pnpm" / "pnpm-lock.yaml").dependencies}
    assert named["ms"].version == "2.1.3" and named["ms"].direct
    assert named["tiny"].version == "1.0.0" and named["tiny"].via == ("ms",)
    write(tmp_path / "bun" / "bun.lockb", "\x00binary")
    result = read(tmp_path / "bun")
    assert result.errors == [] and any("bun.lockb" in n for n in result.notices)


def test_a_lock_named_alone_knows_the_sources_its_pyproject_declares(
    depguard: Any, workdir: Path
) -> None:
    write(
        workdir / "pyproject.toml",
        '[tool.poetry]\nname = "app"\nversion = "0"\n\n[tool.poetry.dependencies]\n'
        'python = "^3.10"\nsix = "*"\nidna = "*"\n\n[[tool.poetry.source]]\nname = "corp"\n'
        'url = "https://corp.example/simple"\npriority = "supplemental"\n',
    )
    write(
        workdir / "poetry.lock",
        """[[package]]
name = "six"
version = "1.16.0"

[package.source]
type = "legacy"
url = "https://corp.example/simple"
reference = "corp"

[[package]]
name = "idna"
version = "3.7"

[package.source]
type = "legacy"
url = "https://evil.example/simple"
reference = "evil"

[metadata]
lock-version = "2.1"
""",
    )
    result = _judge(depguard, "poetry.lock")
    assert "unexpected-registry" not in result.ids("six")
    assert "unexpected-registry" in result.ids("idna")
    assert result.package("six")["direct"] is True
