"""Every finding depguard can report, declared once.

This table drives the text output, the SARIF rules, the README's finding table
(`python -m depguard.findings --markdown`) and the policy's default severities and weights.
A finding's ``severity`` is what it means on its own (high blocks, medium warns, low informs);
its ``weight`` is what it adds to the package's 0-100 risk score. Both can be changed per id in
``[tool.depguard.severity]`` and ``[tool.depguard.weights]``.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

from depguard.model import Finding, JSONValue, Severity, Tier


@dataclass(frozen=True)
class TierWeight:
    """Points a finding is worth in one of its other tiers, and when a signal chooses it."""

    tier: Tier
    points: int
    when: str


@dataclass(frozen=True)
class FindingType:
    id: str
    severity: Severity
    weight: int
    """Points in the normal tier: what ``[tool.depguard.weights]`` sets."""
    title: str
    help: str
    tiers: tuple[TierWeight, ...] = ()

    def make(
        self,
        message: str,
        *,
        severity: Severity | None = None,
        tier: Tier = Tier.NORMAL,
        **evidence: JSONValue,
    ) -> Finding:
        return Finding(self.id, severity or self.severity, message, dict(evidence), tier=tier)

    def points(self, tier: Tier) -> int:
        """The default points of ``tier`` (a tier the finding does not declare is normal)."""
        return next((t.points for t in self.tiers if t.tier is tier), self.weight)

    @property
    def weight_text(self) -> str:
        """The weight column of the README's table: ``45; 10 when established, ...``."""
        if not self.tiers:
            return str(self.weight)
        others = ", ".join(f"{t.points} {t.when}" for t in self.tiers)
        return f"{self.weight}; {others}"


def _t(
    id: str,
    severity: Severity,
    weight: int,
    title: str,
    help: str,
    tiers: tuple[TierWeight, ...] = (),
) -> FindingType:
    return FindingType(id, severity, weight, title, " ".join(help.split()), tiers)


S, W, MIN = Tier.STRONG, Tier.WEAK, Tier.MINIMAL


H, M, L = Severity.HIGH, Severity.MEDIUM, Severity.LOW

