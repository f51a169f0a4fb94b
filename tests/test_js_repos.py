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
    write(tmp_path / "packages" / "app" / "index.js", "import pad from 'pad';\n")
    result = read(tmp_path)
    assert result.errors == []
    [imported] = [d for d in result.dependencies if d.named_in.value == "import"]
    assert (imported.name, imported.imported_as) == ("left-pad", "pad")  # the catalog's npm: alias
    deps = {d.name: d for d in result.dependencies if not (d.imported_as or d.installed_as)}
    assert deps["left-pad"].specifier == "^1.3.0"
    assert deps["left-pad"].detail == '"left-pad": "catalog:" is "^1.3.0"'
    assert deps["@babel/core"].version == "7.24.0"
    assert deps["react"].specifier == "^18.2.0"
    assert deps["react"].location.line == 6  # where package.json says it
    # an npm: alias inside a catalog is the real package; "pad" is not asked for
    assert "pad" not in deps
    assert any(d.name == "left-pad" and d.installed_as == "pad" for d in result.dependencies)
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
    assert deps["ms"].specifier == "^2.1.0" and deps["ms"].installed_as is None
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


# -- fixture trees --------------------------------------------------------------------------


def test_javascript_fixture_conventions_are_skipped(depguard: Any, workdir: Path) -> None:
    write_json(workdir / "package.json", {"name": "formatter", "dependencies": {}})
    write(workdir / "src" / "index.js", "import fs from 'node:fs';\n")
    fake = "import x from 'ES6_Named1';\nimport y from 'this-module-does-not-exist';\n"
    for folder in (
        "tests/format/js/import",  # prettier
        "tests/fixtures/parsers",  # eslint
        "src/__fixtures__",
        "src/__testfixtures__",  # jscodeshift
        "playground/alias",  # vite
        "test/cases/parsing",  # webpack
        "test/configCases/externals",
        "test/function/samples/dynamic-import",  # rollup
    ):
        write(workdir / folder / "input.js", fake)
    write_json(
        workdir / "playground" / "alias" / "package.json",
        {"name": "@vitejs/test-alias", "dependencies": {"@vitejs/test-dep-zzq": "file:./dep"}},
    )
    result = depguard("check", ".", "--offline", "--format", "json")
    assert result.json["packages"] == [] and result.json["errors"] == [], result.out
    notice = " ".join(result.json["notices"])
    for folder in ("tests/format/", "playground/", "test/cases/", "src/__testfixtures__/"):
        assert folder in notice


# -- bundler aliases ------------------------------------------------------------------------


VITE_CONFIG = """\
import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'
import { fileURLToPath, URL } from 'node:url'
// alias: { 'in-a-comment': './x' } is not read
export default defineConfig({
  plugins: [vue()],
  resolve: {
    alias: {
      '@': fileURLToPath(new URL('./src', import.meta.url)),
      '~utils': fileURLToPath(new URL('./src/utils', import.meta.url)),
      components: '/src/components',
      vue: 'vue/dist/vue.esm-bundler.js',
    },
  },
  test: { alias: [{ find: 'virtual-config', replacement: './config.ts' }] },
})
"""


def test_vite_webpack_vue_and_babel_aliases_are_local(tmp_path: Path) -> None:
    write_json(
        tmp_path / "package.json",
        {"name": "app", "devDependencies": {"vite": "^5", "vue": "^3"}, "dependencies": {}},
    )
    write(tmp_path / "vite.config.ts", VITE_CONFIG)
    write(
        tmp_path / "src" / "main.ts",
        "import App from '@/App.vue'\nimport { fmt } from '~utils/format'\n"
        "import Btn from 'components/Btn.vue'\nimport cfg from 'virtual-config'\n"
        "import { createApp } from 'vue'\nimport x from 'in-a-comment'\n",
    )
    write(
        tmp_path / "legacy" / "webpack.config.js",
        "module.exports = { resolve: { alias: { Utilities$: path.resolve('src/u'),"
        " 'Templates': path.resolve('src/t') } } };\n",
    )
    write(
        tmp_path / "legacy" / "vue.config.js",
        "module.exports = { chainWebpack: (config) => {\n  config.resolve.alias\n"
        "    .set('@shared', resolve('shared'))\n    .set('_c', resolve('src/c'))\n} }\n",
    )
    write(
        tmp_path / "legacy" / ".babelrc",
        '{"plugins": [["module-resolver", {"alias": {"^#lib/(.+)": "./lib/\\\\1",'
        ' "testkit": "./test/kit"}}]]}',
    )
    write(
        tmp_path / "legacy" / "index.js",
        "require('Utilities'); require('Templates/a'); require('@shared/x');\n"
        "require('_c'); require('testkit'); require('@/App.vue');\n",
    )
    # an alias applies below its configuration only
    write(tmp_path / "other" / "index.js", "require('Templates');\n")
    result = read(tmp_path)
    assert result.errors == []
    imported = {d.name for d in result.dependencies if d.named_in.value == "import"}
    # vue is declared, so aliasing it to its own build keeps it vue; the comment is no alias
    assert imported == {"vite", "@vitejs/plugin-vue", "vue", "in-a-comment", "Templates"}
    templates = [d for d in result.dependencies if d.name == "Templates"]
    assert [d.location.path.endswith("other/index.js") for d in templates] == [True]


