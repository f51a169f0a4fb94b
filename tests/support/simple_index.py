"""Made-up Python projects served in the index's real formats, for resolver tests.

Each :class:`Dist` becomes files on a PEP 691 project page (``/simple/<name>/``, with the
``core-metadata`` hash PEP 714 defines, as the index writes it), a core-metadata file for its
wheel (``<wheel URL>.metadata``, PEP 658, the ``METADATA`` format) and an entry in the project
JSON document (``/pypi/<name>/json``). Use with :class:`RegistryServer` as its handler.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from support.registry_server import Answer, RequestInfo

SIMPLE_JSON = "application/vnd.pypi.simple.v1+json"


@dataclass(frozen=True)
class Dist:
    name: str
    version: str
    requires: tuple[str, ...] = ()
    requires_python: str | None = None
    uploaded: str = "2024-03-01T10:00:00Z"
    wheel: bool = True
    sdist: bool = True
    yanked: bool = False
    metadata_name: str | None = None
    """A different Name to write into the wheel's METADATA (an index answering wrongly)."""

    @property
    def stem(self) -> str:
        return f"{self.name.replace('-', '_')}-{self.version}"

    @property
    def wheel_name(self) -> str:
        return f"{self.stem}-py3-none-any.whl"

    def metadata(self) -> bytes:
        lines = [
            "Metadata-Version: 2.1",
            f"Name: {self.metadata_name or self.name}",
            f"Version: {self.version}",
            f"Summary: {self.name} for tests",
        ]
        if self.requires_python:
            lines.append(f"Requires-Python: {self.requires_python}")
        lines += [f"Requires-Dist: {r}" for r in self.requires]
        return ("\n".join(lines) + "\n\nA made-up project.\n").encode()


@dataclass
class SimpleIndex:
    base: str
    dists: list[Dist] = field(default_factory=list)
    page_names: dict[str, str] = field(default_factory=dict)
    """Project -> the name its page claims (an index answering for another project)."""
    advertise: bool = True
    """Write ``core-metadata`` on wheels (the index does; the mirror reachable here does not)."""

    def add(self, *dists: Dist) -> SimpleIndex:
        self.dists.extend(dists)
        return self

    def projects(self) -> set[str]:
        return {d.name for d in self.dists}

    def page(self, name: str) -> dict[str, object]:
        files = []
        for dist in (d for d in self.dists if d.name == name):
            common = {
                "requires-python": dist.requires_python,
                "upload-time": dist.uploaded,
                "yanked": dist.yanked,
                "size": 1000,
            }
            if dist.wheel:
                metadata = {"sha256": hashlib.sha256(dist.metadata()).hexdigest()}
                item = {
                    "filename": dist.wheel_name,
                    "url": f"{self.base}/packages/{dist.wheel_name}",
                    "hashes": {"sha256": hashlib.sha256(dist.wheel_name.encode()).hexdigest()},
                    **common,
                }
                if self.advertise:
                    item["core-metadata"] = metadata
                    item["data-dist-info-metadata"] = metadata
                files.append(item)
            if dist.sdist:
                filename = f"{dist.stem}.tar.gz"
                files.append(
                    {
                        "filename": filename,
                        "url": f"{self.base}/packages/{filename}",
                        "hashes": {"sha256": hashlib.sha256(filename.encode()).hexdigest()},
                        **common,
                    }
                )
        versions = sorted({d.version for d in self.dists if d.name == name})
        return {
            "meta": {"api-version": "1.1", "_last-serial": 1},
            "name": self.page_names.get(name, name),
            "files": files,
            "versions": versions,
        }

    def project(self, name: str) -> dict[str, object]:
        """The project JSON document (``/pypi/<name>/json``), in the index's format."""
        mine = [d for d in self.dists if d.name == name]
        latest = mine[-1]
        releases = {
            d.version: [
                {
                    "filename": d.wheel_name,
                    "packagetype": "bdist_wheel",
                    "size": 50_000,
                    "upload_time_iso_8601": d.uploaded,
                    "upload_time": d.uploaded.rstrip("Z"),
                    "yanked": d.yanked,
                    "url": f"{self.base}/packages/{d.wheel_name}",
                }
            ]
            for d in mine
        }
        return {
            "info": {
                "name": name,
                "version": latest.version,
                "summary": f"{name} for tests",
                "description": "A made-up project with a real description.",
                "project_urls": {"Source": f"https://github.com/example/{name}"},
                "home_page": None,
                "yanked": False,
                "requires_dist": list(latest.requires) or None,
            },
            "releases": releases,
            "urls": releases[latest.version],
            "ownership": {
                "organization": "example",
                "roles": [
                    {"role": "Owner", "user": "alice"},
                    {"role": "Maintainer", "user": "bob"},
                ],
            },
            "vulnerabilities": [],
            "last_serial": 1,
        }

    def serve(self, info: RequestInfo) -> Answer | None:
        parts = info.path.strip("/").split("/")
        projects = self.projects()
        if len(parts) == 2 and parts[0] == "simple" and parts[1] in projects:
            body = json.dumps(self.page(parts[1])).encode()
            return Answer(200, body, {"Content-Type": SIMPLE_JSON})
        if len(parts) == 3 and parts[0] == "pypi" and parts[2] == "json" and parts[1] in projects:
            return Answer(200, json.dumps(self.project(parts[1])).encode())
        if parts[0] == "packages" and parts[-1].endswith(".metadata"):
            for dist in self.dists:
                if parts[-1] == f"{dist.wheel_name}.metadata":
                    return Answer(
                        200, dist.metadata(), {"Content-Type": "application/octet-stream"}
                    )
        return None
