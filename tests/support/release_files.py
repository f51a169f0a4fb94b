"""Release files for the loopback server, served as the file hosts do: whole, or by range.

``fixtures/pypi/files/<filename>`` answers any path ending in that file name (absolute file
URLs are moved onto the server by ``--files-url``; the mirror's relative ones land under
``/packages/``), and ``fixtures/npm/tarballs/<filename>`` any ``/npm/<name>/-/<filename>``.
``Range: bytes=A-B`` and ``bytes=-N`` answer 206 with ``Content-Range``, as the file host does.
"""

from __future__ import annotations

import re

from support.registry_server import FIXTURES, Answer, RequestInfo

_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def serve(info: RequestInfo) -> Answer | None:
    """A handler for :class:`RegistryServer` (``server.handler = serve``)."""
    filename = info.path.rsplit("/", 1)[-1]
    if info.path.startswith("/npm/") and "/-/" in info.path:
        target = FIXTURES / "npm" / "tarballs" / filename
    elif info.path.startswith("/packages/"):
        target = FIXTURES / "pypi" / "files" / filename
    else:
        return None
    if not target.is_file():
        return Answer(404, b"", {})
    return ranged(target.read_bytes(), info.headers.get("range"))


def ranged(body: bytes, header: str | None) -> Answer:
    kind = {"Content-Type": "application/octet-stream", "Accept-Ranges": "bytes"}
    match = _RANGE.match(header.strip()) if header else None
    if match is None or not (match.group(1) or match.group(2)):
        return Answer(200, body, kind)
    size = len(body)
    if not match.group(1):
        first, last = max(0, size - int(match.group(2))), size - 1
    else:
        first = int(match.group(1))
        last = min(size - 1, int(match.group(2))) if match.group(2) else size - 1
    if first >= size or first > last:
        return Answer(416, b"", {"Content-Range": f"bytes */{size}"})
    return Answer(
        206, body[first : last + 1], {**kind, "Content-Range": f"bytes {first}-{last}/{size}"}
    )
