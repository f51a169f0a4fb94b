"""npm packages that run code when installed (``preinstall``, ``install``, ``postinstall``)."""

from __future__ import annotations

from collections.abc import Iterator

from depguard import findings as F
from depguard.chosen import chosen_versions
from depguard.model import Ecosystem, Evidence, Finding
from depguard.sanitize import clean
from depguard.signals import Context


def check(evidence: Evidence, context: Context) -> Iterator[Finding]:
    info = evidence.info
    if info is None or not info.exists or info.ecosystem is not Ecosystem.NPM:
        return
    for version in chosen_versions(evidence.package, info):
        scripts = info.version_install_scripts.get(version)
        if scripts is None:
            continue
        shown = {name: clean(command, 200) for name, command in scripts.items()}
        if shown:
            listed = "; ".join(f"{name}: {command}" for name, command in shown.items())
            message = f"version {clean(version, 40)} runs code at install time ({listed})"
        else:
            message = (
                f"version {clean(version, 40)} runs code at install time "
                "(the registry's abbreviated document does not say which scripts)"
            )
        yield F.INSTALL_SCRIPTS.make(
            message,
            version=version,
            scripts=shown,
            created=info.created.isoformat() if info.created else None,
        )
