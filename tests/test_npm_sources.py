"""npm sources: package.json spec forms, workspaces, lockfiles and JS/TS imports, read as text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from depguard.model import Dependency, NamedIn, UrlKind
from depguard.sources import SourceResult
from depguard.sources.collect import ReadContext, collect
from depguard.sources.js_imports import package_of, scan
from depguard.sources.requirements import IncludePolicy


def read(root: Path, *paths: str) -> SourceResult:
    targets = [str(root / p) for p in paths] or [str(root)]
    return collect(targets, ReadContext(includes=IncludePolicy(root=root)))


def by_name(result: SourceResult) -> dict[str, Dependency]:
    """The first reference to each package."""
    out: dict[str, Dependency] = {}
    for dep in result.dependencies:
        out.setdefault(dep.name, dep)
    return out


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


PACKAGE_JSON = """{
  "name": "app",
  "dependencies": {
    "left-pad": "^1.3.0",
    "exact": "1.2.3",
    "tagged": "next",
    "pad": "npm:left-pad@^1",
    "@scope/aliased": "npm:@other/real@~2.0.0",
    "gitdep": "git+https://github.com/user/gitdep.git#0123456789abcdef0123456789abcdef01234567",
    "shorthand": "user/shorthand#v1",
    "hosted": "github:user/hosted",
    "tarball": "https://example.com/pkgs/tarball-1.0.0.tgz",
    "localfile": "file:../localfile",
    "linked": "link:./vendor/linked",
    "relpath": "./packages/relpath",
    "any": "*",
    "@babel/core": ">=7.0.0 <8"
  },
  "devDependencies": {
    "typescript": "~5.4"
  },
  "optionalDependencies": {
    "fsevents": "2.x"
  },
  "peerDependencies": {
    "react": "^17 || ^18"
  },
  "bundleDependencies": ["left-pad"],
  "overrides": {
    "minimist": "1.2.8",
    "glob@7": {
      ".": "7.2.3",
      "inflight": "$left-pad"
    }
  }
}
"""


def test_every_spec_form(tmp_path: Path) -> None:
    write(tmp_path / "package.json", PACKAGE_JSON)
    result = read(tmp_path, "package.json")
    assert result.errors == []
    deps = result.dependencies
    lp = [d for d in deps if d.name == "left-pad"]
    # the range, the npm: alias, the bundled entry and the $left-pad override: all left-pad
    assert {(d.specifier, d.installed_as, d.group) for d in lp} >= {
        ("^1.3.0", None, None),
        ("^1", "pad", None),
        ("^1.3.0", None, "bundled"),
    }
    named = by_name(result)
    assert named["left-pad"].location.line == 4
    assert named["exact"].version == "1.2.3" and named["exact"].pinned_version == "1.2.3"
    assert named["tagged"].specifier == "next" and named["tagged"].version is None
    alias = named["@other/real"]
    assert (alias.installed_as, alias.specifier, alias.normalized) == (
        "@scope/aliased",
        "~2.0.0",
        "@other/real",
    )
    assert alias.detail == '"@scope/aliased": "npm:@other/real@~2.0.0"'
    assert named["gitdep"].url_kind is UrlKind.VCS
    assert named["shorthand"].url == "github:user/shorthand#v1"
    assert named["shorthand"].url_kind is UrlKind.VCS
    assert named["hosted"].url_kind is UrlKind.VCS
    assert named["tarball"].url_kind is UrlKind.URL
    for local in ("localfile", "linked", "relpath"):
        assert named[local].url_kind is UrlKind.PATH, local
    assert named["any"].specifier == "*"
    assert named["@babel/core"].specifier == ">=7.0.0 <8"
    assert named["typescript"].group == "dev" and named["typescript"].location.line == 20
    assert named["fsevents"].group == "optional"
    assert named["react"].group == "peer" and named["react"].specifier == "^17 || ^18"
    assert named["minimist"].group == "overrides" and named["minimist"].version == "1.2.8"
    assert named["glob"].specifier == "7.2.3"
    assert named["inflight"].specifier == "^1.3.0"  # "$left-pad" is the root's spec
    assert named["inflight"].location.line == 33
    assert all(d.named_in is NamedIn.PACKAGE_JSON for d in deps)


def test_bad_entries_are_errors_with_lines_and_the_rest_is_read(tmp_path: Path) -> None:
    write(
        tmp_path / "package.json",
        '{\n  "dependencies": {\n    "ok": "^1",\n    "Bad Name": "1.0.0",\n'
        '    "weird": "not a range!",\n    "num": 5,\n    "also-ok": "2"\n  },\n'
        '  "devDependencies": ["x"]\n}\n',
    )
    result = read(tmp_path, "package.json")
    assert {d.name for d in result.dependencies} == {"ok", "also-ok"}
    errors = {(e.line, e.message.split(":")[0]) for e in result.errors}
    assert (4, "dependencies") in errors
    assert any(e.line == 5 and "weird" in e.message for e in result.errors)
    assert any(e.line == 6 and "num" in e.message for e in result.errors)
    assert any(e.line == 9 and "devDependencies" in e.message for e in result.errors)


def test_invalid_json_is_an_error_with_its_line(tmp_path: Path) -> None:
    write(tmp_path / "package.json", '{\n  "dependencies": {\n    "a": "1",\n  }\n}\n')
    result = read(tmp_path, "package.json")
    assert result.dependencies == []
    assert result.errors[0].line == 4
    assert "invalid JSON" in result.errors[0].message


def test_workspaces_are_followed_and_their_packages_are_local(tmp_path: Path) -> None:
    write(
        tmp_path / "package.json",
        json.dumps(
            {
                "name": "root",
                "workspaces": ["packages/*", "!packages/skip"],
                "devDependencies": {"@me/ui": "workspace:^"},
            }
        ),
    )
    write(
        tmp_path / "packages/core/package.json",
        json.dumps({"name": "@me/core", "dependencies": {"@me/ui": "^1.0.0", "ms": "^2"}}),
    )
    write(tmp_path / "packages/ui/package.json", json.dumps({"name": "@me/ui", "version": "1.0.0"}))
    write(tmp_path / "packages/skip/package.json", json.dumps({"dependencies": {"skipped": "1"}}))
    write(tmp_path / "node_modules/x/package.json", json.dumps({"dependencies": {"nm": "1"}}))
    only_root = read(tmp_path, "package.json")
    names = {d.name: d for d in only_root.dependencies}
    assert "ms" in names  # read through the workspace
    assert "skipped" not in names and "nm" not in names
    assert names["@me/ui"].url_kind is UrlKind.PATH
    assert [d.url for d in only_root.dependencies if d.name == "@me/ui"] == [
        "workspace:^",
        "workspace:@me/ui",
    ]
    # walking the directory reads each manifest once
    walked = read(tmp_path)
    assert sorted(d.name for d in walked.dependencies) == sorted(
        ["@me/ui", "@me/ui", "ms", "skipped"]
    )
    # a member read on its own still knows its siblings are local
    member = read(tmp_path, "packages/core/package.json")
    assert by_name(member)["@me/ui"].url_kind is UrlKind.PATH


LOCK_V3 = {
    "name": "app",
    "version": "1.0.0",
    "lockfileVersion": 3,
    "requires": True,
    "packages": {
        "": {"name": "app", "version": "1.0.0", "dependencies": {"left-pad": "^1.3.0"}},
        "node_modules/left-pad": {
            "version": "1.3.0",
            "resolved": "https://registry.npmjs.org/left-pad/-/left-pad-1.3.0.tgz",
            "integrity": "sha512-x",
        },
        "node_modules/@types/node": {
            "version": "20.1.0",
            "resolved": "https://registry.npmjs.org/@types/node/-/node-20.1.0.tgz",
            "dev": True,
        },
        "node_modules/pad": {
            "name": "left-pad",
            "version": "1.2.0",
            "resolved": "https://registry.npmjs.org/left-pad/-/left-pad-1.2.0.tgz",
        },
        "node_modules/a/node_modules/ms": {
            "version": "2.0.0",
            "resolved": "https://evil.example/ms/-/ms-2.0.0.tgz",
            "optional": True,
        },
        "node_modules/gitdep": {
            "version": "1.0.0",
            "resolved": "git+ssh://git@github.com/u/gitdep.git#0123456789abcdef0123456789abcdef01234567",
        },
        "node_modules/tar": {"version": "1.0.0", "resolved": "https://example.com/files/tar.tgz"},
        "node_modules/@me/core": {"resolved": "packages/core", "link": True},
        "packages/core": {"name": "@me/core", "version": "1.0.0"},
    },
}


def test_lockfile_v3_every_package(tmp_path: Path) -> None:
    write(tmp_path / "package-lock.json", json.dumps(LOCK_V3, indent=2))
    result = read(tmp_path, "package-lock.json")
    assert result.errors == []
    deps = result.dependencies
    assert all(d.named_in is NamedIn.LOCKFILE for d in deps)
    lp = [d for d in deps if d.name == "left-pad"]
    assert {(d.version, d.installed_as) for d in lp} == {("1.3.0", None), ("1.2.0", "pad")}
    named = by_name(result)
    assert named["@types/node"].group == "dev" and named["@types/node"].version == "20.1.0"
    assert named["ms"].resolved == "https://evil.example/ms/-/ms-2.0.0.tgz"
    assert named["ms"].detail == "node_modules/a/node_modules/ms"
    assert named["gitdep"].url_kind is UrlKind.VCS
    assert named["tar"].url_kind is UrlKind.URL
    assert named["@me/core"].url_kind is UrlKind.PATH
    text = (tmp_path / "package-lock.json").read_text().splitlines()
    line = named["ms"].location.line
    assert line is not None and '"node_modules/a/node_modules/ms"' in text[line - 1]


def test_lockfile_v1_nested(tmp_path: Path) -> None:
    lock = {
        "lockfileVersion": 1,
        "dependencies": {
            "a": {
                "version": "1.0.0",
                "resolved": "https://registry.npmjs.org/a/-/a-1.0.0.tgz",
                "dependencies": {"b": {"version": "2.0.0", "dev": True}},
            },
            "pad": {"version": "npm:left-pad@1.3.0"},
            "g": {"version": "github:u/g#0123456789abcdef0123456789abcdef01234567"},
            "f": {"version": "file:../f"},
        },
    }
    write(tmp_path / "npm-shrinkwrap.json", json.dumps(lock, indent=2))
    result = read(tmp_path, "npm-shrinkwrap.json")
    assert result.errors == []
    named = by_name(result)
    assert named["b"].version == "2.0.0" and named["b"].group == "dev"
    assert named["left-pad"].installed_as == "pad" and named["left-pad"].version == "1.3.0"
    assert named["g"].url_kind is UrlKind.VCS
    assert named["f"].url_kind is UrlKind.PATH
    assert named["b"].location.line == 8


def test_unsupported_lockfile_version_is_a_clear_error(tmp_path: Path) -> None:
    write(tmp_path / "package-lock.json", '{\n  "lockfileVersion": 9,\n  "packages": {}\n}\n')
    result = read(tmp_path, "package-lock.json")
    assert result.errors[0].line == 2
    assert "unsupported lockfileVersion 9" in result.errors[0].message


IMPORTS = r"""#!/usr/bin/env node
import React, { useState } from 'react';
import * as fp from "lodash/fp";
import type { Config } from '@scope/types/config';
import './styles.css';
import fs from 'fs';
import { readFile } from 'node:fs/promises';
import data from './data.json' with { type: 'json' };
export { a } from 'export-from';
export * from "export-star";
const lazy = await import('dynamic-import');
const cjs = require("required");
const where = require.resolve('resolved-pkg');
import legacy = require('ts-import-equals');
const http = require('https://cdn.example/x.js');
const viaNpm = await import('npm:chalk@5/ansi');
import sub from '#internal/thing';
const tpl = import(`template-literal`);
// import nope from 'line-comment';
/* import nope from 'block-comment'; require('block-comment-2') */
const s1 = "import fake from 'in-double-string'";
const s2 = 'require("in-single-string")';
const s3 = `import x from 'in-template' ${require('in-substitution')}`;
const re = /import x from 'in-regex'/g;
const ratio = a / b; const again = c / d; import after from 'after-division';
const el = <p>Don't import 'jsx-text' here</p>;
const mock = jest.mock('not-an-import');
const obj = { from: 'not-a-source' };
"""


def test_import_forms_and_what_is_not_an_import() -> None:
    specs = [site.specifier for site in scan(IMPORTS)]
    assert specs == [
        "react",
        "lodash/fp",
        "@scope/types/config",
        "./styles.css",
        "fs",
        "node:fs/promises",
        "./data.json",
        "export-from",
        "export-star",
        "dynamic-import",
        "required",
        "resolved-pkg",
        "ts-import-equals",
        "https://cdn.example/x.js",
        "npm:chalk@5/ansi",
        "#internal/thing",
        "template-literal",
        "in-substitution",
        "after-division",
    ]


def test_specifiers_map_to_packages() -> None:
    assert package_of("lodash/fp") == "lodash"
    assert package_of("@scope/pkg/sub/path") == "@scope/pkg"
    assert package_of("npm:chalk@5/ansi") == "chalk"
    for not_a_package in ("./x", "../x", "/abs", "node:fs", "fs", "fs/promises", "path/posix",
                          "https://x.example/a.js", "#internal", "~/x", "@/components/x", "@scope",
                          "bun:test", "virtual:pwa"):  # fmt: skip
        assert package_of(not_a_package) is None, not_a_package
    assert package_of("test") == "test"  # node:test exists only with its prefix


def test_imports_become_dependencies_with_local_things_left_out(tmp_path: Path) -> None:
    write(
        tmp_path / "package.json",
        json.dumps({"name": "web", "dependencies": {"react": "^18", "dash": "npm:lodash@^4"}}),
    )
    write(tmp_path / "libs/shared/package.json", json.dumps({"name": "@me/shared"}))
    write(
        tmp_path / "tsconfig.json",
        '{\n  // comments and trailing commas, as tsc allows\n  "compilerOptions": {\n'
        '    "baseUrl": "src",\n    "paths": {"@app/*": ["src/app/*"], "config": ["src/cfg"],},\n'
        "  },\n}\n",
    )
    write(tmp_path / "src/utils/index.ts", "export const x = 1;\n")
    write(
        tmp_path / "src/main.ts",
        "import React from 'react';\nimport d from 'dash/fp';\nimport s from '@me/shared/x';\n"
        "import a from '@app/thing';\nimport c from 'config';\nimport u from 'utils';\n"
        "import z from 'zod';\n",
    )
    result = read(tmp_path)
    imports = [d for d in result.dependencies if d.named_in is NamedIn.IMPORT]
    assert [(d.name, d.imported_as, d.location.line) for d in imports] == [
        ("react", None, 1),
        ("lodash", "dash/fp", 2),  # the npm: alias "dash" installs lodash
        ("zod", None, 7),
    ]
    assert imports[0].detail == "import React from 'react';"
    assert str(imports[2].location) == "src/main.ts:7" or imports[2].location.path.endswith(
        "src/main.ts"
    )


@pytest.mark.parametrize("name", ["a.js", "b.mjs", "c.cjs", "d.jsx", "e.ts", "f.tsx"])
def test_every_extension_is_scanned(tmp_path: Path, name: str) -> None:
    write(tmp_path / name, "const x = require('some-pkg');\n")
    assert [d.name for d in read(tmp_path).dependencies] == ["some-pkg"]


def test_mixed_repository_reads_both_ecosystems(tmp_path: Path) -> None:
    write(tmp_path / "requirements.txt", "requests==2.31.0\n")
    write(tmp_path / "pyproject.toml", '[project]\nname = "x"\ndependencies = ["six"]\n')
    write(tmp_path / "web/package.json", json.dumps({"dependencies": {"left-pad": "^1"}}))
    write(tmp_path / "web/package-lock.json", json.dumps(LOCK_V3))
    write(tmp_path / "web/index.js", "require('left-pad')\n")
    result = read(tmp_path)
    kinds = {(d.ecosystem.value, d.named_in.value) for d in result.dependencies}
    assert {("pypi", "requirement"), ("pypi", "project"), ("npm", "package.json"),
            ("npm", "lockfile"), ("npm", "import")} <= kinds  # fmt: skip


def test_lockfile_marks_direct_packages_and_the_chain_to_the_others(tmp_path: Path) -> None:
    lock = {
        "lockfileVersion": 3,
        "packages": {
            "": {"dependencies": {"a": "^1"}, "devDependencies": {"@s/d": "1"}},
            "node_modules/a": {"version": "1.0.0", "dependencies": {"b": "^2", "c": "1"}},
            "node_modules/b": {"version": "2.0.0", "dependencies": {"c": "1"}},
            "node_modules/a/node_modules/c": {"version": "1.0.0"},
            "node_modules/c": {"version": "3.0.0", "dependencies": {"a": "1"}},
            "node_modules/@s/d": {"version": "1.0.0", "dependencies": {"c": "3"}},
            "node_modules/orphan": {"version": "1.0.0"},
        },
    }
    write(tmp_path / "package-lock.json", json.dumps(lock, indent=2))
    deps = read(tmp_path, "package-lock.json").dependencies
    marks = {(d.name, d.version): (d.direct, d.via) for d in deps}
    assert marks[("a", "1.0.0")] == (True, ())
    assert marks[("@s/d", "1.0.0")] == (True, ())
    assert marks[("b", "2.0.0")] == (False, ("a",))
    assert marks[("c", "1.0.0")] == (False, ("a",))  # a's own nested copy
    assert marks[("c", "3.0.0")] == (False, ("@s/d",))  # shorter than a → b
    assert marks[("orphan", "1.0.0")] == (False, ())