NOT_FOUND = _t(
    "not-found",
    H,
    100,
    "Package does not exist on the index",
    """The name is not registered on the package index. This is how hallucinated dependencies
    look before an attacker registers them ("slopsquatting"). Fix the name (see the suggestions)
    or remove the dependency; never register or install a name you cannot account for.""",
    (TierWeight(W, 10, "imported only conditionally (when available): a warning, not a block"),),
)
TYPOSQUAT = _t(
    "typosquat",
    M,
    45,
    "Name imitates a popular package",
    """The name is a small edit, homoglyph, separator change, affix or reordering of a far more
    popular package's name (named in `similar_to`). Check that you meant this package and not
    the popular one.""",
    (
        TierWeight(W, 10, "when used (popular or widely downloaded) or a maintained project"),
        TierWeight(MIN, 5, "from the popular project's owner"),
    ),
)
IMPORT_NAME = _t(
    "import-name",
    M,
    40,
    "Import name used as a distribution name",
    """The requested name is the import name of a different distribution (`import yaml` is
    provided by PyYAML). Install the distribution named in the suggestion; a registered package
    under the import name may be a placeholder or a squat.""",
    (
        TierWeight(
            MIN,
            0,
            "only the code imports it under the other name and the provider is established: "
            "advice for whoever declares it (information)",
        ),
    ),
)
NAME_PATTERN = _t(
    "name-pattern",
    L,
    20,
    "Name has the shape of a hallucination",
    """A popular name combined with generic words or another popular name (`-utils`, `-lite`,
    `-http`, `node-…-orm`, `secure-`, two popular names glued: `kind` is `combination`, the
    popular part is `similar_to`) that is not itself an established package: the shape language
    models invent and attackers register (combosquatting).""",
    (
        TierWeight(S, 40, "when young"),
        TierWeight(MIN, 5, "when used (popular or widely downloaded)"),
    ),
)
STDLIB_NAME = _t(
    "stdlib-name",
    M,
    45,
    "Manifest requests a standard-library module",
    """The name is a module of the Python standard library (or a Node.js built-in). Installing
    it from the index fetches an unrelated (possibly malicious) package; remove the line.""",
)
RECENTLY_CREATED = _t(
    "recently-created",
    M,
    30,
    "Package was created recently",
    """The first release is younger than the threshold (default 30 days; stronger under 7).
    Squatters register hallucinated names quickly; give a new package time or review it.""",
    (TierWeight(S, 40, "under a week"),),
)
LOW_DOWNLOADS = _t(
    "low-downloads",
    L,
    15,
    "Few downloads",
    """Few recent downloads: little evidence that others use and have vetted this package.""",
)
FEW_RELEASES = _t(
    "few-releases",
    L,
    10,
    "Few releases",
    """Only one or two releases: typical of placeholder and squatted packages.""",
)
NO_REPOSITORY = _t(
    "no-repository",
    L,
    10,
    "No source repository",
    """The registry metadata names no source repository, so the code cannot be reviewed
    outside the published archive.""",
)
SINGLE_MAINTAINER = _t(
    "single-maintainer",
    L,
    5,
    "Single maintainer",
    """One account controls every release; a compromise or a new owner changes everything.""",
)
EMPTY_DESCRIPTION = _t(
    "empty-description",
    L,
    10,
    "Empty description",
    """No summary or description: placeholder packages rarely document themselves.""",
)
PLACEHOLDER = _t(
    "placeholder",
    M,
    35,
    "Package has no substance",
    """The newest release holds nothing a library would: no files, or only tiny ones (a wheel
    of a couple of kB) with no dependencies, or the package says it is a placeholder, a reserved
    name, a security holding package or a research ("slopsquatting", "hallucination") package.
    Installing it gives the code nothing; the name was most likely wrong.""",
    (TierWeight(S, 60, "when the package says so itself or has no files"),),
)
MODULE_MISSING = _t(
    "module-missing",
    H,
    60,
    "Package does not provide the imported module",
    """The code imports a module under this name, but the package's newest wheel does not
    contain it (its file list was read from the index): installing the package will not make
    the import work, so the name is wrong whatever the registry holds.""",
)
WEAK_SIGNALS = _t(
    "weak-signals",
    M,
    0,
    "Several weak signals together",
    """Unknown or young usage, one release, no repository, a single maintainer, tiny files:
    each is common in honest small packages, together they describe a placeholder or a squat.
    Three or more of them warn; with a look-alike name, the hallucination shape, a placeholder
    or a missing module they block. The message names them.""",
)
INSTALL_SCRIPTS = _t(
    "install-scripts",
    M,
    25,
    "Runs code at install time",
    """The chosen version declares install-time scripts (`preinstall`, `install`,
    `postinstall`): installing it runs its code on the build machine.""",
)
DIRECT_URL = _t(
    "direct-url",
    M,
    0,
    "Not installed from the index",
    """A direct URL, VCS link or local path: the index cannot vouch for it, so depguard cannot
    check it. Pin VCS links to a commit and review the source; local paths inside the project
    are informational.""",
)
UNEXPECTED_REGISTRY = _t(
    "unexpected-registry",
    M,
    20,
    "Resolved from an unexpected registry",
    """The lockfile resolves the package from a URL that is not the configured registry or
    index (nor one the project declares for it).""",
)
DEPENDENCY_CONFUSION = _t(
    "dependency-confusion",
    H,
    100,
    "Internal name also exists on a public registry",
    """A name the team declares internal (`private` patterns, or owned by a private index) is
    also published on the public registry by what is not shown to be the same project
    (repository, maintainers and first upload compared). An installer that can see both
    indexes may take the public one: the classic dependency-confusion attack. Register or
    claim the name publicly, or, if the public package is your own, pin it with
    `public_twin = "<its repository or a maintainer>"` on the name's `[[allow]]` entry.""",
)
EXTRA_INDEX_URL = _t(
    "extra-index-url",
    M,
    30,
    "Indexes merged by version",
    """The project makes the installer pick among several indexes by version (pip's
    `--extra-index-url` or `--find-links`, uv's `unsafe-best-match`, several Pipfile sources):
    whoever publishes a higher version of an internal name on any of them wins. Use one index
    that proxies the others, or pin internal names to their index (`[tool.uv.sources]`,
    Poetry `source = ...`, Pipfile `index = ...`).""",
)
PARSE_ERROR = _t(
    "parse-error",
    H,
    0,
    "Input could not be read",
    """A line or file could not be parsed. The rest was still checked, but the run fails so
    that no dependency goes unchecked.""",
)
REGISTRY_ERROR = _t(
    "registry-error",
    H,
    0,
    "Registry metadata unavailable",
    """The registry could not be asked (timeout, refused, bad answer). depguard fails closed:
    the package is blocked unless `--fail-open` is given.""",
)
UNVERIFIED = _t(
    "unverified",
    M,
    0,
    "Not checked against the index",
    """Offline with no cached metadata: existence, age and popularity are unknown. Name-based
    checks still ran.""",
)
NOT_ALLOWLISTED = _t(
    "not-allowlisted",
    H,
    0,
    "Not on the allowlist",
    """`--require-allowlist` is on and the package has no (unexpired, matching) allowlist
    entry. Approve it with `depguard approve` after review.""",
)
DENYLISTED = _t(
    "denylisted",
    H,
    100,
    "On the team denylist",
    """The team denylist names this package.""",
)
ALLOWLIST_EXPIRED = _t(
    "allowlist-expired",
    M,
    0,
    "Allowlist entry expired",
    """The allowlist entry for this package has expired: review and renew it, or remove it.""",
)
YANKED = _t(
    "yanked",
    M,
    10,
    "Pinned version is yanked",
    """The pinned version was yanked by its maintainers (the reason is shown when given).""",
)
UNKNOWN_VERSION = _t(
    "unknown-version",
    M,
    10,
    "Pinned version does not exist",
    """The pinned version is not among the package's releases: a hallucinated version, or a
    typo. Installation would fail or pick something else.""",
)
DEPRECATED = _t(
    "deprecated",
    M,
    5,
    "Deprecated",
    """The index or the maintainers mark this package (or the chosen version) as deprecated.""",
)
ARCHIVED = _t(
    "archived",
    L,
    5,
    "Archived",
    """The project is archived on the index (PEP 792): no new releases will come.""",
)
QUARANTINED = _t(
    "quarantined",
    H,
    100,
    "Quarantined by the index",
    """The index has quarantined the project (PEP 792), usually for malware: no files are
    offered. Remove it.""",
)
VULNERABLE = _t(
    "vulnerable",
    M,
    0,
    "Known vulnerabilities",
    """The index lists known vulnerabilities for the chosen version (or for the latest
    release, when the chosen version's own list is not served; the finding says which).""",
)
NEW_RELEASE = _t(
    "new-release",
    M,
    20,
    "Version uploaded within the cooldown",
    """The version that would be installed was uploaded less than `min_release_age` ago
    (default 48 hours). Compromised releases of popular packages are usually taken down within
    hours; wait, or pin the previous version. The resolver already prefers the newest version
    outside the window. Only real upload times count (the Python index's file upload times).""",
)
DEPENDENCIES_UNKNOWN = _t(
    "dependencies-unknown",
    L,
    0,
    "Dependencies unknown without building",
    """The chosen version is only an sdist (or its wheel's metadata cannot be read): what it
    would install is known only by building it, which depguard never does. Its own
    dependencies are not in the resolution; review them by hand.""",
)
UNDECLARED_IMPORT = _t(
    "undeclared-import",
    M,
    10,
    "Imported but not declared",
    """The code imports a third-party module that no manifest declares. Declare the
    distribution that provides it (named in the finding) or remove the import. For an
    established package (popular or widely downloaded) it is information, not a warning.""",
    (TierWeight(MIN, 0, "for an established package: information (low severity)"),),
)