def test_alias_keys_read_as_text() -> None:
    from depguard.sources.bundler_aliases import aliases_in, is_config

    text = (
        "const a = { alias: { 'x': cond ? 'not-a-key' : 'no', nested: { deep: 1 },"
        " ['computed' + k]: 1, \"^@/(.*)$\": 'src' } }"
    )
    assert sorted(aliases_in(text)) == ["@", "nested", "x"]
    assert is_config("vite.config.mts") and is_config("webpack.dev.js")
    assert not is_config("index.ts") and not is_config("app.config.d.ts")


# -- frameworks -----------------------------------------------------------------------------


def test_docusaurus_site_modules_are_generated(tmp_path: Path) -> None:
    write_json(
        tmp_path / "website" / "package.json",
        {"name": "site", "dependencies": {"@docusaurus/core": "3.5.0", "react": "^18"}},
    )
    write(
        tmp_path / "website" / "src" / "pages" / "index.tsx",
        "import Link from '@docusaurus/Link';\nimport {useLocation} from '@docusaurus/router';\n"
        "import Layout from '@theme/Layout';\nimport Orig from '@theme-original/Navbar';\n"
        "import Init from '@theme-init/Footer';\nimport data from '@site/src/data/users';\n"
        "import routes from '@generated/routes';\nimport React from 'react';\n"
        "import {useDoc} from '@docusaurus/plugin-content-docs/client';\n",
    )
    result = read(tmp_path)
    imported = {d.name for d in result.dependencies if d.named_in.value == "import"}
    assert imported == {"react", "@docusaurus/plugin-content-docs"}


def test_css_engines_serve_their_stylesheets(tmp_path: Path) -> None:
    write_json(tmp_path / "package.json", {"name": "app", "devDependencies": {"unocss": "^0.60"}})
    write(tmp_path / "src" / "main.ts", "import 'uno.css'\nimport 'windi.css'\n")
    # Windi CSS is not in use here: its stylesheet name is judged like any package
    assert names(read(tmp_path)) == {"unocss", "windi.css"}


def test_framework_namespaces_need_the_framework(tmp_path: Path) -> None:
    write_json(tmp_path / "package.json", {"name": "app", "dependencies": {"left-pad": "1"}})
    write(tmp_path / "index.js", "import a from '@theme/thing';\nimport e from '@vite/env';\n")
    assert names(read(tmp_path)) == {"left-pad", "@theme/thing", "@vite/env"}


def test_a_framework_repository_knows_its_own_modules(tmp_path: Path) -> None:
    # vite's own repository: the package named vite is inside the tree
    write_json(tmp_path / "packages" / "vite" / "package.json", {"name": "vite"})
    write(tmp_path / "packages" / "vite" / "src" / "client" / "client.ts", "import '@vite/env'\n")
    assert names(read(tmp_path)) == set()


# -- workspaces kept beside package.json ----------------------------------------------------


