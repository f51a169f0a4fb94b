"""``--diff REF``: judge only the dependencies added or changed since a git ref.

The REF side is read straight from git's object store (``git ls-tree`` lists the files at the
ref, ``git cat-file --batch`` streams their contents, the batch form of ``git show REF:path``),
never by a checkout: the files are written to a private temporary directory and parsed there by
the same sources as the working tree. Both sides are then compared by (ecosystem, normalized
name, specifier / version / URL, extras). A package is judged, with all of its references, when
at least one reference is new or changed; a code import counts as new only when the package was
not referenced at all at REF. Files that did not exist at REF (including renamed ones) are read
like any other file, so what they add counts as added and what they only move does not.
Input errors are kept unless the very same error existed at REF.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO

from depguard.errors import UsageError
from depguard.model import Dependency, InputError, NamedIn
from depguard.sources import SourceResult
from depguard.sources.discover import MAX_FILES, SKIP_DIRS
from depguard.sources.kinds import classify
from depguard.sources.reading import LOCKFILE_LIMIT

GIT_TIMEOUT = 120.0
SHM_ROOM = 1024 * 1024 * 1024
"""Free space /dev/shm must have before the REF side is written there instead of on disk."""
INCLUDE_SUFFIXES = (".txt", ".in", ".pip")
"""Requirements files may include others with any name: these are written out wherever they are."""

Reader = Callable[[Sequence[str], Path], SourceResult]
"""Reads ``paths`` as the pipeline does, with ``root`` as the checked tree."""


@dataclass(frozen=True)
class Baseline:
    ref: str
    commit: str | None  # None: the repository has no commit yet (everything is new)
    toplevel: Path


@dataclass(frozen=True)
class Changes:
    sources: SourceResult
    notice: str


def resolve(ref: str, start: Path) -> Baseline:
    """The repository around ``start`` and the commit ``ref`` names; UsageError otherwise."""
    if not ref or ref.startswith("-") or any(c in ref for c in "\0\n\r"):
        raise UsageError(f"--diff: {ref!r} is not a git ref")
    top = _git(["rev-parse", "--show-toplevel"], start, check=False)
    if top.returncode != 0:
        raise UsageError(f"--diff needs a git repository, and {start} is not inside one")
    toplevel = Path(top.stdout.decode("utf-8", "surrogateescape").strip())
    found = _git(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], toplevel, check=False)
    if found.returncode == 0:
        return Baseline(ref, found.stdout.decode().strip(), toplevel)
    if ref == "HEAD":
        unborn = _git(["symbolic-ref", "--quiet", "HEAD"], toplevel, check=False)
        if unborn.returncode == 0:
            return Baseline(ref, None, toplevel)  # before the first commit: nothing existed
    raise UsageError(f"--diff: unknown git ref {ref!r} (not a commit in {toplevel})")


def changed_since(
    baseline: Baseline,
    current: SourceResult,
    targets: Sequence[str],
    read: Reader,
) -> Changes:
    """``current`` reduced to the packages with a new or changed reference since ``baseline``."""
    with tempfile.TemporaryDirectory(prefix="depguard-diff-", dir=_scratch_dir()) as tmp:
        root = Path(tmp).resolve()
        mapped = _map_targets(targets, baseline.toplevel, root)
        if baseline.commit is not None:
            _materialize(baseline, root, mapped)
        existing = [str(p) for p in mapped if p.exists()]
        before = read(existing, root) if existing else SourceResult()
        old_errors = {_error_key(e, root) for e in before.errors}
    old_refs = {_key(d) for d in before.dependencies if d.named_in is not NamedIn.IMPORT}
    old_packages = {(d.ecosystem.value, d.normalized) for d in before.dependencies}

    def is_new(dep: Dependency) -> bool:
        if dep.named_in is NamedIn.IMPORT:
            return (dep.ecosystem.value, dep.normalized) not in old_packages
        return _key(dep) not in old_refs

    changed = {(d.ecosystem.value, d.normalized) for d in current.dependencies if is_new(d)}
    kept = SourceResult(files=list(current.files), indexes=list(current.indexes))
    kept.dependencies = [
        d for d in current.dependencies if (d.ecosystem.value, d.normalized) in changed
    ]
    cwd = Path.cwd()
    kept.errors = [
        e for e in current.errors if _error_key(e, baseline.toplevel, cwd) not in old_errors
    ]
    total = len({(d.ecosystem.value, d.normalized) for d in current.dependencies})
    since = baseline.commit[:12] if baseline.commit else "no commit yet"
    rest = total - len(changed)
    notice = (
        f"--diff {baseline.ref} ({since}): {len(changed)} of {total} "
        f"package{'s' if total != 1 else ''} added or changed; "
        + (
            f"the other {rest} {'was' if rest == 1 else 'were'} not judged"
            if rest
            else "all judged"
        )
    )
    return Changes(kept, notice)


def _key(dep: Dependency) -> tuple[str, ...]:
    return (
        dep.ecosystem.value,
        dep.normalized,
        dep.specifier.replace(" ", ""),
        dep.version or "",
        dep.url or "",
        ",".join(dep.extras),
    )


def _error_key(error: InputError, root: Path, cwd: Path | None = None) -> tuple[str, str]:
    path = Path(error.path)
    if not path.is_absolute() and not error.path.startswith("<"):
        path = (cwd or Path.cwd()) / path
    try:
        where = path.resolve().relative_to(root.resolve()).as_posix()
    except (ValueError, OSError):
        where = error.path
    return where, error.text or error.message


def _map_targets(targets: Sequence[str], toplevel: Path, root: Path) -> list[Path]:
    mapped = []
    top = toplevel.resolve()
    for target in targets:
        if target == "-":
            raise UsageError("--diff cannot compare standard input with a git ref")
        absolute = Path(target).resolve()
        try:
            relative = absolute.relative_to(top)
        except ValueError:
            raise UsageError(f"--diff: {target} is outside the repository {top}") from None
        mapped.append(root / relative)
    return mapped


def _wanted(path: str, prefixes: Sequence[PurePosixPath]) -> bool:
    """Files the sources would read at REF: a known kind, or a possible include."""
    pure = PurePosixPath(path)
    if any(part in SKIP_DIRS for part in pure.parts[:-1]):
        return False
    if pure.suffix.lower() in INCLUDE_SUFFIXES or pure in prefixes:
        return True
    inside = any(p == PurePosixPath(".") or p in pure.parents for p in prefixes)
    kind = classify(Path(path))
    return inside and kind is not None and bool(kind.reader)


def _scratch_dir() -> str | None:
    """A memory-backed directory when there is one with room (writing thousands of small
    files there is far cheaper than on disk); else the system's temporary directory."""
    import shutil

    shm = Path("/dev/shm")  # noqa: S108 - a private mkdtemp directory is made inside it
    try:
        if shm.is_dir() and os.access(shm, os.W_OK) and shutil.disk_usage(shm).free > SHM_ROOM:
            return str(shm)
    except OSError:
        pass
    return None


