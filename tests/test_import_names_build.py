"""Building the import-name map: wheel listings over HTTP ranges, modules from file names,
the ranked map, and `python -m depguard.data.refresh import-names` end to end on the loopback
registry (recorded JSON documents and release files)."""

from __future__ import annotations

import asyncio
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest

from depguard import import_names
from depguard.data import refresh
from depguard.data.upstream import archives, crawl, importmap, modules, zipdir
from depguard.registries.http import HttpClient

from support.registry_server import Answer, RegistryServer, RequestInfo
from support.release_files import serve

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
FILES = FIXTURES / "pypi" / "files"
PROJECTS = ("pyjwt", "python-dotenv", "jaraco-functools", "jwt", "sklearn")


def names_in(wheel: str) -> list[str]:
    with zipfile.ZipFile(FILES / wheel) as archive:
        return archive.namelist()


# -- zip central directory ----------------------------------------------------------------------
@pytest.mark.parametrize("wheel", sorted(p.name for p in FILES.glob("*.whl")))
def test_central_directory_from_the_tail_matches_zipfile(wheel: str) -> None:
    body = (FILES / wheel).read_bytes()
    tail_start = max(0, len(body) - 4096)
    where = zipdir.locate_directory(body[tail_start:], tail_start)
    members = zipdir.parse_directory(body[where.offset : where.offset + where.size])
    assert [m.name for m in members] == names_in(wheel)
    assert where.entries == len(members)
    record = next(m for m in members if m.name.endswith(".dist-info/RECORD"))
    first, last = zipdir.member_span(record)
    text = zipdir.member_data(record, body[first : last + 1]).decode()
    with zipfile.ZipFile(FILES / wheel) as archive:
        assert text == archive.read(record.name).decode()


def test_not_a_zip_is_a_clear_error() -> None:
    with pytest.raises(zipdir.ZipError, match="no end-of-central-directory"):
        zipdir.locate_directory(b"<html>not found</html>" * 10, 0)


def test_zip_with_a_comment_is_found() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("pkg/__init__.py", "")
        archive.comment = b"PK\x05\x06 looks like a signature"
    body = buffer.getvalue()
    where = zipdir.locate_directory(body, 0)
    members = zipdir.parse_directory(body[where.offset : where.offset + where.size])
    assert [m.name for m in members] == ["pkg/__init__.py"]


def listing(registry: RegistryServer, wheel: str, tail_bytes: int) -> archives.Listing:
    registry.handler = serve
    size = (FILES / wheel).stat().st_size

    async def go() -> archives.Listing:
        async with HttpClient(concurrency=4) as http:
            return await archives.wheel_listing(
                http,
                f"{registry.base}/packages/{wheel}",
                size,
                lambda names: (
                    [n for n in names if n.endswith("/top_level.txt")]
                    + ["jaraco/functools/__init__.py"]
                ),
                tail_bytes=tail_bytes,
            )

    return asyncio.run(go())


def test_wheel_listing_reads_only_the_tail(registry: RegistryServer) -> None:
    wheel = "jaraco_functools-4.6.0-py3-none-any.whl"
    result = listing(registry, wheel, 64 * 1024)
    assert list(result.members) == names_in(wheel)
    assert registry.count("/packages/") == 1  # the whole small wheel came in one range
    assert result.texts["jaraco_functools-4.6.0.dist-info/top_level.txt"].split() == ["jaraco"]


def test_wheel_listing_asks_for_a_directory_beyond_the_tail(registry: RegistryServer) -> None:
    wheel = "pyjwt-2.15.1-py3-none-any.whl"
    result = listing(registry, wheel, 512)
    assert list(result.members) == names_in(wheel)
    assert registry.count("/packages/") >= 2
    assert result.fetched < (FILES / wheel).stat().st_size


