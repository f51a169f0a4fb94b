"""Registry behaviour through the loopback server: downloads, status, errors, limits."""

from __future__ import annotations

import json
import time
from pathlib import Path

from support import write
from support.registry_server import Answer


def test_pinned_version_vulnerabilities_from_the_version_document(
    depguard, registry, workdir: Path
) -> None:
    write(workdir / "requirements.txt", "requests==2.31.0\n")
    result = depguard("check", "-f", "json")
    finding = next(f for f in result.package("requests")["findings"] if f["id"] == "vulnerable")
    assert finding["vulnerabilities_of"] == "version" and finding["version"] == "2.31.0"
    assert {v["id"] for v in finding["vulnerabilities"]} == {
        "GHSA-9wx4-h78v-vm56",
        "GHSA-9hjg-9r4m-mvj7",
    }
    assert registry.count("/pypi/requests/2.31.0/json") == 1


def test_index_without_version_documents_is_probed_once(depguard, registry, workdir: Path) -> None:
    write(workdir / "requirements.txt", "requests==2.28.0\nidna==3.4\nsix==1.15.0\n")
    depguard("check")
    version_requests = [r for r in registry.requests if r.count("/") == 4]
    assert len(version_requests) == 1  # one 404 for an existing version: not served here
    registry.requests.clear()
    write(workdir / "requirements.txt", "requests==2.27.0\n")
    depguard("check")
    assert [r for r in registry.requests if r.count("/") == 4] == []  # remembered


def test_live_downloads_for_packages_outside_the_snapshot(
    depguard, registry, workdir: Path
) -> None:
    write(workdir / "requirements.txt", "runcost-ai\nsix\nfast-mail-parser-ng\n")
    result = depguard("check", "-f", "json")
    runcost = result.package("runcost-ai")["metadata"]
    assert runcost["downloads_last_month"] == 212
    assert "downloads API" in runcost["downloads_source"]
    six = result.package("six")["metadata"]
    assert six["downloads_source"].startswith("snapshot") and six["downloads_last_month"] > 10**6
    unknown = result.package("fast-mail-parser-ng")["metadata"]
    assert unknown["downloads_last_month"] is None  # unknown, never zero
    assert registry.count("/pypistats/packages/six/") == 0


def test_downloads_api_down_falls_back_to_the_snapshot(
    depguard, registry, workdir: Path, monkeypatch
) -> None:
    monkeypatch.setenv("DEPGUARD_PYPISTATS_URL", "http://127.0.0.1:9/pypistats")
    write(workdir / "requirements.txt", "runcost-ai\nsix\n")
    result = depguard("check", "-f", "json")
    assert result.package("runcost-ai")["metadata"]["downloads_last_month"] is None
    assert result.package("six")["metadata"]["downloads_last_month"] > 10**6
    assert any("download counts" in n for n in result.json["notices"])
    assert result.code == 0


def test_quarantined_project_is_blocked(depguard, registry, workdir: Path) -> None:
    body = json.dumps(
        {
            "files": [],
            "meta": {"api-version": "1.4", "_last-serial": 1},
            "name": "evil-pkg",
            "project-status": {"status": "quarantined"},
            "versions": [],
        }
    ).encode()
    registry.routes["/simple/evil-pkg/"] = Answer(
        200, body, {"Content-Type": "application/vnd.pypi.simple.v1+json"}
    )
    write(workdir / "requirements.txt", "evil-pkg\n")
    result = depguard("check", "-f", "json")
    assert result.ids("evil-pkg") == ["quarantined"]
    assert result.package("evil-pkg")["verdict"] == "block"


def test_archived_status_from_html_simple_page(depguard, registry, workdir: Path) -> None:
    page = (
        b'<!DOCTYPE html><html><head><meta name="pypi:repository-version" content="1.4">'
        b'<meta name="pypi:project-status" content="archived">'
        b'<meta name="pypi:project-status-reason" content="moved to &quot;pillow&quot;">'
        b"</head><body></body></html>"
    )
    registry.routes["/simple/pil/"] = Answer(
        200, page, {"Content-Type": "application/vnd.pypi.simple.v1+html"}
    )
    write(workdir / "requirements.txt", "PIL\n")
    findings = depguard("check", "-f", "json").package("pil")["findings"]
    finding = next(f for f in findings if f["id"] == "archived")  # PIL is also an import name
    assert 'moved to "pillow"' in finding["message"]


