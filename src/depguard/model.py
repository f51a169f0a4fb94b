"""The records that flow through depguard: sources → registry metadata → signals → policy → report.

Everything here is plain data. Sources produce :class:`Dependency` and :class:`InputError`;
registries produce :class:`PackageInfo` and :class:`Downloads`; signals produce
:class:`Finding`; the policy produces :class:`PackageReport`; reports read only :class:`Report`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from depguard.indexes import Index

JSONValue = Any  # a value json.dumps accepts


class Ecosystem(str, Enum):
    PYPI = "pypi"
    NPM = "npm"

    def __str__(self) -> str:
        return self.value

    @property
    def index_label(self) -> str:
        return "PyPI" if self is Ecosystem.PYPI else "npm"


class Verdict(str, Enum):
    ALLOW = "allow"
    WARN = "warn"
    BLOCK = "block"

    def __str__(self) -> str:
        return self.value

    @property
    def rank(self) -> int:
        return _VERDICT_RANK[self]

    def at_least(self, other: Verdict) -> bool:
        return self.rank >= other.rank

    @staticmethod
    def worst(*verdicts: Verdict) -> Verdict:
        return max(verdicts, key=lambda v: v.rank, default=Verdict.ALLOW)


_VERDICT_RANK = {Verdict.ALLOW: 0, Verdict.WARN: 1, Verdict.BLOCK: 2}


class Severity(str, Enum):
    """How much a single finding weighs on its own: high blocks, medium warns, low informs."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"

    def __str__(self) -> str:
        return self.value

    @property
    def verdict(self) -> Verdict:
        return {Severity.HIGH: Verdict.BLOCK, Severity.MEDIUM: Verdict.WARN}.get(
            self, Verdict.ALLOW
        )

    def lowered(self) -> Severity:
        return {Severity.HIGH: Severity.MEDIUM}.get(self, Severity.LOW)


class Tier(str, Enum):
    """How strongly one finding counts in the risk score, chosen by the signal from the evidence
    (a young look-alike is strong, an established one weak). The points each tier is worth are
    the policy's (:mod:`depguard.findings` declares them per finding id); they never travel in
    the finding's evidence or in the report."""

    STRONG = "strong"
    NORMAL = "normal"
    WEAK = "weak"
    MINIMAL = "minimal"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class Location:
    path: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        if self.line is None:
            return self.path
        return f"{self.path}:{self.line}"

    @property
    def sort_key(self) -> tuple[str, int, int]:
        return (self.path, self.line or 0, self.column or 0)

    def to_json(self) -> dict[str, JSONValue]:
        out: dict[str, JSONValue] = {"path": self.path, "line": self.line}
        if self.column is not None:
            out["column"] = self.column
        return out


class NamedIn(str, Enum):
    """Where a dependency was named: a requirements line, a table of a manifest, a lockfile, a
    code import, the command line, or a resolution."""

    REQUIREMENT = "requirement"
    CONSTRAINT = "constraint"
    PROJECT = "project"
    OPTIONAL = "optional"
    GROUP = "group"
    BUILD = "build-system"
    POETRY = "poetry"
    PACKAGE_JSON = "package.json"
    LOCKFILE = "lockfile"
    IMPORT = "import"
    COMMAND_LINE = "command-line"
    RESOLVED = "resolved"

    def __str__(self) -> str:
        return self.value


