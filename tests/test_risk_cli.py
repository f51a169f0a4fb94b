"""The risk engine end to end: `depguard check` against the loopback registry and offline."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from depguard.config import resolve_settings
from depguard.pipeline import RunOptions, check
from depguard.report.text import _reason, render_plain

from support import write


def test_offline_still_reports_name_findings(depguard, registry, workdir: Path) -> None:
    write(workdir / "requirements.txt", "reqeusts\nrequests-helper\nflask\nurllib\n")
    result = depguard("check", "--offline", "-f", "json")
    assert registry.requests == []
    assert result.ids("reqeusts") == ["typosquat", "unverified"]
    squat = result.package("reqeusts")["findings"][0]
    assert (squat["similar_to"], squat["kind"], squat["confusion"]) == (
        "requests",
        "transposition",
        "transposed letters",
    )
    assert result.package("reqeusts")["verdict"] == "warn"  # unknown metadata: at least warned
    assert sorted(result.ids("requests-helper")) == ["name-pattern", "unverified"]
    assert result.ids("flask") == ["unverified"]
    assert "stdlib-name" in result.ids("urllib")


def test_registered_look_alike_is_blocked_with_its_reason(
    depguard, registry, workdir: Path
) -> None:
    write(workdir / "requirements.txt", "requests\nreqeusts\n")
    result = depguard("check")
    assert result.code == 1
    line = next(row for row in result.out.splitlines() if "reqeusts" in row)
    assert line.startswith("BLOCK")
    assert "imitates `requests` (transposed letters); weak signals together: " in line
    doc = depguard("check", "-f", "json").json
    package = next(p for p in doc["packages"] if p["name"] == "reqeusts")
    kinds = {f["id"]: f for f in package["findings"]}
    assert kinds["typosquat"]["similar_to_rank"] == 7
    assert kinds["few-releases"]["releases"] == 1
    assert package["risk"] >= 70


def test_missing_name_gets_did_you_mean(depguard, registry, workdir: Path) -> None:
    write(workdir / "requirements.txt", "reqests\n")
    result = depguard("check")
    assert "does not exist on PyPI — did you mean `requests`?" in result.out
    doc = depguard("check", "-f", "json")
    missing = doc.package("reqests")["findings"][0]
    assert missing["id"] == "not-found" and missing["suggestions"][0] == "requests"


def test_peers_false_positives_stay_quiet(depguard, registry, workdir: Path) -> None:
    names = ["grpcio", "gradio", "sympy", "numpy", "jedi", "redis", "bleach", "black", "lark"]
    names += ["flask", "moto", "boto3", "authlib", "oauthlib", "psycopg", "psycopg2"]
    write(workdir / "requirements.txt", "\n".join(names) + "\n")
    result = depguard("check", "--offline", "-f", "json")
    for package in result.json["packages"]:
        assert result.ids(package["name"]) == ["unverified"], package["name"]


def test_weights_are_configurable(depguard, registry, workdir: Path) -> None:
    write(workdir / "requirements.txt", "reqeusts\nhttpx2\n")
    plain = depguard("check", "-f", "json")
    write(workdir / "pyproject.toml", "[tool.depguard.weights]\ntyposquat = 45\n")
    same = depguard("check", "-f", "json")  # the default, configured: nothing changes
    for name in ("reqeusts", "httpx2"):
        assert same.package(name)["risk"] == plain.package(name)["risk"], name
    assert plain.package("httpx2")["risk"] == 10  # a maintained look-alike only informs
    write(workdir / "pyproject.toml", "[tool.depguard.weights]\ntyposquat = 90\n")
    assert depguard("check", "--offline", "-f", "json").package("reqeusts")["verdict"] == "block"
    assert depguard("check", "-f", "json").package("httpx2")["risk"] == 20  # scaled: 10 x 2
    write(
        workdir / "pyproject.toml",
        "[tool.depguard]\nwarn_score = 50\n[tool.depguard.severity]\ntyposquat = 'info'\n",
    )
    assert depguard("check", "-f", "json").package("httpx2")["verdict"] == "allow"


def test_young_look_alike_reason_with_its_age(env, registry, workdir: Path) -> None:
    write(workdir / "requirements.txt", "reqeusts\n")
    settings = resolve_settings(config=None, start=workdir, environ=env)
    now = dt.datetime(2026, 6, 2, 12, tzinfo=dt.timezone.utc)  # four days after the upload
    report = check(RunOptions(paths=["requirements.txt"]), settings, now=now)
    assert _reason(report.packages[0]).startswith(
        "imitates `requests` (transposed letters); created 4 days ago; weak signals "
        "together: young, 1 release, no repository, one maintainer, with a look-alike name"
    )
    assert report.packages[0].verdict.value == "block"
    assert "BLOCK" in render_plain(report)


def test_npm_manifest_names_are_judged_offline(depguard, registry, workdir: Path) -> None:
    write(
        workdir / "package.json",
        '{"name": "app", "version": "1.0.0", "dependencies": '
        '{"lodahs": "^1.0.0", "types-node": "*", "@types/node": "*", "worker_threads": "*"}}\n',
    )
    result = depguard("check", "--offline", "-f", "json", "package.json")
    squat = next(f for f in result.package("lodahs")["findings"] if f["id"] == "typosquat")
    assert (squat["similar_to"], squat["kind"]) == ("lodash", "transposition")
    scope = next(f for f in result.package("types-node")["findings"] if f["id"] == "typosquat")
    assert (scope["similar_to"], scope["kind"]) == ("@types/node", "scope")
    assert "typosquat" not in result.ids("@types/node")
    assert "stdlib-name" in result.ids("worker_threads")
