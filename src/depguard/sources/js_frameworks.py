"""Modules that JavaScript frameworks and bundlers make up at build time.

A Docusaurus site imports ``@theme/Layout``, ``@site/src/data`` and ``@docusaurus/router``; Vite's
client imports ``@vite/env``; a Quasar app imports ``boot/axios``. None of these is a registry
package: the framework's bundler configuration aliases them to its own files or to generated
code. Each framework here lists the namespaces its documentation gives, and applies to a tree
only when one of its packages is declared by a ``package.json`` of that tree or is itself a
package inside it (the framework's own repository). Nothing here is a list of individual
registry packages: a name that a framework does not generate is judged like any other.

Adding a framework is adding a :class:`Framework` to :data:`FRAMEWORKS`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Framework:
    name: str
    packages: tuple[str, ...]
    """Any of these declared (or local) turns the framework's namespaces on."""
    prefixes: tuple[str, ...] = ()
    """A specifier equal to one of these, or starting with it and ``/``, is generated."""
    modules: tuple[str, ...] = ()
    """Exact specifiers that are generated."""


FRAMEWORKS: tuple[Framework, ...] = (
    Framework(
        "Docusaurus",
        ("@docusaurus/core",),
        # webpack aliases of every site: the site, generated files, and the theme layers
        prefixes=("@site", "@generated", "@theme", "@theme-original", "@theme-init"),
        # its client API, aliased one by one to @docusaurus/core/lib/client/exports/*
        modules=tuple(
            f"@docusaurus/{name}"
            for name in (
                "BrowserOnly",
                "ComponentCreator",
                "ErrorBoundary",
                "ExecutionEnvironment",
                "Head",
                "Interpolate",
                "Link",
                "Noop",
                "Translate",
                "constants",
                "isInternalUrl",
                "renderRoutes",
                "router",
                "useBaseUrl",
                "useBrokenLinks",
                "useDocusaurusContext",
                "useGlobalData",
                "useIsBrowser",
                "useIsomorphicLayoutEffect",
                "useRouteContext",
            )
        ),
    ),
    Framework("Vite", ("vite",), modules=("@vite/env", "@vite/client")),
    Framework("VitePress", ("vitepress",), prefixes=("@theme",)),
    # CSS engines whose bundler plugins serve a stylesheet under a module name
    Framework("UnoCSS", ("unocss", "@unocss/vite", "@unocss/webpack"), modules=("uno.css",)),
    Framework(
        "Windi CSS",
        ("vite-plugin-windicss", "windicss-webpack-plugin"),
        modules=("windi.css", "windi-base.css", "windi-components.css", "windi-utilities.css"),
    ),
    Framework(
        "Quasar",
        ("@quasar/app-vite", "@quasar/app-webpack"),
        prefixes=("src", "app", "components", "layouts", "pages", "assets", "boot", "stores"),
    ),
)


@dataclass(frozen=True)
class Generated:
    """The generated namespaces that apply to one tree."""

    prefixes: tuple[str, ...] = ()
    modules: frozenset[str] = frozenset()
    frameworks: tuple[str, ...] = ()

    def matches(self, specifier: str) -> bool:
        if specifier in self.modules:
            return True
        return any(specifier == p or specifier.startswith(p + "/") for p in self.prefixes)


def generated(packages: Iterable[str]) -> Generated:
    """The namespaces of every framework one of whose packages is in ``packages``."""
    present = set(packages)
    active = [f for f in FRAMEWORKS if present.intersection(f.packages)]
    return Generated(
        prefixes=tuple(p for f in active for p in f.prefixes),
        modules=frozenset(m for f in active for m in f.modules),
        frameworks=tuple(f.name for f in active),
    )