CATALOG: dict[str, FindingType] = {
    t.id: t
    for t in (
        NOT_FOUND,
        QUARANTINED,
        DENYLISTED,
        TYPOSQUAT,
        IMPORT_NAME,
        STDLIB_NAME,
        NAME_PATTERN,
        PLACEHOLDER,
        MODULE_MISSING,
        WEAK_SIGNALS,
        RECENTLY_CREATED,
        LOW_DOWNLOADS,
        FEW_RELEASES,
        NO_REPOSITORY,
        SINGLE_MAINTAINER,
        EMPTY_DESCRIPTION,
        INSTALL_SCRIPTS,
        UNDECLARED_IMPORT,
        NEW_RELEASE,
        DEPENDENCIES_UNKNOWN,
        DIRECT_URL,
        UNEXPECTED_REGISTRY,
        DEPENDENCY_CONFUSION,
        EXTRA_INDEX_URL,
        PARSE_ERROR,
        REGISTRY_ERROR,
        UNVERIFIED,
        NOT_ALLOWLISTED,
        ALLOWLIST_EXPIRED,
        YANKED,
        UNKNOWN_VERSION,
        DEPRECATED,
        ARCHIVED,
        VULNERABLE,
    )
}


def markdown_table() -> str:
    """The README's table of finding ids, generated from the catalog."""
    rows = ["| id | severity | weight | meaning |", "|---|---|---|---|"]
    for t in CATALOG.values():
        rows.append(
            f"| `{t.id}` | {t.severity.value} | {t.weight_text} | **{t.title}.** {t.help} |"
        )
    return "\n".join(rows)


README_START = "<!-- findings-table: generated by `python -m depguard.findings --markdown` -->"
README_END = "<!-- /findings-table -->"


def with_table(readme: str) -> str:
    """``readme`` with the text between the findings-table markers regenerated."""
    head, _, rest = readme.partition(README_START)
    _, _, tail = rest.partition(README_END)
    return f"{head}{README_START}\n{markdown_table()}\n{README_END}{tail}"


if __name__ == "__main__":  # pragma: no cover - documentation helper
    if "--markdown" in sys.argv:
        print(markdown_table())
    if "--readme" in sys.argv:
        from pathlib import Path

        target = Path(sys.argv[sys.argv.index("--readme") + 1])
        target.write_text(with_table(target.read_text(encoding="utf-8")), encoding="utf-8")
