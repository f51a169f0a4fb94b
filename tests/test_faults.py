"""The fault matrix: what the gate does when the registry misbehaves (issue 7).

Every case runs the real command against a fault-injecting server on 127.0.0.1. The affected
package must get `registry-error` with a one-line reason and block (exit 1), or warn with
`--fail-open`; the unaffected package is still judged; nothing hangs; nothing missing ever
becomes `allow`.
"""

from __future__ import annotations

import gzip
import json
import socket
import struct
from collections.abc import Callable
from pathlib import Path

import pytest

from support import write
from support.registry_server import FIXTURES, Answer, RegistryServer, RequestInfo

FAULTY = "/pypi/six/json"
SIX = (FIXTURES / "pypi" / "json" / "six.json").read_bytes()

pytestmark = pytest.mark.timeout(60)


def reset_mid_body(info: RequestInfo) -> Answer:
    handler = info.handler
    handler.send_response(200)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Content-Length", str(len(SIX)))
    handler.end_headers()
    handler.wfile.write(SIX[:1000])
    handler.wfile.flush()
    handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    handler.connection.close()
    handler.close_connection = True
    return Answer(-1)


def chunked_huge(info: RequestInfo) -> Answer:
    handler = info.handler
    handler.send_response(200)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Transfer-Encoding", "chunked")
    handler.end_headers()
    chunk = b"x" * 65536
    try:
        for _ in range(40):  # 2.5 MiB, no Content-Length
            handler.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        handler.wfile.write(b"0\r\n\r\n")
    except (BrokenPipeError, ConnectionResetError):
        pass
    handler.close_connection = True
    return Answer(-1)


Fault = Callable[[RequestInfo], Answer | None]


def always(answer: Answer) -> Fault:
    return lambda info: answer if info.path == FAULTY else None


def only_six(fault: Fault) -> Fault:
    return lambda info: fault(info) if info.path == FAULTY else None


BOMB = gzip.compress(b"{" + b" " * (4 * 1024 * 1024) + b"}")

CASES: dict[str, tuple[Fault, str, dict[str, str]]] = {
    "500": (always(Answer(500, b"oops")), "HTTP 500", {}),
    "502": (always(Answer(502, b"")), "HTTP 502", {}),
    "503": (always(Answer(503, b"")), "HTTP 503", {}),
    "429 without Retry-After": (always(Answer(429, b"")), "HTTP 429", {}),
    "429 with a long Retry-After": (
        always(Answer(429, b"", {"Retry-After": "3600"})),
        "HTTP 429",
        {},
    ),
    "reset mid-body": (only_six(reset_mid_body), "connection broken", {}),
    "timeout": (None, "timed out", {}),  # set up below: latency on every request of six
    "malformed JSON": (always(Answer(200, b'{"info": {"name": "six"', {})), "invalid JSON", {}),
    "valid JSON of the wrong shape": (always(Answer(200, b"[1, 2, 3]")), "not an object", {}),
    "info of the wrong type": (
        always(Answer(200, b'{"info": "six", "releases": []}')),
        "no 'info' object",
        {},
    ),
    "wrong content type": (
        always(Answer(200, b"<html><body>Sign in</body></html>", {"Content-Type": "text/html"})),
        "text/html",
        {},
    ),
    "larger than the bound (declared)": (None, "larger than", {"max_pypi_bytes": "2000000"}),
    "larger than the bound (chunked)": (
        only_six(chunked_huge),
        "larger than",
        {"max_pypi_bytes": "2000000"},
    ),
    "decompression bomb": (
        always(Answer(200, BOMB, {"Content-Type": "application/json", "Content-Encoding": "gzip"})),
        "larger than",
        {"max_pypi_bytes": "2000000"},
    ),
    "redirect to another host": (
        always(Answer(301, b"", {"Location": "https://evil.example/pypi/six/json"})),
        "another host",
        {},
    ),
    "redirect loop": (always(Answer(302, b"", {"Location": FAULTY})), "redirects", {}),
    "redirect without Location": (always(Answer(302, b"", {})), "Location", {}),
}


def configure(workdir: Path, settings: dict[str, str]) -> None:
    lines = ["timeout = 1.0", "time_budget = 20.0", "retries = 2"]
    lines += [f"{key} = {value}" for key, value in settings.items()]
    write(workdir / "depguard.toml", "\n".join(lines) + "\n")
    write(workdir / "requirements.txt", "six\nidna\n")


