"""A requested distribution name that is really another distribution's import name.

``pip install sklearn``, ``cv2``, ``yaml``, ``PIL``, ``bs4``: the name in the manifest is what
the code imports, and the distribution that provides it is called something else
(scikit-learn, opencv-python, PyYAML, Pillow, beautifulsoup4). Under the import name there is
either nothing (the ``not-found`` finding says so; this one adds what to install), a
deprecated placeholder, or a project registered by someone else. The check reads only the
bundled import-name map and popularity snapshot, so it gives the same answer offline and
whatever the registry says; the registry's answer only adds what is registered under the name.

Not flagged:

* a distribution that is the most downloaded provider of the module (PyYAML for ``yaml``);
* a popular distribution (one in the snapshot) whose downloads the intended one does not at
  least double: a name that many people install on purpose is no slip (pyspark, whose own
  file is too large to have been read, beside databricks-connect);
* a popular project named exactly after the module and used at least a tenth as much as the
  provider (pymupdf4llm beside pymupdf, which vendors a copy of its module);
* a popular distribution that installs the module too, or that is the same project under a
  packaging-variant name (jupyter beside jupyter-core, ansible beside ansible-core,
  pydantic-ai beside pydantic-ai-slim; for a namespace, llama-index beside its
  llama-index-* members), unless the intended distribution has ``popularity_ratio`` times its
  downloads (jwt beside PyJWT is flagged; psycopg2 beside psycopg2-binary is not);
* references made only by code imports (the code scan maps those through the same map), direct
  URLs and paths, and names outside PyPI.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from depguard import findings as F
from depguard import import_names
from depguard.model import Ecosystem, Evidence, Finding, LookupStatus, NamedIn, Severity, Tier
from depguard.names import normalize
from depguard.popularity import snapshot
from depguard.sanitize import clean
from depguard.signals import Context

SHOWN_PROVIDERS = 3
_VARIANT = re.compile(
    r"^(?:core|slim|bare|base|lib|libs|bin|binary|binaries|gpu|cpu|headless|full|lite|"
    r"minimal|cu\d+)$"
)
"""Words a project appends to name a variant of itself (jupyter-core, opencv-python-headless)."""


def check(evidence: Evidence, context: Context) -> Iterator[Finding]:
    package = evidence.package
    if package.ecosystem is not Ecosystem.PYPI or not package.from_index:
        return
    if all(d.named_in is NamedIn.IMPORT for d in package.dependencies):
        return  # named by the code scan, which already mapped the import through this map
    ratio_needed = context.thresholds.popularity_ratio
    for match in import_names.spelled_like(package.normalized):
        if match.namespace:
            finding = _namespace(evidence, match, ratio_needed)
        else:
            finding = _module(evidence, match, ratio_needed)
        if finding is not None:
            yield finding
            return


def _module(evidence: Evidence, match: import_names.Match, ratio_needed: int) -> Finding | None:
    package = evidence.package
    keys = [normalize(Ecosystem.PYPI, d) for d in match.distributions]
    if not keys or keys[0] == package.normalized:
        return None  # the requested distribution is the one people mean
    intended = match.distributions[0]
    also_provides = package.normalized in keys
    family = _variant_of(package.normalized, keys[0])
    ratio = _download_ratio(keys[0], package.normalized)
    if not _outnumbered(ratio, ratio_needed, also_provides or family):
        return None
    if _own_project(package.normalized, match.key, ratio):
        return None
    shown = clean(package.name, 80)
    module = clean(match.key, 80)
    if match.key == package.name:
        message = f"{shown} is the import name of {intended}; install {intended}"
    else:
        message = f"{shown} spells the import name {module} of {intended}; install {intended}"
    if also_provides and ratio is not None:
        message += (
            f" (the {shown} distribution also installs a module {module}, but {intended} "
            f"has {ratio}x its downloads)"
        )
    elif evidence.lookup.status is LookupStatus.FOUND:
        message += _registered_note(evidence)
    others = [d for d, k in zip(match.distributions, keys, strict=True) if k != package.normalized]
    return F.IMPORT_NAME.make(
        message,
        import_name=match.key,
        suggestion=intended,
        did_you_mean=others[:SHOWN_PROVIDERS],
        providers=list(match.distributions),
        registered=evidence.lookup.exists,
        also_provides=also_provides,
    )


def _namespace(evidence: Evidence, match: import_names.Match, ratio_needed: int) -> Finding | None:
    package = evidence.package
    keys = [normalize(Ecosystem.PYPI, d) for d in match.distributions]
    if not keys or package.normalized in keys:
        return None  # a member of the namespace, named after it
    family = any(k.startswith(package.normalized + "-") for k in keys)
    ratio = _download_ratio(keys[0], package.normalized)
    if not _outnumbered(ratio, ratio_needed, family):
        return None
    shown = clean(package.name, 80)
    module = clean(match.key, 80)
    members = ", ".join(match.distributions[:SHOWN_PROVIDERS])
    more = match.total - min(match.total, SHOWN_PROVIDERS)
    listed = f"{members} and {more} more" if more else members
    message = (
        f"{shown} spells {module}, a namespace package that {match.total} distributions "
        f"install into ({listed}); install the distribution of the module the code "
        f"imports from it"
    )
    if evidence.lookup.status is LookupStatus.FOUND:
        message += f"; {shown} on {package.ecosystem.index_label} is a separate project"
    return F.IMPORT_NAME.make(
        message,
        import_name=match.key,
        namespace=True,
        suggestion=None,
        did_you_mean=list(match.distributions[:SHOWN_PROVIDERS]),
        providers=list(match.distributions),
        registered=evidence.lookup.exists,
        also_provides=False,
    )


def _outnumbered(ratio: int | None, ratio_needed: int, related: bool) -> bool:
    """Is the intended distribution used enough more than the requested one to call the
    request a slip? ``ratio`` is None when the requested one is not popular at all."""
    if ratio is None:
        return True
    return ratio >= ratio_needed if related else ratio >= 2


def _variant_of(requested: str, intended: str) -> bool:
    """``intended`` is ``requested`` plus packaging-variant words (jupyter → jupyter-core)."""
    if not intended.startswith(requested + "-"):
        return False
    extra = intended[len(requested) + 1 :].split("-")
    return all(_VARIANT.match(word) for word in extra)


def _registered_note(evidence: Evidence) -> str:
    """What is registered under the requested name (a `not-found` speaks for itself)."""
    shown = clean(evidence.package.name, 80)
    summary = clean(evidence.info.summary, 100) if evidence.info else ""
    said = f': "{summary}"' if summary else ""
    return (
        f" ({shown} on {evidence.package.ecosystem.index_label} is a separate project, "
        f"a placeholder or someone else's registration{said})"
    )


OWN_PROJECT_RATIO = 10
"""A popular project named exactly after the module is someone else's import name only when
the provider is downloaded at least this many times as much (sklearn: 83x; pymupdf4llm: 2x)."""


def _own_project(requested: str, module: str, ratio: int | None) -> bool:
    """A popular project whose name is the module's own (``pymupdf4llm``, which pymupdf also
    vendors a copy of): the map leaves out modules a distribution installs under its own name,
    so it cannot say this one installs it; a popular project used nearly as much as the
    provider is a project in its own right, not a slip."""
    if normalize(Ecosystem.PYPI, module) != requested or ratio is None:
        return False
    return ratio < OWN_PROJECT_RATIO


def _download_ratio(intended: str, requested: str) -> int | None:
    """How many times the intended distribution's downloads the requested one's are (rounded
    down); None when the requested one is not in the popularity snapshot."""
    popular = snapshot(Ecosystem.PYPI)
    other = popular.get(requested)
    if other is None or not other.downloads:
        return None
    top = popular.get(intended)
    return (top.downloads or 0) // other.downloads if top is not None else 0


def check_imported(evidence: Evidence, context: Context) -> Iterator[Finding]:
    """Code imports ``sklearn``; the module comes from scikit-learn, and what the index has
    under the name ``sklearn`` is someone else's project (or a placeholder): installing the
    import name would not give the code what it imports."""
    from depguard.maturity import is_established

    provider = clean(evidence.package.name, 80)
    # The code uses an established provider; the finding is advice for whoever declares it
    # (install the provider, not the import name): information, not a warning that gates.
    advice = is_established(evidence, context.thresholds)
    for alias, lookup in evidence.aliases.items():
        if lookup.status is not LookupStatus.FOUND or lookup.info is None:
            continue
        shown = clean(alias, 80)
        summary = clean(lookup.info.summary, 100)
        said = f' ("{summary}")' if summary else ""
        yield F.IMPORT_NAME.make(
            f"{shown} on {evidence.package.ecosystem.index_label} is a different project"
            f"{said}: install {provider}, not {shown}",
            severity=Severity.LOW if advice else None,
            tier=Tier.MINIMAL if advice else Tier.NORMAL,
            import_name=alias,
            suggestion=evidence.package.name,
            registered=True,
            imported=True,
        )
