"""Registered slopsquats, placeholders and look-alikes (issue 10), end to end against the loopback
registry serving real-format documents (see fixtures/SOURCES.md), and the policy's typed weights.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from depguard import findings as F
from depguard.config import Settings
from depguard.model import Downloads, Ecosystem, Finding, ReleaseFile, Severity, Tier, Verdict
from depguard.policy import weight
from depguard.substance import TINY_BYTES, emptiness, tiny_files

from support import write
from support.evidence import evidence, finding, ids, points, recorded, report


def _check(depguard, workdir: Path, names: list[str], *, npm: bool = False):  # type: ignore[no-untyped-def]
    if npm:
        deps = ", ".join(f'"{n}": "*"' for n in names)
        write(workdir / "package.json", '{"name": "app", "dependencies": {' + deps + "}}\n")
        return depguard("check", "-f", "json", "package.json")
    write(workdir / "requirements.txt", "\n".join(names) + "\n")
    return depguard("check", "-f", "json", "requirements.txt")


def test_research_and_declared_placeholders_are_blocked(depguard, registry, workdir) -> None:  # type: ignore[no-untyped-def]
    names = ["starlite-graphql-wavesocket-streamer-exporter", "atesy"]
    result = _check(depguard, workdir, names)
    for name in names:
        package = result.package(name)
        assert package["verdict"] == "block", name
        placeholder = next(f for f in package["findings"] if f["id"] == "placeholder")
        assert placeholder["severity"] == "high" and placeholder["declared"] is True
        assert "it says so itself" in placeholder["message"]
        assert "weight" not in placeholder
    research = result.package(names[0])["findings"][0]["message"]
    assert "Benign slopsquatting research" in research and "1,549 B wheel" in research


def test_silent_placeholder_is_blocked_and_a_thin_package_warned(
    depguard, registry, workdir
) -> None:  # type: ignore[no-untyped-def]
    # quill-orbit: a 1.5 kB wheel, no dependencies, innocuous text, on the index since 2024
    result = _check(depguard, workdir, ["quill-orbit", "thin-orbit", "runcost-ai"])
    quiet = result.package("quill-orbit")
    assert quiet["verdict"] == "block"
    assert result.ids("quill-orbit")[:2] == ["placeholder", "weak-signals"]
    together = next(f for f in quiet["findings"] if f["id"] == "weak-signals")
    assert together["facts"] == [
        "no usage figure",
        "1 release",
        "no repository",
        "one maintainer",
        "tiny files",
    ]
    assert together["together_with"] == ["an empty package"]
    # the same package with a 41 kB wheel: thin, not empty, warned with its reasons
    thin = result.package("thin-orbit")
    assert thin["verdict"] == "warn" and "placeholder" not in result.ids("thin-orbit")
    assert thin["reason"].startswith(
        "weak signals together: no usage figure, 1 release, no repository, one maintainer"
    )
    # young but substantial (16 releases, files with code): allowed
    assert result.package("runcost-ai")["verdict"] == "allow"


def test_npm_security_holding_and_temp_test_squats_are_blocked(depguard, registry, workdir) -> None:  # type: ignore[no-untyped-def]
    result = _check(depguard, workdir, ["crossenv", "expresss", "holding-pkg"], npm=True)
    for name in ("crossenv", "holding-pkg"):  # 0.0.2-security and 0.0.1-security
        assert result.package(name)["verdict"] == "block", name
        assert "quarantined" in result.ids(name)
    squat = result.package("expresss")
    assert squat["verdict"] == "block"
    kinds = {f["id"]: f for f in squat["findings"]}
    assert kinds["typosquat"]["similar_to"] == "express"
    assert "temp test" in kinds["placeholder"]["message"]
    assert "only version 0.0.0" in kinds["weak-signals"]["facts"]


def test_popular_project_is_not_someone_elses_import_name(depguard, registry, workdir) -> None:  # type: ignore[no-untyped-def]
    result = _check(depguard, workdir, ["pymupdf4llm", "jwt"])
    assert "import-name" not in result.ids("pymupdf4llm")
    assert result.package("pymupdf4llm")["verdict"] == "allow"
    assert "import-name" in result.ids("jwt")  # PyJWT has over 100 times its downloads


def test_cached_entries_of_the_old_schema_are_not_read_as_no_files(
    depguard, registry, workdir
) -> None:  # type: ignore[no-untyped-def]
    from depguard import cache

    assert cache.SCHEMA >= 2
    first = _check(depguard, workdir, ["quill-orbit"])
    again = depguard("check", "-f", "json", "--offline", "requirements.txt")
    assert again.package("quill-orbit")["verdict"] == first.package("quill-orbit")["verdict"]
    assert again.package("quill-orbit")["metadata"]["files"][1]["size"] == 1549


# -- the size bound, calibrated on real releases ------------------------------------------------


def test_tiny_bound_separates_placeholders_from_small_libraries() -> None:
    research = recorded("starlite-graphql-wavesocket-streamer-exporter")
    assert tiny_files(research) is not None
    small = replace(research, files=(ReleaseFile("mypy_extensions-1.2.0.whl", 5114, "wheel"),))
    assert tiny_files(small) is None  # the smallest honest library seen: 5.1 kB
    edge = replace(research, files=(ReleaseFile("x.whl", TINY_BYTES - 1, "wheel"),))
    assert tiny_files(edge) is not None
    # a tiny wheel that declares dependencies is a meta-package, never a placeholder
    meta = recorded("jupyter", "jupyter-meta-x")
    assert meta.dependencies == 6 and tiny_files(meta) is None
    assert report(evidence("jupyter-meta-x", meta)).verdict is Verdict.ALLOW
    # unknown sizes or an unlisted release say nothing
    assert tiny_files(replace(research, files=None)) is None
    assert tiny_files(replace(research, files=(ReleaseFile("x.whl", None, "wheel"),))) is None
    assert emptiness(replace(research, files=())).no_files  # type: ignore[union-attr]


def test_placeholder_words_in_a_maintained_project_are_its_subject() -> None:
    info = replace(recorded("runcost-ai"), summary="Placeholder substitution for prompt templates")
    assert "placeholder" not in ids(report(evidence("runcost-ai", info)))
    thin = replace(recorded("quill-orbit"), summary="Name reserved for a future project")
    assert finding(report(evidence("quill-orbit", thin)), "placeholder")["declared"] is True


# -- established = used ----------------------------------------------------------------------


def test_age_alone_never_establishes() -> None:
    old = recorded("quill-orbit")  # since 2024
    item = report(evidence("quill-orbit", old))
    assert item.verdict is Verdict.BLOCK
    used = report(evidence("quill-orbit", old, downloads=Downloads(120_000, "PyPI API")))
    assert "placeholder" not in ids(used) and "weak-signals" not in ids(used)


# -- weights: typed, owned by the policy, predictable ------------------------------------------


def test_weight_is_typed_and_not_in_the_evidence() -> None:
    made = F.TYPOSQUAT.make("imitates x", tier=Tier.WEAK, similar_to="x")
    assert made.tier is Tier.WEAK and "weight" not in made.to_json()
    assert weight(made, Settings()) == 10


@pytest.mark.parametrize("tier", list(Tier))
def test_a_configured_default_changes_nothing(tier: Tier) -> None:
    for kind in F.CATALOG.values():
        made = Finding(kind.id, Severity.LOW, "m", tier=tier)
        assert weight(made, Settings(weights={kind.id: kind.weight})) == weight(made, Settings())


def test_a_configured_weight_scales_every_tier() -> None:
    doubled = Settings(weights={"typosquat": 90})
    tiers = {t: weight(F.TYPOSQUAT.make("m", tier=t), doubled) for t in Tier}
    assert tiers == {Tier.NORMAL: 90, Tier.STRONG: 90, Tier.WEAK: 20, Tier.MINIMAL: 10}
    off = Settings(weights={"recently-created": 0})
    assert weight(F.RECENTLY_CREATED.make("m", tier=Tier.STRONG), off) == 0


def test_npm_look_alike_weight_is_unchanged_by_its_own_default(depguard, registry, workdir) -> None:  # type: ignore[no-untyped-def]
    plain = _check(depguard, workdir, ["lodahs", "expresss"], npm=True)
    write(workdir / "depguard.toml", "[weights]\ntyposquat = 45\n")
    same = depguard("check", "-f", "json", "package.json")
    for name in ("lodahs", "expresss"):
        assert same.package(name)["risk"] == plain.package(name)["risk"]


def test_points_helper_matches_the_report() -> None:
    item = report(evidence("reqeusts", recorded("reqeusts")))
    assert item.risk == min(100, sum(points(item, f.id) for f in item.findings))


def test_popular_names_get_no_placeholder_or_weak_signal() -> None:
    info = replace(recorded("quill-orbit", "six"), name="six")
    item = report(evidence("six", info, ecosystem=Ecosystem.PYPI))
    assert not {"placeholder", "weak-signals"} & set(ids(item))


# -- module-missing: the newest wheel's file list, by range requests --------------------------


def test_an_import_the_package_does_not_provide(depguard, registry, workdir) -> None:  # type: ignore[no-untyped-def]
    from test_whole_repos import _wheel, serve_wheels

    serve_wheels(
        registry,
        {
            "quill-orbit": {
                "quill_orbit-0.1.0-py3-none-any.whl": _wheel(
                    {"quill_orbit-0.1.0.dist-info/METADATA": "Name: quill-orbit\n"}
                )
            },
            "thin-orbit": {
                "thin_orbit-0.1.0-py3-none-any.whl": _wheel(
                    {"thin_orbit/__init__.py": "", "thin_orbit-0.1.0.dist-info/METADATA": ""}
                )
            },
        },
    )
    write(workdir / "app.py", "import quill_orbit\nfrom thin_orbit import x\nimport requests\n")
    result = depguard("check", "-f", "json", ".")
    missing = next(
        f for f in result.package("quill-orbit")["findings"] if f["id"] == "module-missing"
    )
    assert missing["missing"] == ["quill_orbit"] and missing["severity"] == "high"
    assert missing["wheel"] == "quill_orbit-0.1.0-py3-none-any.whl" and missing["provides"] == []
    assert result.package("quill-orbit")["verdict"] == "block"
    assert "module-missing" not in result.ids("thin-orbit")  # its wheel has the module
    assert registry.count("/simple/requests/") == 0  # popular: no wheel read
    reads = registry.count("/packages/")
    again = depguard("check", "-f", "json", ".")
    assert "module-missing" in again.ids("quill-orbit")
    assert registry.count("/packages/") == reads  # cached by the wheel's hash


def test_module_missing_judges_only_what_it_was_handed() -> None:
    from depguard.imported_modules import listing

    found = listing(
        "w.whl", frozenset({"azure.core", "yaml"}), frozenset({"azure"}), ["azure.core", "PyYAML"]
    )
    assert found.missing == ("PyYAML",) and found.top_level == ("azure", "yaml")
    assert listing("w.whl", frozenset({"yaml"}), frozenset(), ["yaml"]).missing == ()


@pytest.mark.parametrize(
    ("name", "ecosystem", "popular"),
    [
        ("axios-lite", Ecosystem.NPM, "axios"),
        ("node-mysql-orm", Ecosystem.NPM, "mysql"),
        ("eslint-v7", Ecosystem.NPM, "eslint"),
        ("requests-darwin-lite", Ecosystem.PYPI, "requests"),
        ("alembic-aioredis-db-requirements", Ecosystem.PYPI, "alembic"),
        ("fast-httpx", Ecosystem.PYPI, "httpx"),
        ("requestshelper", Ecosystem.PYPI, "requests"),
    ],
)
def test_combinations_name_the_popular_part(name: str, ecosystem: Ecosystem, popular: str) -> None:
    shaped = finding(report(evidence(name, ecosystem=ecosystem)), "name-pattern")
    assert (shaped["similar_to"], shaped["kind"]) == (popular, "combination")


@pytest.mark.parametrize("name", ["flask-kerberos", "pytest-django-x", "marshmallow-cbor"])
def test_plugin_family_naming_is_no_combination(name: str) -> None:
    assert "name-pattern" not in ids(report(evidence(name)))


def test_a_young_combination_with_thin_facts_blocks_with_plain_words() -> None:
    info = replace(recorded("quill-orbit", "alembic-aioredis-db-requirements"), files=None)
    item = report(evidence("alembic-aioredis-db-requirements", info))
    assert item.verdict is Verdict.BLOCK
    assert "with the shape of a hallucinated name" in item.reason
