"""Rebuild depguard's bundled data files from their upstream sources.

    python -m depguard.data.refresh pypi [--from FILE]     # pypi-popular.tsv
    python -m depguard.data.refresh npm [--from TARBALL]    # npm-popular.tsv
    python -m depguard.data.refresh import-names            # import-names.tsv

Each command writes the file next to this module (or ``--output``), replacing it only when the
new data was read completely; ``SOURCES.md`` in this directory says where every file comes
from. This tool uses the network; depguard's checks never import it.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import sys
import tempfile
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from depguard import endpoints
from depguard.data.upstream import SourceError

HERE = Path(__file__).resolve().parent
MAX_TOP_PYPI_BYTES = 16 * 1024 * 1024
MAX_CONCURRENCY = 16
"""The PyPI mirror stalls above ~16 requests in flight."""


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        text, summary = args.run(args)
    except SourceError as exc:
        print(f"refresh {args.command}: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"refresh {args.command}: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(
            f"refresh {args.command}: interrupted, nothing written"
            + (
                " (rerun with the same --work-file to resume)"
                if args.command == "import-names"
                else ""
            ),
            file=sys.stderr,
        )
        return 130
    output = Path(args.output) if args.output else HERE / args.default_file
    write_atomically(output, text)
    print(f"wrote {output}: {summary}")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m depguard.data.refresh", description=__doc__.split("\n\n")[0]
    )
    commands = parser.add_subparsers(dest="command", required=True)

    pypi = commands.add_parser("pypi", help="pypi-popular.tsv from the Top PyPI Packages list")
    pypi.add_argument("--from", dest="source", metavar="FILE", help="a downloaded copy")
    pypi.add_argument("--url", default=endpoints.TOP_PYPI_PACKAGES, help="upstream JSON URL")
    pypi.add_argument("--limit", type=int, default=None, help="keep the first N rows")
    pypi.set_defaults(run=_pypi, default_file="pypi-popular.tsv")

    npm = commands.add_parser("npm", help="npm-popular.tsv from the npm-high-impact package")
    npm.add_argument("--from", dest="source", metavar="TARBALL", help="a downloaded tarball")
    npm.add_argument("--registry", default=endpoints.NPM_REGISTRY, help="npm registry URL")
    npm.add_argument("--version", help="package version (default: the latest dist-tag)")
    npm.add_argument("--date", help="the data's date for the header (default: its publish date)")
    npm.set_defaults(run=_npm, default_file="npm-popular.tsv")

    names = commands.add_parser("import-names", help="import-names.tsv from wheel file lists")
    names.add_argument("--index-url", default=endpoints.PYPI_INDEX, help="PyPI (JSON API) URL")
    names.add_argument("--files-url", default=endpoints.PYPI_FILES, help="PyPI file host URL")
    names.add_argument("--popular", help="the pypi-popular.tsv to rank by (default: bundled)")
    names.add_argument("--top", type=int, default=None, help="read the N most popular only")
    names.add_argument("--concurrency", type=int, default=12, help="requests in flight (<=16)")
    names.add_argument(
        "--work-file", help="JSON-lines file to keep each project's facts in and resume from"
    )
    names.add_argument("--date", help="the header's date (default: today, UTC)")
    names.set_defaults(run=_import_names, default_file="import-names.tsv")

    for command in (pypi, npm, names):
        command.add_argument("--output", help="where to write (default: the bundled file)")
    return parser


def _pypi(args: argparse.Namespace) -> tuple[str, str]:
    from depguard.data.upstream import top_pypi

    body = Path(args.source).read_bytes() if args.source else _download(args.url)
    text = top_pypi.render(body, args.limit)
    return text, f"{_rows(text)} projects"


def _download(url: str) -> bytes | bytearray:
    from depguard.registries.http import HttpClient, RegistryError

    async def fetch() -> bytes | bytearray:
        async with HttpClient(concurrency=1, timeout=60.0) as http:
            response = await http.get(url, max_bytes=MAX_TOP_PYPI_BYTES)
        if response.status != 200:
            raise SourceError(f"{url}: HTTP {response.status}")
        return response.body

    try:
        return asyncio.run(fetch())
    except RegistryError as exc:
        raise SourceError(f"{url}: {exc}") from None


def _npm(args: argparse.Namespace) -> tuple[str, str]:
    from depguard.data.upstream import npm_high_impact as nhi

    published: str | None = None
    body: bytes | bytearray
    if args.source:
        body = Path(args.source).read_bytes()
    else:
        from depguard.registries.http import HttpClient

        async def fetch() -> tuple[nhi.Release, bytes | bytearray]:
            async with HttpClient(concurrency=2, timeout=60.0) as http:
                return await nhi.fetch(http, args.registry, args.version)

        chosen, body = asyncio.run(fetch())
        published = chosen.published
    lists = nhi.read_tarball(body)
    text = nhi.render(lists, args.date or published or "unknown")
    return text, f"{len(lists.top)} packages from {nhi.PACKAGE} {lists.version}"


def _import_names(args: argparse.Namespace) -> tuple[str, str]:
    from depguard.data.upstream import crawl, importmap
    from depguard.model import Ecosystem
    from depguard.names import normalize
    from depguard.popularity import parse_snapshot, snapshot

    if not 1 <= args.concurrency <= MAX_CONCURRENCY:
        raise SourceError(f"--concurrency must be between 1 and {MAX_CONCURRENCY}")
    if args.popular:
        popular = parse_snapshot(Ecosystem.PYPI, Path(args.popular).read_text("utf-8"))
    else:
        popular = snapshot(Ecosystem.PYPI)
    by_rank = sorted(popular, key=lambda entry: entry.rank)
    ranked = [normalize(Ecosystem.PYPI, entry.name) for entry in by_rank]
    projects = ranked[: args.top] if args.top else ranked
    options = crawl.CrawlOptions(
        index_url=args.index_url,
        files_url=args.files_url,
        concurrency=args.concurrency,
        work_file=Path(args.work_file) if args.work_file else None,
    )
    print(f"reading {len(projects)} projects ...", file=sys.stderr)
    records = asyncio.run(crawl.crawl(projects, options, crawl.print_progress))
    downloads = {normalize(Ecosystem.PYPI, entry.name): entry.downloads for entry in popular}
    entries = importmap.build(records, downloads)
    kinds = Counter(r.kind for r in records)
    date = args.date or dt.datetime.now(dt.timezone.utc).date().isoformat()
    header = importmap.header(
        date=date,
        projects=len(projects),
        popular_date=popular.date,
        kinds=kinds,
    )
    problems = [r for r in records if r.kind == "error"]
    for record in problems[:20]:
        print(f"  {record.project}: {record.error}", file=sys.stderr)
    if len(problems) > 20:
        print(f"  ... and {len(problems) - 20} more unreadable", file=sys.stderr)
    summary = ", ".join(f"{count} {kind}" for kind, count in kinds.most_common())
    return importmap.render(entries, header), f"{len(entries)} import names ({summary})"


def _rows(text: str) -> int:
    return sum(1 for line in text.splitlines() if line and not line.startswith("#"))


def write_atomically(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
        Path(temporary).chmod(0o644)  # mkstemp makes it private; data files are for all
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


if __name__ == "__main__":
    raise SystemExit(main())
