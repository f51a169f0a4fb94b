"""Whole JavaScript/TypeScript repositories: package-name validity, workspace protocols and
catalogs, bundler and framework aliases, type-only imports and fixture trees, each with a
small tree shaped like the real project that showed it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from depguard.model import Ecosystem, UrlKind
from depguard.names import is_valid
from depguard.sources import SourceResult
from depguard.sources.collect import ReadContext, collect
from depguard.sources.requirements import IncludePolicy

from support.registry_server import RegistryServer


def read(root: Path) -> SourceResult:
    return collect([str(root)], ReadContext(includes=IncludePolicy(root=root)))


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def write_json(path: Path, data: object) -> Path:
    return write(path, json.dumps(data, indent=2))


def names(result: SourceResult) -> set[str]:
    return {d.name for d in result.dependencies}


# -- names the registry could never hold --------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "valid"),
    [
        ("JSONStream", True),  # a capital letter in an old unscoped name: it exists
        ("@babel/core", True),
        ("lodash.get", True),
        ("@docusaurus/Link", False),  # scoped names never held capitals
        ("@theme/Layout", False),
        ("__sveltekit", False),  # no name starts with "_" or "."
        ("_internal", False),
        (".bin", False),
        ("~utils", False),  # a path alias
        ("node_modules", False),
        ("x" * 215, False),
    ],
)
def test_npm_name_validity(name: str, valid: bool) -> None:
    assert is_valid(Ecosystem.NPM, name) is valid


def test_imports_of_invalid_names_are_not_packages(tmp_path: Path) -> None:
    write_json(tmp_path / "package.json", {"name": "site", "dependencies": {"left-pad": "1"}})
    write(
        tmp_path / "src" / "page.js",
        "import Link from '@docusaurus/Link';\n"
        "import env from '__sveltekit/environment';\n"
        "import x from '~utils/x';\n"
        "import pad from 'left-pad';\n"
        "import JSONStream from 'JSONStream';\n",
    )
    result = read(tmp_path)
    assert result.errors == []
    assert names(result) == {"left-pad", "JSONStream"}


# -- package.json protocols -----------------------------------------------------------------


PNPM_WORKSPACE = """\
packages:
  - packages/*
catalog:
  left-pad: ^1.3.0
  '@babel/core': 7.24.0
catalogs:
  react18:
    react: ^18.2.0
  legacy:
    pad: npm:left-pad@1.1.0
"""


def test_pnpm_catalogs_resolve_to_their_ranges(tmp_path: Path) -> None:
    write(tmp_path / "pnpm-workspace.yaml", PNPM_WORKSPACE)
    write_json(tmp_path / "package.json", {"name": "root", "private": True})
    write_json(
        tmp_path / "packages" / "app" / "package.json",
        {
            "name": "app",
            "dependencies": {
                "left-pad": "catalog:",
                "@babel/core": "catalog:default",
                "react": "catalog:react18",
                "pad": "catalog:legacy",
                "lib": "workspace:*",
            },
        },
    )
    write_json(tmp_path / "packages" / "lib" / "package.json", {"name": "lib"})
    result = read(tmp_path)
    assert result.errors == []
    deps = {d.name: d for d in result.dependencies if d.alias is None}
    assert deps["left-pad"].specifier == "^1.3.0"
    assert deps["left-pad"].detail == '"left-pad": "catalog:" is "^1.3.0"'
    assert deps["@babel/core"].version == "7.24.0"
    assert deps["react"].specifier == "^18.2.0"
    assert deps["react"].location.line == 6  # where package.json says it
    # an npm: alias inside a catalog is the real package; "pad" is not asked for
    assert "pad" not in deps
    assert any(d.name == "left-pad" and d.alias == "pad" for d in result.dependencies)
    assert deps["lib"].url_kind is UrlKind.PATH


def test_catalog_without_an_entry_is_an_error_with_its_line(tmp_path: Path) -> None:
    write(tmp_path / "pnpm-workspace.yaml", PNPM_WORKSPACE)
    write_json(
        tmp_path / "package.json",
        {"name": "app", "dependencies": {"ms": "catalog:", "react": "catalog:react17"}},
    )
    result = read(tmp_path)
    messages = sorted(e.message for e in result.errors)
    assert messages == [
        "ms: 'catalog:' cannot be resolved: the 'default' catalog of "
        f"{tmp_path.as_posix()}/pnpm-workspace.yaml has no entry for ms",
        "react: 'catalog:react17' cannot be resolved: the 'react17' catalog of "
        f"{tmp_path.as_posix()}/pnpm-workspace.yaml has no entry for react",
    ]
    assert {e.line for e in result.errors} == {4, 5}


def test_unreadable_pnpm_workspace_is_reported_with_its_line(tmp_path: Path) -> None:
    write(tmp_path / "pnpm-workspace.yaml", "catalog:\n  a: [1\n  b: 2\n")
    write_json(
        tmp_path / "package.json",
        {"name": "app", "dependencies": {"a": "catalog:", "left-pad": "^1"}},
    )
    result = read(tmp_path)
    assert names(result) == {"left-pad"}  # the rest is still read
    [error] = result.errors
    assert "pnpm-workspace.yaml cannot be read" in error.message
    assert "(line " in error.message
    assert error.line == 4


def test_yaml_is_loaded_safely(tmp_path: Path) -> None:
    write(tmp_path / "pnpm-workspace.yaml", "catalog: !!python/object/apply:os.system ['true']\n")
    write_json(tmp_path / "package.json", {"name": "app", "dependencies": {"a": "catalog:"}})
    [error] = read(tmp_path).errors
    assert "cannot be read" in error.message


def test_bun_catalogs_in_the_root_package_json(tmp_path: Path) -> None:
    write_json(
        tmp_path / "package.json",
        {
            "name": "root",
            "workspaces": {
                "packages": ["packages/*"],
                "catalog": {"left-pad": "^1.3.0"},
                "catalogs": {"testing": {"ms": "2.1.3"}},
            },
        },
    )
    write_json(
        tmp_path / "packages" / "app" / "package.json",
        {"name": "app", "dependencies": {"left-pad": "catalog:", "ms": "catalog:testing"}},
    )
    result = read(tmp_path)
    assert result.errors == []
    deps = {d.name: d for d in result.dependencies}
    assert deps["left-pad"].specifier == "^1.3.0"
    assert deps["ms"].version == "2.1.3"


def test_yarn_protocols(tmp_path: Path) -> None:
    write_json(
        tmp_path / "package.json",
        {
            "name": "app",
            "dependencies": {
                "portaled": "portal:../portaled",
                "lodash": "patch:lodash@npm%3A4.17.21#./.yarn/patches/lodash-npm-4.17.21.patch",
                "local-patched": "patch:local-patched@workspace%3Alibs/x#./p.patch",
                "generated": "exec:./generate.js",
                "ms": "npm:^2.1.0",
                "@std/path": "jsr:^1.0.0",
            },
        },
    )
    result = read(tmp_path)
    assert result.errors == []
    deps = {d.name: d for d in result.dependencies}
    assert deps["portaled"].url_kind is UrlKind.PATH
    assert deps["local-patched"].url_kind is UrlKind.PATH
    assert deps["generated"].url_kind is UrlKind.PATH
    # a patched registry package is still that package, fetched from the registry
    assert deps["lodash"].url is None and deps["lodash"].version == "4.17.21"
    assert deps["ms"].specifier == "^2.1.0" and deps["ms"].alias is None
    assert deps["@std/path"].url_kind is UrlKind.URL


def test_protocols_are_no_input_errors_end_to_end(
    depguard: Any, workdir: Path, registry: RegistryServer
) -> None:
    write(workdir / "pnpm-workspace.yaml", "packages: [packages/*]\ncatalog:\n  left-pad: 1.3.0\n")
    write_json(workdir / "package.json", {"name": "root", "private": True})
    write_json(
        workdir / "packages" / "a" / "package.json",
        {"name": "a", "dependencies": {"left-pad": "catalog:", "b": "workspace:^"}},
    )
    write_json(
        workdir / "packages" / "b" / "package.json",
        {"name": "b", "dependencies": {"ms": "patch:ms@npm%3A2.1.3#./ms.patch"}},
    )
    result = depguard("check", ".", "--format", "json")
    report = result.json
    assert report["errors"] == []
    assert report["summary"]["block"] == 0, [p["name"] for p in report["packages"]]
    assert "1.3.0" in result.package("left-pad")["versions"]
    assert registry.count("/npm/left-pad") == 1