class UrlKind(str, Enum):
    VCS = "vcs"
    URL = "url"
    PATH = "path"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class Dependency:
    """One reference to a package, exactly where it was made.

    ``name`` is the package as it would be installed (for a code import: the distribution that
    provides the module); ``imported_as`` is the module or specifier a code import named when that
    differs (``import yaml`` -> imported_as ``yaml``, name ``PyYAML``); ``installed_as`` is the
    name an npm ``npm:`` alias installs the package under (``"pad": "npm:left-pad@1"``);
    ``detail`` is a short quote of the reference (``import yaml``, ``require('x')``).
    ``guarded`` marks an import inside ``try: ... except ImportError``.
    """

    ecosystem: Ecosystem
    name: str
    location: Location
    normalized: str
    named_in: NamedIn = NamedIn.REQUIREMENT
    specifier: str = ""
    extras: tuple[str, ...] = ()
    marker: str | None = None
    url: str | None = None
    url_kind: UrlKind | None = None
    editable: bool = False
    group: str | None = None
    guarded: bool = False
    imported_as: str | None = None
    installed_as: str | None = None
    version: str | None = None
    detail: str | None = None
    resolved: str | None = None
    """Where a lockfile says the package is fetched from (npm ``resolved``; the index a Python
    lock names), for registry references only: a direct URL goes in ``url``."""
    indexes: tuple[str, ...] = ()
    """Indexes or registries the project itself declares for this reference (Poetry/uv/PDM
    sources, a Pipfile's sources): ``resolved`` under one of them is expected."""
    direct: bool = True
    """Named by the project itself (a manifest, the code, the command line); False for what a
    lockfile or a resolution brings in only because another package needs it."""
    via: tuple[str, ...] = ()
    """For a transitive reference: the shortest chain of package names from a direct
    dependency down to the one that needs this package (``("x", "y")`` for x → y → this),
    where the lock or the resolution records it; empty when direct or unknown."""
    uploaded: datetime | None = None
    """When the file that would be installed was uploaded (a resolution on PyPI knows it)."""
    dependencies_unknown: str | None = None
    """Why a resolution could not know this version's own dependencies (an sdist only)."""
    conditional: bool = False
    """An import reached only on some paths (in a function, under an ``if`` or ``try``)."""
    secondary: bool = False
    """An import in tests, documentation or examples, not in the shipped code."""

    @property
    def is_direct(self) -> bool:
        """A direct URL, VCS link or local path: cannot be verified against the index."""
        return self.url is not None

    @property
    def pinned_version(self) -> str | None:
        """The exact version this reference selects, if it selects exactly one."""
        if self.version:
            return self.version
        spec = self.specifier.strip()
        if spec.startswith("===") and "," not in spec:
            return spec[3:].strip() or None
        if spec.startswith("==") and "," not in spec and "*" not in spec:
            return spec[2:].strip() or None
        return None


@dataclass(frozen=True)
class InputError:
    """A line or file that could not be read: reported as `parse-error`, never dropped."""

    path: str
    line: int | None
    message: str
    text: str | None = None

    @property
    def location(self) -> Location:
        return Location(self.path, self.line)