@pytest.mark.parametrize(
    ("file", "text"),
    [
        ("pnpm-workspace.yaml", "packages:\n  - 'packages/*'\n"),
        ("lerna.json", '{"packages": ["packages/*"], "version": "0.0.0"}'),
    ],
)
def test_pnpm_and_lerna_workspace_packages_are_local(tmp_path: Path, file: str, text: str) -> None:
    write(tmp_path / file, text)
    write_json(tmp_path / "package.json", {"name": "root", "private": True})
    write_json(
        tmp_path / "packages" / "a" / "package.json",
        {"name": "@my-scope/a", "dependencies": {"@my-scope/b": "^0.0.0"}},
    )
    write_json(tmp_path / "packages" / "b" / "package.json", {"name": "@my-scope/b"})
    [dep] = read(tmp_path).dependencies
    assert dep.name == "@my-scope/b" and dep.url_kind is UrlKind.PATH


# -- type-only imports ----------------------------------------------------------------------


def test_type_only_imports_are_their_types_package(tmp_path: Path) -> None:
    write_json(
        tmp_path / "package.json",
        {
            "name": "linter",
            "dependencies": {"left-pad": "1"},
            "devDependencies": {"@types/estree": "^1", "@types/babel__core": "^7"},
        },
    )
    write(
        tmp_path / "lib" / "types" / "index.d.mts",
        "import * as ESTree from 'estree';\nexport type Node = ESTree.Node;\n",
    )
    write(
        tmp_path / "tests" / "types" / "types.test.mts",
        "import type { Program } from 'estree';\nimport { type PluginObj } from '@babel/core';\n"
        "import pad from 'left-pad';\n",
    )
    write(tmp_path / "tests" / "lib" / "types.test.ts", "import * as ESTree from 'estree';\n")
    write(tmp_path / "lib" / "run.js", "const estree = require('estree');\n")
    result = read(tmp_path)
    by_file = {(d.name, Path(d.location.path).name, d.imported_as) for d in result.dependencies}
    assert ("@types/estree", "index.d.mts", "estree") in by_file
    assert ("@types/estree", "types.test.mts", "estree") in by_file
    assert ("@types/babel__core", "types.test.mts", "@babel/core") in by_file
    assert ("@types/estree", "types.test.ts", "estree") in by_file
    assert ("left-pad", "types.test.mts", None) in by_file  # declared: itself
    # JavaScript needs the package itself at run time: it stays estree (and undeclared)
    assert ("estree", "run.js", None) in by_file


# -- end to end -----------------------------------------------------------------------------


def test_a_docusaurus_monorepo_has_no_false_blocks(
    depguard: Any, workdir: Path, registry: RegistryServer
) -> None:
    write(workdir / "pnpm-workspace.yaml", "packages: [packages/*, website]\n")
    write_json(workdir / "package.json", {"name": "root", "private": True})
    write_json(
        workdir / "packages" / "docusaurus" / "package.json",
        {"name": "@docusaurus/core", "dependencies": {"left-pad": "^1.3.0"}},
    )
    write(
        workdir / "packages" / "docusaurus" / "src" / "client" / "App.tsx",
        "import routes from '@generated/routes';\nimport Root from '@theme/Root';\n"
        "import Head from '@docusaurus/Head';\nimport {useLocation} from '@docusaurus/router';\n"
        "import pad from 'left-pad';\n",
    )
    write_json(
        workdir / "website" / "package.json",
        {"name": "website", "dependencies": {"@docusaurus/core": "workspace:*"}},
    )
    write(workdir / "website" / "src" / "pages" / "index.js", "import U from '@site/src/u';\n")
    write(workdir / "packages" / "docusaurus" / "tests" / "__fixtures__" / "x.js", "import 'zzq'\n")
    result = depguard("check", ".", "--format", "json")
    report = result.json
    assert report["errors"] == []
    assert [p["name"] for p in report["packages"] if p["verdict"] == "block"] == []
    asked = [r for r in registry.requests if r.startswith("/npm/")]
    assert asked == ["/npm/left-pad"], asked  # nothing generated was sent to the registry


def test_jest_and_next_aliases_are_local(tmp_path: Path) -> None:
    write_json(
        tmp_path / "package.json",
        {
            "name": "app",
            "dependencies": {"left-pad": "1"},
            "jest": {"moduleNameMapper": {"^#test/(.*)$": "<rootDir>/test/$1"}},
        },
    )
    write(
        tmp_path / "jest.config.js",
        "module.exports = { moduleNameMapper: { '^~lib/(.*)$': '<rootDir>/lib/$1',"
        " '\\\\.(css|less)$': 'identity-obj-proxy' } };\n",
    )
    write(
        tmp_path / "next.config.js",
        "module.exports = { webpack: (config) => {\n"
        "  config.resolve.alias['@components'] = path.join(__dirname, 'components');\n"
        "  return config;\n} };\n",
    )
    write(
        tmp_path / "pages" / "index.test.js",
        "import a from '~lib/a';\nimport b from '@components/Button';\n"
        "import c from '#test/helpers';\nimport pad from 'left-pad';\n",
    )
    assert names(read(tmp_path)) == {"left-pad"}