# -- modules from file names --------------------------------------------------------------------
def test_modules_of_real_wheels() -> None:
    jwt = modules.provided(modules.wheel_paths(names_in("pyjwt-2.15.1-py3-none-any.whl")))
    assert jwt.modules == {"jwt"} and not jwt.namespaces
    dotenv = modules.provided(modules.wheel_paths(names_in("python_dotenv-1.2.4-py3-none-any.whl")))
    assert dotenv.modules == {"dotenv"}
    jaraco = modules.provided(
        modules.wheel_paths(names_in("jaraco_functools-4.6.0-py3-none-any.whl"))
    )
    assert jaraco.modules == {"jaraco.functools"}
    assert jaraco.namespaces == {"jaraco"}


def test_modules_rules() -> None:
    paths = modules.wheel_paths(
        [
            "pkg/__init__.py",
            "pkg/sub/mod.py",
            "single.py",
            "_speedups.cpython-311-x86_64-linux-gnu.so",
            "winmod.cp311-win_amd64.pyd",
            "libfoo.so.1",
            "libbar.so",  # a bundled C library, no ABI tag
            "pkg/lib/libcheckpoint.so",
            "pkg.libs/libz.so",
            "pkg-stubs/__init__.pyi",
            "tests/__init__.py",
            "tests/test_x.py",
            "docs/conf.py",
            "setup.py",
            "extra-1.0.data/purelib/extra_mod/__init__.py",
            "extra-1.0.data/scripts/run.py",
            "extra-1.0.dist-info/RECORD",
            "share/data.json",
            "ns/one/__init__.py",
            "ns/two.py",
            "old/__init__.py",
            "old/inner/__init__.py",
            "shell/__init__.py",
            "shell/x/__init__.py",
            "shell/y.py",
        ]
    )
    found = modules.provided(paths, declared_namespaces=["old"])
    assert found.modules == {
        "pkg",
        "pkg.sub.mod",  # inside a container package: listed, folded away by the map
        "single",
        "_speedups",
        "winmod",
        "extra_mod",
        "ns.one",
        "ns.two",
        "old.inner",
        "shell",
    }
    assert found.namespaces == {"ns", "old", "pkg.sub"}
    assert found.containers == {"pkg"}  # shell has a module of its own: not a container
    generic = modules.provided(["utils/__init__.py", "azure/common/__init__.py", "test_x.py"])
    assert generic.modules == {"azure.common"}  # generic only at the top level
    container = modules.provided(["nvidia/__init__.py", "nvidia/cublas/__init__.py"])
    assert container.modules == {"nvidia", "nvidia.cublas"}
    assert container.containers == {"nvidia"}


def test_pkgutil_namespaces_are_found_by_reading_their_init() -> None:
    paths = ["azure/__init__.py", "azure/core/__init__.py", "azure/core/pipeline.py"]
    assert modules.namespace_candidates(paths) == ["azure/__init__.py"]
    assert modules.declares_namespace(
        "__path__ = __import__('pkgutil').extend_path(__path__, __name__)"
    )
    assert modules.declares_namespace("__import__('pkg_resources').declare_namespace(__name__)")
    assert not modules.declares_namespace("from .core import *\n")


def test_sdist_layouts() -> None:
    flat, prefix = modules.sdist_paths(
        [
            "acme-1.0/setup.py",
            "acme-1.0/acme/__init__.py",
            "acme-1.0/scripts/x.py",
            "acme-1.0/tests/test_a.py",
            "acme-1.0/noxfile.py",
            "acme-1.0/PKG-INFO",
        ]
    )
    assert prefix == ""
    assert modules.sdist_provided(flat, "acme", None).modules == {"acme"}
    src, prefix = modules.sdist_paths(
        ["ns.thing-2.0/src/ns/thing/__init__.py", "ns.thing-2.0/pyproject.toml"]
    )
    assert prefix == "src/"
    found = modules.sdist_provided(src, "ns.thing", None)
    assert found.modules == {"ns.thing"} and found.namespaces == {"ns"}
    single, _ = modules.sdist_paths(["one-1/one.py", "one-1/build_helper.py"])
    assert modules.sdist_provided(single, "one", None).modules == {"one"}
    listed, _ = modules.sdist_paths(["x-1/alpha/__init__.py", "x-1/beta/__init__.py"])
    assert modules.sdist_provided(listed, "x", ["alpha"]).modules == {"alpha"}
    lib, _ = modules.sdist_paths(
        ["pycrypto-2.6.1/lib/Crypto/__init__.py", "pycrypto-2.6.1/setup.py"]
    )
    assert modules.sdist_provided(lib, "pycrypto", None).modules == {"Crypto"}
    # top_level.txt names a C extension whose source is no Python file: taken as listed
    ext, _ = modules.sdist_paths(["kx-1/src/kerberos.c", "kx-1/setup.py"])
    assert modules.sdist_provided(ext, "kx", ["kerberos", "tests"]).modules == {"kerberos"}