@dataclass(frozen=True)
class Vulnerability:
    id: str
    aliases: tuple[str, ...] = ()
    summary: str | None = None
    fixed_in: tuple[str, ...] = ()
    link: str | None = None

    def to_json(self) -> dict[str, JSONValue]:
        return {
            "id": self.id,
            "aliases": list(self.aliases),
            "summary": self.summary,
            "fixed_in": list(self.fixed_in),
            "link": self.link,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Vulnerability:
        return cls(
            id=str(data["id"]),
            aliases=tuple(data.get("aliases") or ()),
            summary=data.get("summary"),
            fixed_in=tuple(data.get("fixed_in") or ()),
            link=data.get("link"),
        )


@dataclass(frozen=True)
class ReleaseFile:
    """One file of the newest release, as the index lists it (sizes in bytes)."""

    filename: str
    size: int | None = None
    kind: str = ""
    """``wheel``, ``sdist``, ``tarball`` (npm) or another distribution type."""
    url: str | None = None
    sha256: str | None = None
    entries: int | None = None
    """How many files the archive holds, when the index says (npm ``dist.fileCount``)."""

    def to_json(self) -> dict[str, JSONValue]:
        return {
            "filename": self.filename,
            "size": self.size,
            "kind": self.kind,
            "url": self.url,
            "sha256": self.sha256,
            "entries": self.entries,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ReleaseFile:
        return cls(
            filename=str(data["filename"]),
            size=_int_or_none(data.get("size")),
            kind=str(data.get("kind") or ""),
            url=data.get("url") if isinstance(data.get("url"), str) else None,
            sha256=data.get("sha256") if isinstance(data.get("sha256"), str) else None,
            entries=_int_or_none(data.get("entries")),
        )


@dataclass(frozen=True)
class PackageInfo:
    """Facts derived from a registry document. Every field but the identity is optional:
    ``None`` means the registry did not say, which is never read as a risk by itself."""

    ecosystem: Ecosystem
    name: str
    exists: bool
    display_name: str | None = None
    summary: str | None = None
    has_description: bool | None = None
    created: datetime | None = None
    latest_release: datetime | None = None
    latest_version: str | None = None
    releases: int | None = None
    versions: tuple[str, ...] = ()
    yanked: dict[str, str] = field(default_factory=dict)
    deprecated: dict[str, str] = field(default_factory=dict)
    recent_uploads: dict[str, datetime] = field(default_factory=dict)
    """Python index: versions with a file uploaded in the month before the newest upload ->
    their newest file's upload time (real upload times: what the cooldown judges locked
    versions by)."""
    maintainers: tuple[str, ...] | None = None
    maintainers_source: str | None = None
    organization: str | None = None
    repository: str | None = None
    homepage: str | None = None
    status: str | None = None
    status_reason: str | None = None
    vulnerabilities: tuple[Vulnerability, ...] = ()
    vulnerabilities_version: str | None = None
    install_scripts: dict[str, str] | None = None
    provenance: bool | None = None
    dist_tags: dict[str, str] = field(default_factory=dict)
    version_install_scripts: dict[str, dict[str, str]] = field(default_factory=dict)
    """npm: the install-time scripts of every version that has any (script name -> command;
    an empty mapping when the registry only says that there are some). ``install_scripts`` is
    the latest version's."""
    document: str | None = None
    """Which registry document the facts came from, where there is a choice: npm "full" or
    "abbreviated" (the abbreviated one has no creation date, maintainers or repository: those
    stay None, unknown)."""
    files: tuple[ReleaseFile, ...] | None = None
    """The newest release's files (None: the index did not list them; empty: it has none)."""
    dependencies: int | None = None
    """How many unconditional runtime dependencies the newest release declares."""
    description_head: str | None = None
    """The start of the long description (raw registry text: sanitise before showing)."""

    def to_json(self) -> dict[str, JSONValue]:
        return {
            "ecosystem": self.ecosystem.value,
            "name": self.name,
            "exists": self.exists,
            "display_name": self.display_name,
            "summary": self.summary,
            "has_description": self.has_description,
            "created": _iso(self.created),
            "latest_release": _iso(self.latest_release),
            "latest_version": self.latest_version,
            "releases": self.releases,
            "versions": list(self.versions),
            "yanked": dict(self.yanked),
            "deprecated": dict(self.deprecated),
            "recent_uploads": {k: _iso(v) for k, v in self.recent_uploads.items()},
            "maintainers": None if self.maintainers is None else list(self.maintainers),
            "maintainers_source": self.maintainers_source,
            "organization": self.organization,
            "repository": self.repository,
            "homepage": self.homepage,
            "status": self.status,
            "status_reason": self.status_reason,
            "vulnerabilities": [v.to_json() for v in self.vulnerabilities],
            "vulnerabilities_version": self.vulnerabilities_version,
            "install_scripts": self.install_scripts,
            "provenance": self.provenance,
            "dist_tags": dict(self.dist_tags),
            "version_install_scripts": {
                k: dict(v) for k, v in self.version_install_scripts.items()
            },
            "document": self.document,
            "files": None if self.files is None else [f.to_json() for f in self.files],
            "dependencies": self.dependencies,
            "description_head": self.description_head,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PackageInfo:
        maint = data.get("maintainers")
        return cls(
            ecosystem=Ecosystem(data["ecosystem"]),
            name=data["name"],
            exists=bool(data["exists"]),
            display_name=data.get("display_name"),
            summary=data.get("summary"),
            has_description=data.get("has_description"),
            created=_parse_iso(data.get("created")),
            latest_release=_parse_iso(data.get("latest_release")),
            latest_version=data.get("latest_version"),
            releases=data.get("releases"),
            versions=tuple(data.get("versions") or ()),
            yanked=dict(data.get("yanked") or {}),
            deprecated=dict(data.get("deprecated") or {}),
            recent_uploads={
                str(k): when
                for k, v in (data.get("recent_uploads") or {}).items()
                if (when := _parse_iso(v)) is not None
            },
            maintainers=None if maint is None else tuple(maint),
            maintainers_source=data.get("maintainers_source"),
            organization=data.get("organization"),
            repository=data.get("repository"),
            homepage=data.get("homepage"),
            status=data.get("status"),
            status_reason=data.get("status_reason"),
            vulnerabilities=tuple(
                Vulnerability.from_json(v) for v in data.get("vulnerabilities") or ()
            ),
            vulnerabilities_version=data.get("vulnerabilities_version"),
            install_scripts=data.get("install_scripts"),
            provenance=data.get("provenance"),
            dist_tags=dict(data.get("dist_tags") or {}),
            version_install_scripts={
                str(k): dict(v) for k, v in (data.get("version_install_scripts") or {}).items()
            },
            document=data.get("document"),
            files=None
            if data.get("files") is None
            else tuple(ReleaseFile.from_json(f) for f in data["files"]),
            dependencies=_int_or_none(data.get("dependencies")),
            description_head=data.get("description_head"),
        )


@dataclass(frozen=True)
class Downloads:
    """Recent download count. ``last_month`` is None when unknown: never shown as zero."""

    last_month: int | None
    source: str
    rank: int | None = None

    @classmethod
    def unknown(cls) -> Downloads:
        return cls(None, "unknown")


class LookupStatus(str, Enum):
    FOUND = "found"
    NOT_FOUND = "not-found"
    ERROR = "error"
    SKIPPED = "skipped"
    OFFLINE = "offline"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class Lookup:
    """The outcome of asking the registry about one package."""

    status: LookupStatus
    info: PackageInfo | None = None
    error: str | None = None
    from_cache: bool = False
    stale: bool = False
    fetched_at: datetime | None = None

    @property
    def exists(self) -> bool | None:
        if self.status is LookupStatus.FOUND:
            return True
        if self.status is LookupStatus.NOT_FOUND:
            return False
        return None


@dataclass(frozen=True)
class Finding:
    id: str
    severity: Severity
    message: str
    evidence: dict[str, JSONValue] = field(default_factory=dict)
    suppressed: str | None = None
    tier: Tier = Tier.NORMAL
    """How strongly it counts in the risk score; the policy turns it into points."""

    def to_json(self) -> dict[str, JSONValue]:
        out: dict[str, JSONValue] = {
            "id": self.id,
            "severity": self.severity.value,
            "message": self.message,
        }
        out.update(self.evidence)
        if self.suppressed:
            out["suppressed"] = self.suppressed
        return out


@dataclass(frozen=True)
class Package:
    """Every reference to one package, grouped by its normalized name."""

    ecosystem: Ecosystem
    name: str
    normalized: str
    dependencies: tuple[Dependency, ...]

    @property
    def locations(self) -> tuple[Location, ...]:
        return tuple(sorted({d.location for d in self.dependencies}, key=lambda x: x.sort_key))

    @property
    def specifiers(self) -> tuple[str, ...]:
        return tuple(sorted({d.specifier for d in self.dependencies if d.specifier}))

    @property
    def pinned_versions(self) -> tuple[str, ...]:
        return tuple(sorted({v for d in self.dependencies if (v := d.pinned_version)}))

    @property
    def from_index(self) -> bool:
        """True when at least one reference would be resolved from the package index. Imports
        of a package the project declares only by direct reference (a URL, a VCS link, a
        path, a workspace member) are that reference's, not the index's."""
        declared = [d for d in self.dependencies if d.named_in is not NamedIn.IMPORT]
        if declared and all(d.is_direct for d in declared):
            return False
        return any(not d.is_direct for d in self.dependencies)

    @property
    def direct(self) -> bool:
        """True when anything in the project names the package itself."""
        return any(d.direct for d in self.dependencies)

    @property
    def via(self) -> tuple[str, ...]:
        """For a package only brought in by others: the shortest recorded chain to it."""
        if self.direct:
            return ()
        chains = [d.via for d in self.dependencies if d.via]
        return min(chains, key=lambda c: (len(c), c)) if chains else ()

    @property
    def only_guarded_imports(self) -> bool:
        """Referenced only by optional imports: guarded by ``except ImportError``, reached
        only conditionally (in a function, under an ``if``), or found only in tests,
        documentation and examples. Judged one severity lower."""
        return all(
            d.named_in is NamedIn.IMPORT and (d.guarded or d.conditional or d.secondary)
            for d in self.dependencies
        )

    @property
    def only_conditional_imports(self) -> bool:
        """Referenced only by imports the code reaches conditionally (or guarded ones)."""
        return all(
            d.named_in is NamedIn.IMPORT and (d.conditional or d.guarded) for d in self.dependencies
        )

    @property
    def only_secondary_imports(self) -> bool:
        """Referenced only by imports in tests, documentation and examples."""
        return all(d.named_in is NamedIn.IMPORT and d.secondary for d in self.dependencies)


@dataclass(frozen=True)
class WheelListing:
    """The modules a distribution's newest wheel installs, and which imports it serves."""

    wheel: str
    """The wheel's file name."""
    top_level: tuple[str, ...]
    """The top-level names its files install (sorted)."""
    missing: tuple[str, ...] = ()
    """Modules the code imports under this package that the wheel does not contain."""


@dataclass(frozen=True)
class Evidence:
    """Everything known about one package before it is judged: handed to the signals."""

    package: Package
    lookup: Lookup
    downloads: Downloads
    version_vulnerabilities: dict[str, tuple[Vulnerability, ...] | None] = field(
        default_factory=dict
    )
    aliases: dict[str, Lookup] = field(default_factory=dict)
    """For a package only imported under another name (``import sklearn`` → scikit-learn):
    what the index says of that other name, keyed by its normalized form."""
    wheel: WheelListing | None = None
    """For a package reached from an ``import`` and not popular: what its newest wheel installs
    (read from the wheel's file list), or None when unknown."""
    index: Index | None = None
    """The index the package was asked of (None: an internal name no index serves)."""
    private: bool = False
    """An internal name (``private`` patterns or owned by a private index)."""
    public_twin: Lookup | None = None
    """For an internal name: what the public index says of the same name."""

    @property
    def info(self) -> PackageInfo | None:
        return self.lookup.info


@dataclass(frozen=True)
class PackageReport:
    package: Package
    lookup: Lookup
    downloads: Downloads
    findings: tuple[Finding, ...]
    verdict: Verdict
    risk: int
    allowlisted: str | None = None

    @property
    def reason(self) -> str:
        ranked = [f for f in self.findings if not f.suppressed]  # the policy's order
        if ranked:
            return "; ".join(f.message for f in ranked[:3])
        if self.allowlisted:
            return f"allowlisted: {self.allowlisted}"
        return "no risk found"


@dataclass(frozen=True)
class Report:
    packages: tuple[PackageReport, ...]
    errors: tuple[InputError, ...]
    notices: tuple[str, ...] = ()
    root: str | None = None
    """The checked tree (absolute): formats that need repository-relative paths use it."""

    def count(self, verdict: Verdict) -> int:
        return sum(1 for p in self.packages if p.verdict is verdict)

    @property
    def worst(self) -> Verdict:
        if self.errors:
            return Verdict.BLOCK
        return Verdict.worst(*(p.verdict for p in self.packages))


def _int_or_none(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat().replace("+00:00", "Z")


def _parse_iso(value: str | None) -> datetime | None:
    if not value:
        return None
    from depguard.timeutil import parse_timestamp

    return parse_timestamp(value)
