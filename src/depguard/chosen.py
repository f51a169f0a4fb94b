"""The version a reference would install: what version-specific signals judge.

PyPI: the pinned versions, else the latest release. npm: per reference, the lockfile's
version, else the version npm would pick for the range or tag (see
:func:`depguard.npm_semver.pick`), else ``dist-tags.latest``. Pure functions of the model.
"""

from __future__ import annotations

from depguard.model import Ecosystem, NamedIn, Package, PackageInfo


def chosen_versions(package: Package, info: PackageInfo | None) -> tuple[str, ...]:
    latest = info.latest_version if info else None
    if package.ecosystem is not Ecosystem.NPM:
        return package.pinned_versions or ((latest,) if latest else ())
    from depguard.npm_semver import pick

    chosen: list[str] = []
    for dep in package.dependencies:
        if dep.is_direct or dep.named_in is NamedIn.IMPORT:
            continue
        version = dep.pinned_version
        if version is None and info is not None:
            version = pick(dep.specifier, info.versions, info.dist_tags, info.deprecated)
        if version is None:
            version = latest
        if version and version not in chosen:
            chosen.append(version)
    if not chosen and latest:
        chosen.append(latest)
    return tuple(chosen)