# -- the ranked map -----------------------------------------------------------------------------
def record(project: str, name: str, *paths: str) -> crawl.ProjectRecord:
    return crawl.ProjectRecord(project, name, "wheel", paths=paths)


def test_map_ranks_providers_and_keeps_only_what_a_name_cannot_say() -> None:
    records = [
        record("pyjwt", "PyJWT", "jwt/__init__.py"),
        record("jwt", "jwt", "jwt/__init__.py"),
        record("requests", "requests", "requests/__init__.py"),
        record("protobuf", "protobuf", "google/protobuf/__init__.py"),
        record("google-auth", "google-auth", "google/auth/__init__.py", "google/oauth2/x.py"),
        record("zope-interface", "zope.interface", "zope/interface/__init__.py"),
        record("zope-event", "zope.event", "zope/event/__init__.py"),
        record("solo", "solo", "solo/a.py", "solo/b/__init__.py"),
        record("nvidia-a", "nvidia-a", "nvidia/__init__.py", "nvidia/a/__init__.py"),
        record("nvidia-b", "nvidia-b", "nvidia/__init__.py", "nvidia/b/__init__.py"),
        record("keras", "keras", "keras/__init__.py", "keras/src/__init__.py"),
        record("keras-nightly", "keras-nightly", "keras/__init__.py", "keras/src/__init__.py"),
        crawl.ProjectRecord("pyspark", "pyspark", "error", error="over the size bound"),
        record("databricks-connect", "databricks-connect", "pyspark/__init__.py"),
    ]
    downloads = {
        "pyjwt": 500,
        "jwt": 4,
        "requests": 900,
        "protobuf": 800,
        "google-auth": 700,
        "zope-interface": 10,
        "zope-event": 9,
        "solo": 1,
        "nvidia-a": 3,
        "nvidia-b": 2,
        "keras": 50,
        "keras-nightly": 5,
        "pyspark": 90,
        "databricks-connect": 20,
    }
    entries = {e.name: e for e in importmap.build(records, downloads)}
    assert entries["jwt"].distributions == ("PyJWT", "jwt")
    assert "requests" not in entries  # requests -> requests: the name says it
    assert entries["google"].kind == "namespace"
    assert entries["google"].distributions == ("protobuf", "google-auth")
    assert entries["google.protobuf"].distributions == ("protobuf",)
    assert entries["google.oauth2"].distributions == ("google-auth",)
    assert entries["zope.interface"].distributions == ("zope.interface",)  # dotted: kept
    assert "solo" not in entries and "solo.b" not in entries  # one provider: folded away
    assert entries["nvidia"].kind == "namespace"
    assert entries["nvidia.a"].distributions == ("nvidia-a",)
    # one package shipped twice is no namespace
    assert entries["keras"].kind == "module"
    assert entries["keras"].distributions == ("keras", "keras-nightly")
    # an unreadable project still ranks for the module named like itself
    assert entries["pyspark"].distributions == ("pyspark", "databricks-connect")

    parsed = import_names.parse(importmap.render(list(entries.values()), ["snapshot-date: x"]))
    assert parsed.lookup("google.protobuf.message").distributions == ("protobuf",)
    assert parsed.lookup("google").namespace


