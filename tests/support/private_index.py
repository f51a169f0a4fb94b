"""A real private Python index for tests: pypiserver (from PyPI) serving wheels written here.

Wheels are written directly as zip files from a tiny source tree described in the test (no
build backend, nothing executed). pypiserver runs as a subprocess on 127.0.0.1 with its
fallback to the public index disabled, optionally behind HTTP basic auth (an htpasswd file).
"""

from __future__ import annotations

import base64
import copy
import hashlib
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import zipfile
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


def write_wheel(
    directory: Path,
    name: str,
    version: str,
    *,
    files: dict[str, str] | None = None,
    summary: str = "An internal package",
    home_page: str | None = None,
) -> Path:
    """A valid, pure-Python wheel for ``name`` ``version`` with ``files`` (path -> text)."""
    dist = name.replace("-", "_")
    info = f"{dist}-{version}.dist-info"
    metadata = f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\nSummary: {summary}\n"
    if home_page:
        metadata += f"Home-page: {home_page}\n"
    members = dict(files or {f"{dist}/__init__.py": f'__version__ = "{version}"\n'})
    members[f"{info}/METADATA"] = metadata
    members[f"{info}/WHEEL"] = (
        "Wheel-Version: 1.0\nGenerator: depguard-tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    )
    record = []
    for path, text in members.items():
        digest = hashlib.sha256(text.encode()).digest()
        encoded = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
        record.append(f"{path},sha256={encoded},{len(text.encode())}")
    record.append(f"{info}/RECORD,,")
    members[f"{info}/RECORD"] = "\n".join(record) + "\n"
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / f"{dist}-{version}-py3-none-any.whl"
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, text in members.items():
            archive.writestr(path, text)
    return target


def pypiserver_command() -> list[str] | None:
    """How to start pypiserver from this environment, or None when it is not installed."""
    import importlib.util

    if importlib.util.find_spec("pypiserver") is None:
        return None
    return [sys.executable, "-m", "pypiserver"]


class PyPIServer:
    """``pypi-server run`` on a free loopback port over ``packages``."""

    def __init__(self, packages: Path, *, users: dict[str, str] | None = None) -> None:
        command = pypiserver_command()
        if command is None:
            raise RuntimeError("pypiserver is not installed (pip install -e '.[test]')")
        self.packages = packages
        packages.mkdir(parents=True, exist_ok=True)
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.base = f"http://127.0.0.1:{self.port}"
        args = [
            *command,
            "run",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--disable-fallback",
            "--server",
            "wsgiref",
        ]
        if users:
            # Apache's {SHA} scheme, which pypiserver reads through passlib
            htpasswd = packages.parent / f"htpasswd-{self.port}"
            htpasswd.write_text(
                "".join(
                    f"{user}:{{SHA}}{base64.b64encode(hashlib.sha1(pw.encode()).digest()).decode()}\n"
                    for user, pw in users.items()
                )
            )
            args += ["--passwords", str(htpasswd), "--authenticate", "download,list,update"]
        else:
            args += ["--passwords", ".", "--authenticate", "."]
        args.append(str(packages))
        self.log = packages.parent / f"pypiserver-{self.port}.log"
        self._log_handle = self.log.open("wb")
        self.process = subprocess.Popen(
            args, stdout=self._log_handle, stderr=subprocess.STDOUT, env=_clean_env()
        )
        self._wait(users)

    @property
    def simple(self) -> str:
        return f"{self.base}/simple/"

    def _wait(self, users: dict[str, str] | None) -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"pypiserver exited: {self.log.read_text(errors='replace')}")
            try:
                with urllib.request.urlopen(f"{self.base}/health", timeout=1):
                    return
            except urllib.error.HTTPError:
                return  # answering (an auth-protected page says 401): up
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("pypiserver did not start within 30 s")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._log_handle.close()


def _clean_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith(("DEPGUARD_", "PIP_"))}


def public_project(name: str, **info: Any) -> bytes:
    """A PyPI JSON document for ``name`` in the real format (the recorded six document, renamed
    and with the given ``info`` fields, ``maintainers`` as ownership roles)."""
    document = json.loads((FIXTURES / "pypi" / "json" / "six.json").read_bytes())
    document = copy.deepcopy(document)
    maintainers = info.pop("maintainers", ["mallory"])
    document["info"].update({"name": name, **info})
    document["ownership"] = {
        "organization": None,
        "roles": [{"role": "Owner", "user": user} for user in maintainers],
    }
    return json.dumps(document).encode()