# -- imports found only in tests ------------------------------------------------------------


def test_imports_only_in_tests_are_judged_one_level_lower(
    depguard: Any, workdir: Path, registry: RegistryServer
) -> None:
    write_json(workdir / "package.json", {"name": "resolver", "dependencies": {"left-pad": "1"}})
    write(workdir / "index.js", "module.exports = require('left-pad');\n")
    # a resolver's tests resolve module names that exist only in their fixture folders
    write(workdir / "test" / "home_paths.js", "require.resolve('dot_main_zzq');\n")
    write(workdir / "src" / "__tests__" / "a.js", "import x from 'zzq-only-in-tests';\n")
    write(workdir / "src" / "util.spec.ts", "import y from 'zzq-spec-only';\n")
    write(workdir / "src" / "types.test-d.ts", "import z from 'zzq-type-test-only';\n")
    # shipped code still blocks
    write(workdir / "src" / "main.js", "import w from 'zzq-shipped';\n")
    result = depguard("check", ".", "--format", "json")
    verdicts = {p["name"]: p["verdict"] for p in result.json["packages"]}
    assert verdicts["zzq-shipped"] == "block"
    for name in ("dot_main_zzq", "zzq-only-in-tests", "zzq-spec-only", "zzq-type-test-only"):
        assert verdicts[name] == "warn", (name, verdicts)


def test_folders_above_the_checked_tree_do_not_make_code_secondary(tmp_path: Path) -> None:
    root = tmp_path / "test" / "checkout"
    write_json(root / "package.json", {"name": "app"})
    write(root / "src" / "main.js", "import w from 'zzq';\n")
    write(root / "test" / "a.test.js", "import t from 'zzq-t';\n")
    deps = {d.name: d.secondary for d in read(root).dependencies}
    assert deps == {"zzq": False, "zzq-t": True}


def test_one_fact_about_several_versions_counts_once(
    depguard: Any, workdir: Path, registry: RegistryServer
) -> None:
    # a monorepo whose packages pin different versions of one package with an install script
    write_json(workdir / "package.json", {"name": "root", "workspaces": ["packages/*"]})
    write_json(
        workdir / "packages" / "a" / "package.json",
        {"name": "a", "devDependencies": {"yorkie": "1.0.3"}},
    )
    write_json(
        workdir / "packages" / "b" / "package.json",
        {"name": "b", "devDependencies": {"yorkie": "^2.0.0"}},
    )
    write_json(
        workdir / "packages" / "c" / "package.json",
        {"name": "c", "devDependencies": {"yorkie": "1.0.1"}},
    )
    result = depguard("check", ".", "--format", "json")
    yorkie = result.package("yorkie")
    assert [f["id"] for f in yorkie["findings"]].count("install-scripts") == 3  # all are shown
    assert yorkie["verdict"] == "warn", yorkie


def test_tsconfig_references_carry_their_paths(tmp_path: Path) -> None:
    # create-vite's layout: tsconfig.json only references tsconfig.app.json, which has the paths
    write_json(tmp_path / "package.json", {"name": "app", "dependencies": {"left-pad": "1"}})
    write(
        tmp_path / "tsconfig.json",
        '{\n  "files": [],\n  // solution style\n  "references": [\n'
        '    { "path": "./tsconfig.app.json" },\n    { "path": "./tsconfig.node.json" },\n  ]\n}\n',
    )
    write_json(
        tmp_path / "tsconfig.app.json",
        {"compilerOptions": {"paths": {"shared/*": ["./src/shared/*"]}}},
    )
    write_json(tmp_path / "tsconfig.node.json", {"compilerOptions": {}})
    write(
        tmp_path / "src" / "main.ts",
        "import { a } from 'shared/a';\nimport pad from 'left-pad';\n",
    )
    assert names(read(tmp_path)) == {"left-pad"}
