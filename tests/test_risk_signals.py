"""Risk signals and their combination into a verdict, on recorded registry documents."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from depguard.config import Settings, Thresholds
from depguard.model import (
    Downloads,
    Ecosystem,
    LookupStatus,
    NamedIn,
    PackageInfo,
    Severity,
    Verdict,
)

from support.evidence import NOW, evidence, finding, ids, points, recorded, report

DAY = dt.timedelta(days=1)
CREATED = dt.datetime(2026, 5, 29, 0, 5, 16, tzinfo=dt.timezone.utc)  # reqeusts.json, first upload


def test_young_look_alike_is_blocked_with_a_readable_reason() -> None:
    item = report(evidence("reqeusts", recorded("reqeusts")), now=CREATED + 4 * DAY)
    assert item.verdict is Verdict.BLOCK
    assert ids(item)[:3] == ["typosquat", "recently-created", "weak-signals"]
    assert item.reason == (
        "imitates `requests` (transposed letters); created 4 days ago; weak signals "
        "together: young, 1 release, no repository, one maintainer, with a look-alike name"
    )
    squat = finding(item, "typosquat")
    assert squat["similar_to"] == "requests" and squat["kind"] == "transposition"
    assert squat["similar_to_rank"] == 7 and squat["severity"] == "medium"
    assert points(item, "recently-created") == 40  # under a week: stronger
    assert "weight" not in squat  # the policy's, never the evidence's


def test_the_same_look_alike_a_year_later_is_still_blocked_age_is_not_use() -> None:
    item = report(evidence("reqeusts", recorded("reqeusts")), now=CREATED + 400 * DAY)
    squat = finding(item, "typosquat")
    assert squat["severity"] == "medium" and points(item, "typosquat") == 45
    assert "recently-created" not in ids(item)
    assert item.verdict is Verdict.BLOCK
    assert "weak signals together: no usage figure, 1 release" in item.reason
    used = report(
        evidence("reqeusts", recorded("reqeusts"), downloads=Downloads(80_000, "PyPI API")),
        now=CREATED + 400 * DAY,
    )
    squat = finding(used, "typosquat")
    assert squat["severity"] == "low" and points(used, "typosquat") == 10
    assert squat["established"] is True and "80,000 downloads last month" in squat["message"]
    assert used.verdict is Verdict.ALLOW


def test_a_real_lookalike_with_a_history_only_informs() -> None:
    # httpx2: the pydantic organization's fork of httpx, six months old, 24 releases
    item = report(evidence("httpx2", recorded("httpx2")))
    assert ids(item) == ["typosquat"]
    assert finding(item, "typosquat")["message"] == (
        "resembles `httpx` (added or dropped affix); a maintained project (24 releases, "
        "a repository)"
    )
    assert item.verdict is Verdict.ALLOW and points(item, "typosquat") == 10


def test_unknown_metadata_still_warns_on_a_look_alike() -> None:
    offline = report(evidence("reqeusts"))
    assert ids(offline) == ["typosquat", "unverified"]
    assert offline.verdict is Verdict.WARN and offline.risk == 45
    failed = report(evidence("reqeusts", status=LookupStatus.ERROR))
    assert failed.verdict is Verdict.BLOCK  # fail closed; the name finding is still there
    assert "typosquat" in ids(failed)


def test_popular_and_peer_false_positive_names_raise_nothing_by_name() -> None:
    for name in ("grpcio", "sympy", "jedi", "bleach", "lark", "moto", "authlib", "psycopg"):
        assert not {"typosquat", "name-pattern", "stdlib-name"} & set(ids(report(evidence(name))))


def test_popular_packages_get_no_weak_metadata_findings() -> None:
    item = report(evidence("six", recorded("six")))
    assert ids(item) == [] and item.verdict is Verdict.ALLOW


def test_hallucination_shape_young_blocks_old_informs() -> None:
    info = replace(recorded("runcost-ai", "requests-helper"), name="requests-helper")
    created = info.created
    assert created is not None
    young = report(evidence("requests-helper", info), now=created + 10 * DAY)
    shaped = finding(young, "name-pattern")
    assert shaped["similar_to"] == "requests" and shaped["word"] == "-helper"
    assert shaped["severity"] == "medium" and points(young, "name-pattern") == 40
    assert young.verdict is Verdict.BLOCK  # young + hallucination shape
    old = report(evidence("requests-helper", info), now=created + 800 * DAY)
    assert points(old, "name-pattern") == 20  # old but not used: age alone is nothing
    assert old.verdict is Verdict.ALLOW  # 16 releases, a repository: not thin
    used = report(
        evidence("requests-helper", info, downloads=Downloads(60_000, "PyPI API")),
        now=created + 800 * DAY,
    )
    assert points(used, "name-pattern") == 5
    unknown = report(evidence("requests-helper"))
    assert points(unknown, "name-pattern") == 20


def test_name_pattern_leaves_look_alikes_to_typosquat() -> None:
    item = report(evidence("numpy-utils"))
    assert "name-pattern" in ids(item) and "typosquat" not in ids(item)  # numpy is a family
    assert "name-pattern" not in ids(report(evidence("requests-python")))


@pytest.mark.parametrize(
    ("name", "ecosystem", "flagged"),
    [
        ("urllib", Ecosystem.PYPI, True),
        ("crypt", Ecosystem.PYPI, True),
        ("ConfigParser", Ecosystem.PYPI, False),  # a popular backport on PyPI
        ("urllib2", Ecosystem.PYPI, True),
        ("dataclasses", Ecosystem.PYPI, False),
        ("typing", Ecosystem.PYPI, False),
        ("argparse", Ecosystem.PYPI, False),
        ("worker_threads", Ecosystem.NPM, True),
        ("perf_hooks", Ecosystem.NPM, True),
        ("fs", Ecosystem.NPM, False),  # npm's own security placeholder: popular by data
        ("events", Ecosystem.NPM, False),  # the popular browser shim
        ("requests", Ecosystem.PYPI, False),
    ],
)
def test_stdlib_names(name: str, ecosystem: Ecosystem, flagged: bool) -> None:
    item = report(evidence(name, ecosystem=ecosystem))
    assert ("stdlib-name" in ids(item)) is flagged


def test_stdlib_name_only_for_manifest_references() -> None:
    assert "stdlib-name" not in ids(report(evidence("crypt", named_in=NamedIn.IMPORT)))
    missing = report(evidence("urllib", status=LookupStatus.NOT_FOUND))
    assert ids(missing)[:2] == ["not-found", "stdlib-name"]
    assert "remove it from the manifest" in finding(missing, "stdlib-name")["message"]


def test_not_found_suggests_what_was_meant() -> None:
    item = report(evidence("pythn-dateutil", status=LookupStatus.NOT_FOUND))
    missing = finding(item, "not-found")
    assert missing["message"] == "does not exist on PyPI — did you mean `python-dateutil`?"
    assert missing["suggestions"][0] == "python-dateutil"
    assert ids(item) == ["not-found"]  # the typosquat finding would only repeat it
    shaped = finding(
        report(evidence("requests-helper", status=LookupStatus.NOT_FOUND)), "not-found"
    )
    assert shaped["suggestions"] == ["requests"]  # the popular name a hallucination was built on
    bare = finding(
        report(evidence("zzqx-nothing-like-it", status=LookupStatus.NOT_FOUND)), "not-found"
    )
    assert bare["message"] == "does not exist on PyPI" and bare["suggestions"] == []


def _info(**changes: object) -> PackageInfo:
    return replace(recorded("runcost-ai"), **changes)  # type: ignore[arg-type]


def test_metadata_signals_fire_on_known_values_only() -> None:
    weak = _info(releases=1, repository=None, has_description=False)
    item = report(evidence("runcost-ai", weak, downloads=Downloads(212, "PyPI downloads API")))
    assert set(ids(item)) >= {
        "few-releases",
        "no-repository",
        "empty-description",
        "low-downloads",
        "single-maintainer",
    }
    assert finding(item, "low-downloads")["message"] == "212 downloads last month"
    unknown = _info(
        releases=None, has_description=None, maintainers=None, created=None, latest_release=None
    )
    quiet = report(evidence("runcost-ai", unknown))
    assert ids(quiet) == []  # unknown is never a risk: no count, no date, no list


def test_single_maintainer_needs_account_data() -> None:
    from_metadata = _info(maintainers=("Jane Doe",), maintainers_source="metadata")
    assert "single-maintainer" not in ids(report(evidence("runcost-ai", from_metadata)))
    organization = _info(organization="someorg")
    assert "single-maintainer" not in ids(report(evidence("runcost-ai", organization)))


def test_recently_created_thresholds() -> None:
    info = recorded("runcost-ai")
    assert info.created is not None
    assert "recently-created" not in ids(
        report(evidence("runcost-ai", info), now=info.created + 31 * DAY)
    )
    month = finding(
        report(evidence("runcost-ai", info), now=info.created + 12 * DAY), "recently-created"
    )
    assert month["message"] == "created 12 days ago"
    assert (
        points(
            report(evidence("runcost-ai", info), now=info.created + 12 * DAY), "recently-created"
        )
        == 30
    )
    custom = Settings(thresholds=Thresholds(recent_days=60))
    later = report(evidence("runcost-ai", info), now=info.created + 40 * DAY, settings=custom)
    assert "recently-created" in ids(later)


def test_same_owner_softens_a_match() -> None:
    info = _info(name="requestss", repository="https://github.com/requests/requestss-extras")
    item = report(evidence("requestss", info), now=info.created + 10 * DAY if info.created else NOW)
    squat = finding(item, "typosquat")
    assert squat["severity"] == "low" and points(item, "typosquat") == 5
    assert squat["same_owner"] == "requests/requestss-extras"
    copied = _info(name="requestss", repository="https://github.com/psf/requests")
    assert finding(report(evidence("requestss", copied)), "typosquat")["severity"] == "medium"


def test_popularity_ratio_guard_with_a_known_count() -> None:
    # djangp is one key from django; with 10 million downloads of its own it is no squat of it
    busy = report(evidence("djangp", downloads=Downloads(10_000_000, "PyPI downloads API")))
    assert "typosquat" not in ids(busy)
    quiet = report(evidence("djangp", downloads=Downloads(20, "PyPI downloads API")))
    assert finding(quiet, "typosquat")["similar_to"] == "django"


def test_configured_weights_and_thresholds_change_the_verdict() -> None:
    strict = Settings(weights={"typosquat": 70})
    assert report(evidence("reqeusts"), settings=strict).verdict is Verdict.BLOCK
    lenient = Settings(thresholds=Thresholds(warn_score=50, block_score=90))
    assert report(evidence("reqeusts"), settings=lenient).risk == 45


def test_npm_names_are_judged_by_name_alone() -> None:
    item = report(evidence("lodahs", ecosystem=Ecosystem.NPM))
    assert finding(item, "typosquat")["similar_to"] == "lodash"
    assert item.verdict is Verdict.WARN
    scoped = report(evidence("@lodash/lodash", ecosystem=Ecosystem.NPM))
    assert finding(scoped, "typosquat")["kind"] == "scope"
    assert "typosquat" not in ids(report(evidence("@types/node", ecosystem=Ecosystem.NPM)))
    npm_info = PackageInfo(Ecosystem.NPM, "lodahs", True, created=NOW - 2 * DAY, releases=1)
    young = report(evidence("lodahs", npm_info, ecosystem=Ecosystem.NPM))
    assert young.verdict is Verdict.BLOCK
    unknown_created = replace(npm_info, created=None)  # the mirror omitted time.created
    assert "recently-created" not in ids(
        report(evidence("lodahs", unknown_created, ecosystem=Ecosystem.NPM))
    )


def test_findings_carry_their_weight() -> None:
    item = report(evidence("reqeusts"))
    assert points(item, "typosquat") == 45 and "weight" not in finding(item, "typosquat")
    assert Severity(finding(item, "typosquat")["severity"]) is Severity.MEDIUM