def test_long_namespace_lists_are_cut_and_counted() -> None:
    records = [record(f"ns-{i}", f"ns-{i}", f"ns/m{i}/__init__.py") for i in range(30)]
    entries = {e.name: e for e in importmap.build(records, {f"ns-{i}": i for i in range(30)})}
    assert len(entries["ns"].distributions) == importmap.MAX_NAMESPACE_PROVIDERS
    assert entries["ns"].total == 30
    text = importmap.render([entries["ns"]], [])
    assert text.rstrip().endswith(",+5")
    assert import_names.parse(text).lookup("ns").total == 30


# -- end to end ---------------------------------------------------------------------------------
def popular(tmp_path: Path) -> Path:
    """The bundled snapshot's lines for the recorded projects (real counts)."""
    bundled = (Path(refresh.HERE) / "pypi-popular.tsv").read_text().splitlines()
    rows = [line for line in bundled if line.split("\t")[0] in PROJECTS]
    path = tmp_path / "popular.tsv"
    path.write_text("# snapshot-date: 2026-04-01\n" + "\n".join(rows) + "\n")
    return path


def refresh_names(
    registry: RegistryServer, tmp_path: Path, *extra: str, handler: Any = serve
) -> tuple[int, str]:
    registry.handler = handler
    out = tmp_path / "import-names.tsv"
    code = refresh.main(
        [
            "import-names",
            "--index-url",
            registry.index_url,
            "--files-url",
            registry.base,
            "--popular",
            str(popular(tmp_path)),
            "--date",
            "2026-11-24",
            "--output",
            str(out),
            *extra,
        ]
    )
    return code, out.read_text() if out.exists() else ""


def test_refresh_import_names_end_to_end(registry: RegistryServer, tmp_path: Path) -> None:
    code, text = refresh_names(registry, tmp_path)
    assert code == 0
    rows = {
        line.split("\t")[0]: line.split("\t")[1:] for line in text.splitlines() if line[:1] != "#"
    }
    assert rows == {
        "dotenv": ["module", "python-dotenv"],
        "jaraco": ["module", "jaraco.functools"],
        "jwt": ["module", "PyJWT,jwt"],
    }
    assert "# snapshot-date: 2026-11-24" in text
    assert "4 wheels, 1 sdists; 0 projects not read" in text
    # absolute file URLs were moved onto the configured host, the mirror's relative ones kept
    assert registry.count("/packages/packages/") >= 2
    assert registry.count("/packages/") > registry.count("/packages/packages/")
    assert max(1, registry.max_in_flight) <= 12


def test_refresh_import_names_resumes_from_its_work_file(
    registry: RegistryServer, tmp_path: Path
) -> None:
    work = tmp_path / "work.jsonl"
    code, first = refresh_names(registry, tmp_path, "--work-file", str(work))
    assert code == 0
    lines = work.read_text().splitlines()
    assert sorted(json.loads(line)["project"] for line in lines) == sorted(PROJECTS)
    registry.reset()
    code, second = refresh_names(registry, tmp_path, "--work-file", str(work))
    assert code == 0 and second == first
    assert registry.requests == []


def test_refresh_import_names_reports_unreadable_projects(
    registry: RegistryServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(info: RequestInfo) -> Answer | None:
        if "jaraco" in info.path and info.path.endswith(".whl"):
            return Answer(200, b"this is not a zip archive at all" * 4, {})
        return serve(info)

    code, text = refresh_names(registry, tmp_path, handler=broken)
    assert code == 0
    assert "3 wheels, 1 sdists; 1 projects not read" in text
    assert "jaraco-functools: not a readable zip" in capsys.readouterr().err


def test_concurrency_is_bounded(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        refresh.main(["import-names", "--concurrency", "64", "--output", str(tmp_path / "x")]) == 1
    )
    assert "between 1 and 16" in capsys.readouterr().err
