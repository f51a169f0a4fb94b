"""How long resolving a typical web service takes, beside pip resolving the same, in one run.

    python benchmarks/resolve_speed.py                 # loopback index, 50 ms per request
    python benchmarks/resolve_speed.py --latency 0.1 --runs 5

The requirements: FastAPI, SQLAlchemy, Celery, Redis and Pydantic (with the extras a web
service usually takes). The loopback index serves the live index's real answers: PEP 691
project pages, the wheels' core-metadata files (PEP 658), project documents, and files for
pip; each is recorded once from the live index into benchmarks/.data/resolve/ (not committed)
the first time a run asks for it. Pages are served as the index itself writes them, with
``core-metadata`` on wheels (the mirror reachable here leaves it out; pip needs it to resolve
without downloading wheels), and every request waits ``--latency`` seconds.

Figures are wall times of whole processes (start-up, imports, network, output), medians:

* ``depguard resolve``: ``python -m depguard.resolver REQS`` (resolution only), cold (empty
  cache) and warm (the same cache again);
* ``depguard check --resolve``: resolution and judging of every package (project documents,
  signals, report), cold and warm;
* ``pip``: ``pip install --dry-run --ignore-installed --report`` of the same requirements
  against the same loopback index, cold (no pip cache) and warm (pip's HTTP cache kept).

Targets (issue 11): resolution cold < 3 s and warm < 0.5 s.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from io import BytesIO
from pathlib import Path
from urllib.parse import unquote

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATA = HERE / ".data" / "resolve"
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "src"))

from depguard import endpoints  # noqa: E402

from support.registry_server import Answer, RegistryServer, RequestInfo  # noqa: E402

REQUIREMENTS = [
    "fastapi[standard]",
    "sqlalchemy[asyncio]",
    "celery[redis]",
    "redis",
    "pydantic[email]",
]
BASE = b"{LOOPBACK}"
SIMPLE_JSON = "application/vnd.pypi.simple.v1+json"


class Recorder:
    """Answers from benchmarks/.data/resolve/, recording what is missing from the live index."""

    def __init__(self, recording: bool) -> None:
        self.recording = recording
        self.base = b""
        self.missed: list[str] = []
        self._memory: dict[Path, bytes] = {}
        self._lock = threading.Lock()
        self._client: object = None

    def _http(self):  # type: ignore[no-untyped-def]
        import httpx

        with self._lock:
            if self._client is None:
                self._client = httpx.Client(timeout=120, follow_redirects=True)
            return self._client

    def _stored(self, path: Path, fetch) -> bytes | None:  # type: ignore[no-untyped-def]
        if path in self._memory:
            return self._memory[path]
        if not path.is_file():
            if not self.recording:
                self.missed.append(path.name)
                return None
            body = fetch()
            if body is None:
                return None
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(body)
        body = path.read_bytes()
        self._memory[path] = body
        return body

    def serve(self, info: RequestInfo) -> Answer | None:
        parts = [unquote(p) for p in info.path.strip("/").split("/")]
        if len(parts) == 2 and parts[0] == "simple":
            body = self._stored(DATA / "simple" / f"{parts[1]}.json", lambda: self._page(parts[1]))
            if body is None:
                return Answer(404, b"", {})
            return Answer(200, body.replace(BASE, self.base), {"Content-Type": SIMPLE_JSON})
        if len(parts) == 3 and parts[0] == "pypi" and parts[2] == "json":
            body = self._stored(
                DATA / "json" / f"{parts[1]}.json",
                lambda: self._get(f"{endpoints.PYPI_INDEX}/pypi/{parts[1]}/json"),
            )
            return Answer(200, body) if body is not None else Answer(404, b"", {})
        if parts[0] == "packages":
            upstream = f"{endpoints.PYPI_FILES}/{'/'.join(parts)}"
            name = parts[-1]
            if name.endswith(".metadata"):
                body = self._stored(DATA / "metadata" / name, lambda: self._metadata(upstream))
            else:
                body = self._stored(DATA / "files" / name, lambda: self._get(upstream))
            if body is None:
                return Answer(404, b"", {})
            return Answer(200, body, {"Content-Type": "application/octet-stream"})
        return Answer(404, b"", {})

    def _get(self, url: str) -> bytes | None:
        response = self._http().get(url)
        return response.content if response.status_code == 200 else None

    def _page(self, name: str) -> bytes | None:
        response = self._http().get(
            f"{endpoints.PYPI_INDEX}/simple/{name}/", headers={"Accept": SIMPLE_JSON}
        )
        if response.status_code != 200:
            return None
        document = response.json()
        for item in document.get("files", []):
            item["url"] = re.sub(r"^https?://[^/]+", BASE.decode(), item["url"])
            if item["filename"].endswith(".whl"):
                item["core-metadata"] = True
                item["data-dist-info-metadata"] = True
        return json.dumps(document).encode()

    def _metadata(self, upstream_metadata: str) -> bytes | None:
        body = self._get(upstream_metadata)
        if body is not None:
            return body
        wheel = self._get(upstream_metadata.removesuffix(".metadata"))
        if wheel is None:
            return None
        with zipfile.ZipFile(BytesIO(wheel)) as archive:
            for member in archive.namelist():
                if member.count("/") == 1 and member.endswith(".dist-info/METADATA"):
                    return archive.read(member)
        return None


def timed(command: list[str], env: dict[str, str]) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"{command[:4]} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return elapsed, done.stdout


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    recorder = Recorder(recording=True)
    server = RegistryServer(fixtures=DATA).start()
    recorder.base = server.base.encode()
    server.handler = recorder.serve
    python = sys.executable
    scratch = Path(tempfile.mkdtemp(prefix="depguard-resolve-bench-"))
    project = scratch / "project"
    project.mkdir()
    (project / "requirements.txt").write_text("\n".join(REQUIREMENTS) + "\n")
    base_env = {k: v for k, v in os.environ.items() if not k.startswith(("DEPGUARD_", "PIP_"))}
    base_env.update(server.env())
    base_env["PIP_CONFIG_FILE"] = os.devnull
    base_env["NO_COLOR"] = "1"

    def depguard_resolve(cache: Path) -> list[str]:
        return [python, "-m", "depguard.resolver", "--min-release-age", "0", *REQUIREMENTS]

    def env_for(cache: Path) -> dict[str, str]:
        return {**base_env, "DEPGUARD_CACHE_DIR": str(cache)}

    check = [
        python, "-m", "depguard", "check", "--resolve", "--no-imports",
        "--min-release-age", "0", "requirements.txt",
    ]  # fmt: skip

    def pip(cache: Path | None) -> list[str]:
        caching = ["--cache-dir", str(cache)] if cache else ["--no-cache-dir"]
        return [
            python, "-m", "pip", "install", "--isolated", "--dry-run", "--ignore-installed",
            "--quiet", "--disable-pip-version-check", "--index-url", f"{server.base}/simple",
            *caching, "--report", "-", *REQUIREMENTS,
        ]  # fmt: skip

    os.chdir(project)
    try:
        # Recording pass (no latency): fills benchmarks/.data/resolve/ from the live index.
        _, ours = timed(depguard_resolve(scratch / "record"), env_for(scratch / "record"))
        timed(check, env_for(scratch / "record"))
        _, report = timed(pip(None), base_env)
        recorder.recording = False
        server.latency = args.latency
        pip_set = {
            (re.sub(r"[-_.]+", "-", i["metadata"]["name"]).lower(), i["metadata"]["version"])
            for i in json.loads(report)["install"]
        }
        our_set = {
            tuple(line.split("#")[0].strip().split("=="))
            for line in ours.splitlines()
            if "==" in line
        }
        figures: dict[str, list[float]] = {}
        for run in range(args.runs):
            cache = scratch / f"cache{run}"
            pip_cache = scratch / f"pip-cache{run}"
            for label, command, env in (
                ("depguard resolve, cold", depguard_resolve(cache), env_for(cache)),
                ("depguard resolve, warm", depguard_resolve(cache), env_for(cache)),
                ("depguard check --resolve, cold", check, env_for(scratch / f"check{run}")),
                ("depguard check --resolve, warm", check, env_for(scratch / f"check{run}")),
                ("pip --dry-run --report, cold", pip(pip_cache), base_env),
                ("pip --dry-run --report, warm", pip(pip_cache), base_env),
            ):
                server.requests.clear()
                elapsed, _ = timed(command, env)
                figures.setdefault(label, []).append(elapsed)
                figures.setdefault(label + " requests", []).append(float(len(server.requests)))
    finally:
        os.chdir(HERE)
        server.stop()
        shutil.rmtree(scratch, ignore_errors=True)
    agreement = "same versions" if our_set == pip_set else f"DIFFERENT: {our_set ^ pip_set}"
    print(f"{' '.join(REQUIREMENTS)}: {len(our_set)} packages (pip: {len(pip_set)}; {agreement})")
    print(f"loopback index, {args.latency * 1000:.0f} ms per request, median of {args.runs} runs")
    for label, values in figures.items():
        if label.endswith(" requests"):
            continue
        asked = statistics.median(figures[label + " requests"])
        print(f"  {label:34} {statistics.median(values):6.2f} s   ({asked:.0f} requests)")
    if recorder.missed:
        print(f"  (not recorded, answered 404: {sorted(set(recorder.missed))[:10]})")


if __name__ == "__main__":
    main()