def test_project_status_flag_asks_for_every_package(depguard, registry, workdir: Path) -> None:
    write(workdir / "requirements.txt", "six\nrequests\n")
    depguard("check")
    assert registry.count("/simple/") == 0  # by default only 404s are asked about
    body = json.dumps(
        {
            "meta": {"api-version": "1.4"},
            "name": "six",
            "files": [],
            "project-status": {"status": "deprecated", "reason": "Python 2 is gone"},
            "versions": [],
        }
    ).encode()
    registry.routes["/simple/six/"] = Answer(
        200, body, {"Content-Type": "application/vnd.pypi.simple.v1+json"}
    )
    result = depguard("check", "--project-status", "--refresh", "-f", "json")
    assert registry.count("/simple/") == 2
    assert result.ids("six") == ["deprecated"]
    assert "Python 2 is gone" in result.package("six")["findings"][0]["message"]
    assert result.package("requests")["verdict"] == "allow"  # the mirror's page has no marker


def test_registry_error_fails_closed(depguard, registry, workdir: Path) -> None:
    registry.routes["/pypi/six/json"] = Answer(500, b"boom")
    write(workdir / "requirements.txt", "six\nidna\n")
    result = depguard("check", "-f", "json", "--timeout", "2")
    assert result.code == 1
    assert (
        result.ids("six") == ["registry-error"]
        and "HTTP 500" in result.package("six")["findings"][0]["message"]
    )
    assert result.package("idna")["verdict"] == "allow"
    assert registry.count("/pypi/six/json") == 4  # first try and three retries
    open_result = depguard("check", "-f", "json", "--fail-open")
    assert open_result.code == 0 and open_result.package("six")["verdict"] == "warn"


def test_retry_after_is_honoured(depguard, registry, workdir: Path) -> None:
    calls: list[float] = []

    def handler(info):
        if info.path == "/pypi/six/json":
            calls.append(time.monotonic())
            if len(calls) == 1:
                return Answer(429, b"", {"Retry-After": "1"})
        return None

    registry.handler = handler
    write(workdir / "requirements.txt", "six\n")
    result = depguard("check", "-f", "json")
    assert result.package("six")["verdict"] == "allow"
    assert len(calls) == 2 and calls[1] - calls[0] >= 0.9


def test_concurrency_is_bounded(depguard, registry, workdir: Path) -> None:
    registry.latency = 0.05
    names = [f"missing-package-{i}" for i in range(40)]
    write(workdir / "requirements.txt", "\n".join(names) + "\n")
    depguard("check")
    assert 1 < registry.max_in_flight <= 16
    registry.max_in_flight = 0
    depguard("check", "--refresh", "--concurrency", "4")
    assert registry.max_in_flight <= 4


def test_response_size_is_bounded(depguard, registry, workdir: Path) -> None:
    write(workdir / "depguard.toml", "max_pypi_bytes = 1000\n")
    write(workdir / "requirements.txt", "requests\n")
    result = depguard("check", "-f", "json")
    assert result.ids("requests") == ["registry-error"]
    assert "larger than" in result.package("requests")["findings"][0]["message"]


def test_redirects_only_to_the_same_host(depguard, registry, workdir: Path) -> None:
    registry.routes["/pypi/six/json"] = Answer(302, b"", {"Location": "/pypi/idna/json"})
    registry.routes["/pypi/flask/json"] = Answer(
        302, b"", {"Location": "https://elsewhere.example/pypi/flask/json"}
    )
    write(workdir / "requirements.txt", "six\nflask\n")
    result = depguard("check", "-f", "json")
    assert result.package("six")["verdict"] == "allow"
    assert result.ids("flask") == ["registry-error"]
    assert "another host" in result.package("flask")["findings"][0]["message"]


def test_not_json_is_a_registry_error(depguard, registry, workdir: Path) -> None:
    registry.routes["/pypi/six/json"] = Answer(
        200, b"<html>login</html>", {"Content-Type": "text/html"}
    )
    write(workdir / "requirements.txt", "six\n")
    result = depguard("check", "-f", "json")
    assert result.ids("six") == ["registry-error"]
    assert "text/html" in result.package("six")["findings"][0]["message"]


def test_registry_is_never_asked_for_direct_references(depguard, registry, workdir: Path) -> None:
    write(workdir / "requirements.txt", "thing @ https://example.com/thing-1.0.tar.gz\n")
    depguard("check")
    assert registry.requests == []


def test_time_budget_stops_a_slow_registry(depguard, registry, workdir: Path) -> None:
    registry.latency = 3
    write(workdir / "depguard.toml", "time_budget = 1.0\ntimeout = 0.5\n")
    write(workdir / "requirements.txt", "six\n")
    started = time.monotonic()
    result = depguard("check", "-f", "json")
    assert time.monotonic() - started < 3
    assert result.ids("six") == ["registry-error"] and result.code == 1
