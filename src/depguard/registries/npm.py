"""The npm registry: package documents, full or abbreviated.

The abbreviated document (``Accept: application/vnd.npm.install-v1+json``) has the versions,
dist-tags, deprecations, ``hasInstallScript`` and ``dist`` (so provenance), but no creation
date, maintainers, repository or script text. depguard asks for it only for packages the
bundled popularity list already vouches for, whose age and maintainers carry no weight, and
as the fallback when a full document is larger than the size bound; every other package gets
the full document, because those facts are exactly what judges an unknown package.
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import quote

from depguard.indexes import redact
from depguard.model import Lookup, LookupStatus
from depguard.npmrc import registry_for
from depguard.registries.http import HttpClient, RegistryError, ResponseTooLarge
from depguard.registries.npm_document import DocumentError, parse_packument
from depguard.timeutil import utcnow

ABBREVIATED = "application/vnd.npm.install-v1+json"
FULL = "application/json"


def package_path(name: str) -> str:
    """``name`` as the registry's URL path: a scope's slash is encoded (``@scope%2Fname``)."""
    return quote(name, safe="@")


class NpmClient:
    def __init__(
        self,
        http: HttpClient,
        registry: str,
        max_bytes: int,
        scopes: Mapping[str, str] | None = None,
        *,
        authorization: str | None = None,
    ) -> None:
        self.http = http
        self.registry = registry.rstrip("/")
        self.scopes = {k: v.rstrip("/") for k, v in (scopes or {}).items()}
        self.max_bytes = max_bytes
        self.headers = {"Authorization": authorization} if authorization else None

    def package_url(self, name: str) -> str:
        return f"{registry_for(name, self.registry, self.scopes)}/{package_path(name)}"

    async def package(self, name: str, *, abbreviated: bool = False) -> Lookup:
        """Ask the registry about ``name``. Raises RegistryError when it cannot."""
        accept = f"{ABBREVIATED}, {FULL};q=0.8" if abbreviated else FULL
        try:
            response = await self.http.get(
                self.package_url(name),
                max_bytes=self.max_bytes,
                accept=accept,
                headers=self.headers,
            )
        except ResponseTooLarge:
            if abbreviated:
                raise
            return await self.package(name, abbreviated=True)
        if response.status == 200:
            try:
                info = parse_packument(response.body, name)
            except DocumentError as exc:
                kind = response.content_type.split(";", maxsplit=1)[0].strip() or "no type"
                raise RegistryError(
                    f"unexpected answer from the npm registry ({exc}; {kind})"
                ) from None
            return Lookup(LookupStatus.FOUND, info, fetched_at=utcnow())
        if response.status in (404, 410):
            return Lookup(LookupStatus.NOT_FOUND, fetched_at=utcnow())
        if response.status in (401, 403):
            where = redact(self.registry)
            if response.status == 403:
                raise RegistryError(f"{where} denied access (HTTP 403)")
            if self.headers:
                raise RegistryError(f"{where} refused the credentials (HTTP 401)")
            raise RegistryError(
                f"{where} asks for credentials (HTTP 401) and none were found: give a token "
                "through the environment (token_env), ~/.netrc or a keyring helper"
            )
        raise RegistryError(f"HTTP {response.status} from the npm registry")