def _materialize(baseline: Baseline, root: Path, mapped: Sequence[Path]) -> None:
    """Write the REF's manifests and sources below ``root`` (never a symlink, bounded)."""
    assert baseline.commit is not None
    prefixes = [PurePosixPath(p.relative_to(root).as_posix() or ".") for p in mapped]
    listing = _git(["ls-tree", "-r", "-z", "--full-tree", baseline.commit], baseline.toplevel)
    blobs: list[tuple[str, str]] = []
    for mode, kind, oid, path in _tree_entries(listing.stdout):
        if kind != "blob" or mode == "120000" or not _wanted(path, prefixes):
            continue
        blobs.append((oid, path))
        if len(blobs) >= MAX_FILES:
            break
    if blobs:
        _write_blobs(baseline.toplevel, blobs, root)


def _tree_entries(data: bytes) -> Iterator[tuple[str, str, str, str]]:
    for record in data.split(b"\0"):
        if not record:
            continue
        meta, _, raw_path = record.partition(b"\t")
        parts = meta.decode("ascii", "replace").split()
        if len(parts) != 3:
            continue
        path = raw_path.decode("utf-8", "surrogateescape")
        if path.startswith("/") or ".." in PurePosixPath(path).parts:
            continue
        yield parts[0], parts[1], parts[2], path


def _write_blobs(toplevel: Path, blobs: Sequence[tuple[str, str]], root: Path) -> None:
    request = b"".join(oid.encode() + b"\n" for oid, _ in blobs)
    with subprocess.Popen(  # noqa: S603 - fixed argument list, no shell
        [_git_program(), "-C", str(toplevel), "cat-file", "--batch"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    ) as process:
        assert process.stdin is not None and process.stdout is not None
        # Write the object ids from a thread while the contents are read: neither pipe can
        # fill up and stall the other.
        feeder = threading.Thread(target=_feed, args=(process.stdin, request), daemon=True)
        feeder.start()
        out = process.stdout
        made: set[Path] = set()
        for _, path in blobs:
            header = out.readline().decode("ascii", "replace").split()
            if len(header) != 3 or header[1] != "blob":
                continue
            size = int(header[2])
            target = root / path
            if target.parent not in made:
                target.parent.mkdir(parents=True, exist_ok=True)
                made.add(target.parent)
            with target.open("wb") as handle:
                remaining = size
                limit = LOCKFILE_LIMIT + 1
                while remaining:
                    chunk = out.read(min(remaining, 1 << 20))
                    if not chunk:
                        break
                    remaining -= len(chunk)
                    if limit > 0:
                        handle.write(chunk[:limit])
                        limit -= len(chunk)
            out.read(1)  # the newline after each object
        feeder.join(timeout=GIT_TIMEOUT)
        process.wait(timeout=GIT_TIMEOUT)


def _feed(pipe: IO[bytes], data: bytes) -> None:
    try:
        pipe.write(data)
    except OSError:
        pass
    finally:
        with contextlib.suppress(OSError):
            pipe.close()


def _git_program() -> str:
    import shutil

    program = shutil.which("git")
    if program is None:
        raise UsageError("--diff needs git, and git is not on PATH")
    return program


def _git(
    args: Sequence[str], cwd: Path, *, check: bool = True
) -> subprocess.CompletedProcess[bytes]:
    try:
        done = subprocess.run(  # noqa: S603 - fixed argument list, no shell
            [_git_program(), "-C", str(cwd), *args],
            capture_output=True,
            timeout=GIT_TIMEOUT,
            check=False,
            env={**os.environ, "GIT_TERMINAL_PROMPT": "0", "GIT_OPTIONAL_LOCKS": "0"},
        )
    except subprocess.TimeoutExpired:
        raise UsageError(f"--diff: git {args[0]} took longer than {GIT_TIMEOUT:.0f} s") from None
    if check and done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise UsageError(f"--diff: git {args[0]} failed: {message[-1] if message else 'error'}")
    return done