@pytest.mark.parametrize("case", list(CASES))
def test_fault_fails_closed(case: str, depguard, registry, workdir: Path) -> None:
    fault, expected, settings = CASES[case]
    configure(workdir, settings)
    if case == "timeout":
        registry.handler = lambda info: (
            (__import__("time").sleep(1.5), None)[1] if info.path == FAULTY else None
        )
    elif case == "larger than the bound (declared)":
        registry.routes[FAULTY] = Answer(200, b"{}", {"Content-Length": "9000000"})
    else:
        registry.handler = fault
    result = depguard("check", "-f", "json")
    assert result.code == 1, result.err
    six = result.package("six")
    assert six["verdict"] == "block"
    assert [f["id"] for f in six["findings"]] == ["registry-error"]
    message = six["findings"][0]["message"]
    assert expected in message and "\n" not in message
    assert result.package("idna")["verdict"] == "allow"  # the rest is still judged
    opened = depguard("check", "-f", "json", "--fail-open")
    assert opened.code == 0 and opened.package("six")["verdict"] == "warn"


def test_connection_refused(depguard, registry, workdir: Path, monkeypatch) -> None:
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()
    monkeypatch.setenv("DEPGUARD_INDEX_URL", f"http://127.0.0.1:{port}")
    configure(workdir, {})
    result = depguard("check", "-f", "json")
    assert result.code == 1
    for name in ("six", "idna"):
        finding = result.package(name)["findings"][0]
        assert finding["id"] == "registry-error" and "cannot connect" in finding["message"]
    assert "registry-error" in depguard("check").out


def test_tls_failure_is_never_retried_into_success(depguard, workdir: Path, monkeypatch) -> None:
    server = RegistryServer(tls=FIXTURES / "tls").start()
    try:
        monkeypatch.setenv("DEPGUARD_INDEX_URL", server.index_url)
        configure(workdir, {})
        result = depguard("check", "-f", "json")
        assert result.code == 1
        finding = result.package("six")["findings"][0]
        assert finding["id"] == "registry-error" and "TLS" in finding["message"]
        # The same server is trusted when its certificate is named as the CA bundle.
        monkeypatch.setenv("DEPGUARD_CA_BUNDLE", str(FIXTURES / "tls" / "cert.pem"))
        trusted = depguard("check", "-f", "json")
        assert trusted.package("six")["verdict"] == "allow"
    finally:
        server.stop()


def test_transient_faults_recover_after_retries(depguard, registry, workdir: Path) -> None:
    calls = {"n": 0}

    def flaky(info: RequestInfo) -> Answer | None:
        if info.path == FAULTY:
            calls["n"] += 1
            if calls["n"] <= 2:
                return Answer(503, b"")
        return None

    registry.handler = flaky
    configure(workdir, {})
    result = depguard("check", "-f", "json")
    assert result.code == 0 and result.package("six")["verdict"] == "allow"
    assert calls["n"] == 3


def test_every_package_failing_is_one_line_each(depguard, registry, workdir: Path) -> None:
    registry.handler = lambda info: Answer(503, b"") if info.path.startswith("/pypi/") else None
    configure(workdir, {})
    out = depguard("check").out
    assert out.count("PyPI could not be asked") == 2
    assert "Traceback" not in out


def test_wrong_shape_fields_do_not_crash(depguard, registry, workdir: Path) -> None:
    document = json.loads(SIX)
    document["info"]["project_urls"] = None
    document["info"]["author"] = ["not", "a", "string"]
    document["ownership"] = {"roles": "nope"}
    document["vulnerabilities"] = {"not": "a list"}
    registry.routes[FAULTY] = Answer(200, json.dumps(document).encode())
    configure(workdir, {})
    result = depguard("check", "-f", "json")
    assert result.package("six")["metadata"]["exists"] is True
    assert result.code == 0


def test_a_server_that_trickles_cannot_hold_the_run(depguard, registry, workdir: Path) -> None:
    import time

    def trickle(info: RequestInfo) -> Answer | None:
        if info.path != FAULTY:
            return None
        handler = info.handler
        handler.send_response(200)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(SIX)))
        handler.end_headers()
        try:
            for byte in SIX[:200]:
                handler.wfile.write(bytes([byte]))
                handler.wfile.flush()
                time.sleep(0.5)  # every read completes well within the read timeout
        except (BrokenPipeError, ConnectionResetError):
            pass
        handler.close_connection = True
        return Answer(-1)

    registry.handler = trickle
    write(workdir / "depguard.toml", "timeout = 2.0\ntime_budget = 6.0\nretries = 0\n")
    write(workdir / "requirements.txt", "six\nidna\n")
    started = time.monotonic()
    result = depguard("check", "-f", "json")
    assert time.monotonic() - started < 20
    assert result.ids("six") == ["registry-error"] and result.code == 1
    assert result.package("idna")["verdict"] == "allow"
