"""``check --resolve`` and ``review`` judge what an install would bring in (loopback index)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from depguard.timeutil import utcnow

from support.registry_server import RegistryServer
from support.simple_index import Dist, SimpleIndex


def serve(registry: RegistryServer, *dists: Dist) -> SimpleIndex:
    made = SimpleIndex(registry.base).add(*dists)
    registry.handler = made.serve
    return made


def fresh(hours: float) -> str:
    return (utcnow() - timedelta(hours=hours)).isoformat().replace("+00:00", "Z")


def test_check_resolve_blocks_a_missing_transitive_with_its_chain(
    depguard, registry: RegistryServer, workdir: Path
) -> None:
    serve(
        registry,
        Dist("flask", "3.0.0", ("werkzeug>=3", "click")),
        Dist("werkzeug", "3.0.1", ("ghost-package-xyz",)),
        Dist("click", "8.1.0"),
    )
    (workdir / "requirements.txt").write_text("flask>=3\n")
    plain = depguard("check", "requirements.txt", "--no-imports")
    assert plain.code == 0, plain.out
    result = depguard("check", "--resolve", "requirements.txt", "--no-imports")
    assert result.code == 1, result.out
    assert "ghost-package-xyz" in result.out
    assert "via flask → werkzeug → ghost-package-xyz" in result.out.replace("\n", " ")
    assert "(3 transitive)" in result.out
    assert "werkzeug" not in result.out.split("ghost-package-xyz")[0]  # allowed ones not listed


def test_review_shows_the_tree(depguard, registry: RegistryServer, workdir: Path) -> None:
    serve(
        registry,
        Dist("flask", "3.0.0", ("werkzeug>=3", "click")),
        Dist("werkzeug", "3.0.1"),
        Dist("click", "8.1.0"),
    )
    result = depguard("review", "flask")
    assert result.code == 0, result.out
    assert result.out.startswith("installing flask 3.0.0 brings in 2 packages (all allowed)")
    assert "also brought in, all allowed (2): click 8.1.0, werkzeug 3.0.1" in result.out


def test_new_release_warns_and_blocks_by_policy(
    depguard, registry: RegistryServer, workdir: Path
) -> None:
    serve(
        registry,
        Dist("flask", "2.9.0", uploaded="2025-01-01T00:00:00Z"),
        Dist("flask", "3.0.0", uploaded=fresh(5)),
    )
    held = depguard("review", "flask", "--format", "json")
    assert held.code == 0
    assert held.ids("flask") == []
    assert any("3.0.0 is younger than the 48-hour cooldown" in n for n in held.json["notices"])
    pinned = depguard("review", "flask==3.0.0", "--format", "json")
    assert pinned.code == 0  # a warning by default
    assert "new-release" in pinned.ids("flask")
    finding = next(f for f in pinned.package("flask")["findings"] if f["id"] == "new-release")
    assert finding["version"] == "3.0.0" and 4 < finding["age_hours"] < 6
    off = depguard("review", "flask==3.0.0", "--min-release-age", "0", "--format", "json")
    assert "new-release" not in off.ids("flask")
    (workdir / "depguard.toml").write_text('[severity]\n"new-release" = "high"\n')
    blocked = depguard("review", "flask==3.0.0")
    assert blocked.code == 1
    assert "new-release" in blocked.out


def test_a_wrong_answer_is_an_error_for_that_package(
    depguard, registry: RegistryServer, workdir: Path
) -> None:
    made = serve(
        registry,
        Dist("flask", "3.0.0", ("werkzeug", "click")),
        Dist("werkzeug", "3.0.1"),
        Dist("click", "8.1.0"),
    )
    made.page_names["werkzeug"] = "evil-project"
    result = depguard("review", "flask", "--format", "json")
    assert result.code == 1
    assert {p["name"] for p in result.json["packages"]} >= {"flask", "click", "werkzeug"}
    messages = [e["message"] for e in result.json["errors"]]
    assert any("flask → werkzeug" in m and "another project" in m for m in messages), messages


def test_an_impossible_constraint_is_a_clear_error(
    depguard, registry: RegistryServer, workdir: Path
) -> None:
    serve(registry, Dist("click", "8.1.0"), Dist("flask", "3.0.0", ("click>=9",)))
    (workdir / "requirements.txt").write_text("flask\nclick\n")
    result = depguard("check", "--resolve", "requirements.txt", "--no-imports")
    assert result.code == 1
    assert "cannot resolve" in result.out and "click>=9" in result.out
    assert "Traceback" not in result.out + result.err


def test_a_manifest_beside_a_lockfile_is_not_resolved(
    depguard, registry: RegistryServer, workdir: Path
) -> None:
    serve(registry, Dist("flask", "3.0.0", ("ghost-package-xyz",)))
    (workdir / "requirements.txt").write_text("left-pad\n")
    (workdir / "package.json").write_text('{"dependencies": {"left-pad": "^1.3.0"}}')
    (workdir / "package-lock.json").write_text(
        '{"name": "x", "lockfileVersion": 3, "packages": {"": {"dependencies": '
        '{"left-pad": "^1.3.0"}}, "node_modules/left-pad": {"version": "1.3.0", '
        '"resolved": "https://registry.npmjs.org/left-pad/-/left-pad-1.3.0.tgz"}}}'
    )
    (workdir / "requirements.txt").write_text("flask\n")
    result = depguard("check", "--resolve", "--no-imports", "--format", "json")
    notices = result.json["notices"]
    assert any("package.json: not resolved, a lockfile beside it" in n for n in notices), notices
    assert any(p["name"] == "ghost-package-xyz" for p in result.json["packages"])


def test_a_transitive_look_alike_blocks_with_its_chain(
    depguard, registry: RegistryServer, workdir: Path
) -> None:
    serve(
        registry,
        Dist("flask", "3.0.0", ("werkzeug",)),
        Dist("werkzeug", "3.0.1", ("reqeusts",)),
        Dist("reqeusts", "1.0.0"),
    )
    alone = depguard("review", "reqeusts", "--no-resolve", "--format", "json")
    assert alone.package("reqeusts")["verdict"] == "warn", alone.out
    result = depguard("review", "flask")
    assert result.code == 1
    first = result.out.splitlines()[0]
    assert first.startswith("installing flask 3.0.0 brings in 2 packages (1 allowed;")
    assert "block flask → werkzeug → reqeusts" in first
    assert "brought in by    flask → werkzeug → reqeusts" in result.out


def test_a_pinned_or_locked_version_inside_the_cooldown_is_new_release(
    depguard, registry: RegistryServer, workdir: Path
) -> None:
    serve(
        registry,
        Dist("flask", "2.9.0", uploaded="2025-01-01T00:00:00Z"),
        Dist("flask", "3.0.0", uploaded=fresh(5)),
        Dist("click", "8.1.0", uploaded="2025-06-01T00:00:00Z"),
        Dist("click", "8.2.0", uploaded=fresh(24 * 20)),
    )
    (workdir / "requirements.txt").write_text("flask==3.0.0\nclick==8.2.0\n")
    result = depguard("check", "requirements.txt", "--no-imports", "--format", "json")
    assert "new-release" in result.ids("flask")
    assert "new-release" not in result.ids("click")  # 20 days old
    old = depguard("check", "requirements.txt", "--no-imports", "--min-release-age", "0")
    assert "new-release" not in old.out


def test_recent_uploads_come_from_the_project_document() -> None:
    from depguard.registries.pypi_document import parse_project

    from support.registry_server import FIXTURES

    info = parse_project((FIXTURES / "pypi/json/requests.json").read_bytes(), "requests")
    assert "2.34.2" in info.recent_uploads
    assert "2.0.0" not in info.recent_uploads
    assert info.latest_release is not None
    assert max(info.recent_uploads.values()) == info.latest_release
