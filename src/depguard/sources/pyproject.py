"""``pyproject.toml``: PEP 621 dependencies and extras, PEP 735 dependency groups, the build
system's requirements, Poetry's dependency tables, and requirements files that setuptools
reads dynamically."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from packaging.requirements import InvalidRequirement, Requirement

from depguard.model import Dependency, Ecosystem, Location, NamedIn, UrlKind
from depguard.names import normalize
from depguard.sources import SourceResult
from depguard.sources.reading import read_into
from depguard.sources.requirements import IncludePolicy
from depguard.sources.requirements import parse_file as parse_requirements_file
from depguard.sources.toml_lines import TomlLines

if TYPE_CHECKING:
    from depguard.sources.context import ReadContext

if TYPE_CHECKING:
    pass

MAX_GROUP_DEPTH = 50


def parse_file(path: Path, display: str, policy: IncludePolicy) -> SourceResult:
    result = SourceResult()
    text = read_into(path, display, result)
    if text is None:
        return result
    result.extend(parse_text(text, display, path.parent, policy))
    return result


def parse_text(text: str, display: str, base_dir: Path, policy: IncludePolicy) -> SourceResult:
    import tomlkit
    from tomlkit.exceptions import ParseError

    result = SourceResult()
    try:
        document = tomlkit.parse(text).unwrap()
    except ParseError as exc:
        result.error(display, getattr(exc, "line", None), f"invalid TOML: {_toml_message(exc)}")
        return result
    except RecursionError:
        result.error(display, None, "invalid TOML: nested too deeply")
        return result
    except Exception as exc:  # tomlkit raises assorted errors on hostile input
        result.error(display, None, f"invalid TOML: {type(exc).__name__}")
        return result
    reader = _Reader(display, TomlLines(text), result)
    from depguard.sources.indexes import from_pyproject

    from_pyproject(document, text, display, result)

    project = _table(document.get("project"))
    if project is not None:
        reader.pep508_list(
            project.get("dependencies"), ("project",), "dependencies", NamedIn.PROJECT, None
        )
        extras = _table(project.get("optional-dependencies"))
        for extra, items in (extras or {}).items():
            reader.pep508_list(
                items,
                ("project", "optional-dependencies"),
                str(extra),
                NamedIn.OPTIONAL,
                str(extra),
            )
        dynamic = project.get("dynamic")
        if (
            isinstance(dynamic, list)
            and "dependencies" in dynamic
            and "dependencies" not in project
        ):
            reader.dynamic_dependencies(document, base_dir, policy)

    groups = _table(document.get("dependency-groups"))
    if groups is not None:
        reader.dependency_groups(groups)

    build = _table(document.get("build-system"))
    if build is not None:
        reader.pep508_list(
            build.get("requires"), ("build-system",), "requires", NamedIn.BUILD, None
        )

    tool = _table(document.get("tool")) or {}
    poetry = _table(tool.get("poetry"))
    if poetry is not None:
        reader.poetry_table(poetry.get("dependencies"), ("tool", "poetry", "dependencies"), None)
        reader.poetry_table(
            poetry.get("dev-dependencies"), ("tool", "poetry", "dev-dependencies"), "dev"
        )
        for group, body in (_table(poetry.get("group")) or {}).items():
            table = _table(body)
            if table is not None:
                reader.poetry_table(
                    table.get("dependencies"),
                    ("tool", "poetry", "group", str(group), "dependencies"),
                    str(group),
                )
    uv = _table(tool.get("uv"))
    if uv is not None:
        reader.pep508_list(
            uv.get("dev-dependencies"), ("tool", "uv"), "dev-dependencies", NamedIn.GROUP, "dev"
        )
        sources = _table(uv.get("sources"))
        if sources:
            result.dependencies = [_uv_source(d, sources) for d in result.dependencies]
    return result


def _uv_source(dependency: Dependency, sources: Mapping[str, Any]) -> Dependency:
    """A dependency as ``[tool.uv.sources]`` says it is fetched: from git, a URL, a path or a
    workspace member it is a direct reference (never judged by name against the index); an
    ``index = ...`` pin leaves it to the index (see :mod:`depguard.sources.indexes`)."""
    from dataclasses import replace

    if dependency.url is not None:
        return dependency
    entry = next(
        (
            v
            for k, v in sources.items()
            if normalize(Ecosystem.PYPI, str(k)) == dependency.normalized
        ),
        None,
    )
    for one in entry if isinstance(entry, list) else [entry]:
        if not isinstance(one, Mapping):
            continue
        if isinstance(one.get("git"), str):
            return replace(dependency, url=f"git+{one['git']}", url_kind=UrlKind.VCS)
        if isinstance(one.get("url"), str):
            return replace(dependency, url=one["url"], url_kind=UrlKind.URL)
        if isinstance(one.get("path"), str):
            return replace(dependency, url=one["path"], url_kind=UrlKind.PATH)
        if one.get("workspace") is True:
            return replace(dependency, url=f"workspace:{dependency.name}", url_kind=UrlKind.PATH)
    return dependency


class _Reader:
    def __init__(self, display: str, lines: TomlLines, result: SourceResult) -> None:
        self.display = display
        self.lines = lines
        self.result = result

    def pep508_list(
        self,
        items: object,
        table: tuple[str, ...],
        key: str,
        named_in: NamedIn,
        group: str | None,
    ) -> None:
        if items is None:
            return
        key_line = self.lines.key_line(table, key)
        if not isinstance(items, list):
            self.result.error(
                self.display, key_line, f"{'.'.join((*table, key))} must be an array of strings"
            )
            return
        cursor = key_line
        for item in items:
            if isinstance(item, Mapping) and named_in is NamedIn.GROUP:
                continue  # include-group entries, resolved by dependency_groups
            if not isinstance(item, str):
                self.result.error(
                    self.display,
                    key_line,
                    f"{'.'.join((*table, key))}: expected a string, got {type(item).__name__}",
                )
                continue
            line = self.lines.value_line(item, cursor)
            cursor = line or cursor
            dep = self.pep508(item, line, named_in, group)
            if dep is not None:
                self.result.dependencies.append(dep)

    def pep508(
        self, text: str, line: int | None, named_in: NamedIn, group: str | None
    ) -> Dependency | None:
        made = pep508_dependency(text, Location(self.display, line), named_in, group)
        if isinstance(made, str):
            self.result.error(self.display, line, f"invalid requirement {text!r}: {made}", text)
            return None
        return made

    def dependency_groups(self, groups: Mapping[str, Any]) -> None:
        normalized = {normalize(Ecosystem.PYPI, str(name)): name for name in groups}
        for name, items in groups.items():
            self.pep508_list(items, ("dependency-groups",), str(name), NamedIn.GROUP, str(name))
            if not isinstance(items, list):
                continue
            for item in items:
                if isinstance(item, Mapping):
                    self._include_group(str(name), item, normalized, groups)

    def _include_group(
        self,
        group: str,
        item: Mapping[str, Any],
        normalized: Mapping[str, str],
        groups: Mapping[str, Any],
    ) -> None:
        line = self.lines.key_line(("dependency-groups",), group)
        target = item.get("include-group")
        if set(item) != {"include-group"} or not isinstance(target, str):
            self.result.error(
                self.display, line, f"dependency-groups.{group}: unknown entry {dict(item)!r}"
            )
            return
        if normalize(Ecosystem.PYPI, target) not in normalized:
            self.result.error(
                self.display,
                line,
                f"dependency-groups.{group}: include-group {target!r} is not defined",
            )
            return
        # Follow includes only to detect cycles: every group's own entries are read once.
        seen = [normalize(Ecosystem.PYPI, group)]
        pending = [normalize(Ecosystem.PYPI, target)]
        while pending:
            current = pending.pop()
            if current in seen:
                if current == seen[0]:
                    self.result.error(
                        self.display, line, f"dependency-groups.{group}: include-group cycle"
                    )
                    return
                continue
            seen.append(current)
            if len(seen) > MAX_GROUP_DEPTH:
                self.result.error(
                    self.display, line, f"dependency-groups.{group}: includes nested too deeply"
                )
                return
            body = groups.get(normalized.get(current, ""), [])
            for sub in body if isinstance(body, list) else []:
                if isinstance(sub, Mapping) and isinstance(sub.get("include-group"), str):
                    pending.append(normalize(Ecosystem.PYPI, sub["include-group"]))

    def poetry_table(self, table: object, path: tuple[str, ...], group: str | None) -> None:
        if table is None:
            return
        if not isinstance(table, Mapping):
            self.result.error(
                self.display, self.lines.header_line(path), f"{'.'.join(path)} must be a table"
            )
            return
        for name, spec in table.items():
            if str(name).lower() == "python":
                continue
            line = self.lines.key_line(path, str(name)) or self.lines.header_line((*path, name))
            dep = self._poetry_dependency(str(name), spec, line, group)
            if dep is not None:
                self.result.dependencies.append(dep)

    def _poetry_dependency(
        self, name: str, spec: object, line: int | None, group: str | None
    ) -> Dependency | None:
        location = Location(self.display, line)
        specs = spec if isinstance(spec, list) else [spec]
        versions: list[str] = []
        extras: set[str] = set()
        url: str | None = None
        kind: UrlKind | None = None
        for one in specs:
            if isinstance(one, str):
                versions.append(_poetry_version(one))
            elif isinstance(one, Mapping):
                if isinstance(one.get("version"), str):
                    versions.append(_poetry_version(one["version"]))
                extras.update(str(e) for e in one.get("extras") or ())
                for key, url_kind in (
                    ("git", UrlKind.VCS),
                    ("url", UrlKind.URL),
                    ("path", UrlKind.PATH),
                ):
                    if isinstance(one.get(key), str):
                        url, kind = str(one[key]), url_kind
            else:
                self.result.error(
                    self.display, line, f"poetry dependency {name!r}: unsupported value"
                )
                return None
        return Dependency(
            ecosystem=Ecosystem.PYPI,
            name=name,
            normalized=normalize(Ecosystem.PYPI, name),
            location=location,
            named_in=NamedIn.POETRY,
            specifier=" || ".join(v for v in versions if v),
            extras=tuple(sorted(extras)),
            url=url,
            url_kind=kind,
            group=group,
        )

    def dynamic_dependencies(
        self, document: Mapping[str, Any], base_dir: Path, policy: IncludePolicy
    ) -> None:
        """setuptools' ``dynamic = {file = [...]}`` names requirements files: read them."""
        tool = _table(document.get("tool")) or {}
        setuptools = _table(tool.get("setuptools")) or {}
        dynamic = _table(setuptools.get("dynamic")) or {}
        spec = _table(dynamic.get("dependencies"))
        files = spec.get("file") if spec else None
        if isinstance(files, str):
            files = [files]
        line = self.lines.key_line(("project",), "dynamic")
        if not isinstance(files, list) or not files:
            if any((base_dir / name).is_file() for name in ("setup.cfg", "setup.py")):
                return  # setuptools reads them from there, and so does depguard (setup_files)
            # Not an error in the file: the dependencies cannot be known without running
            # build code, which depguard never does. Said, not failed.
            where = f"{self.display}:{line}" if line else self.display
            self.result.notices.append(
                f"{where}: dependencies are dynamic (computed by the build "
                "backend); depguard does not run build code, so they are not known - list them "
                "in a requirements file to check them"
            )
            return
        for name in files:
            target = base_dir / str(name)
            shown = str(Path(self.display).parent / str(name))
            if not target.is_file():
                self.result.error(
                    self.display, line, f"dynamic dependencies file {name!r} not found"
                )
                continue
            self.result.extend(parse_requirements_file(target, shown, policy))


def pep508_dependency(
    text: str, location: Location, named_in: NamedIn, group: str | None = None
) -> Dependency | str:
    """One PEP 508 requirement as a dependency, or why it is not one."""
    try:
        req = Requirement(text)
    except InvalidRequirement as exc:
        return str(exc).strip().splitlines()[0] if str(exc).strip() else "invalid"
    common: dict[str, Any] = {
        "ecosystem": Ecosystem.PYPI,
        "name": req.name,
        "normalized": normalize(Ecosystem.PYPI, req.name),
        "location": location,
        "named_in": named_in,
        "extras": tuple(sorted(req.extras)),
        "marker": str(req.marker) if req.marker else None,
        "group": group,
    }
    if req.url:
        return Dependency(**common, url=req.url, url_kind=_url_kind(req.url))
    return Dependency(**common, specifier=str(req.specifier))


def _poetry_version(text: str) -> str:
    text = text.strip()
    if re.fullmatch(r"\d+(\.\d+)*([a-zA-Z0-9.+-]*)?", text):
        return f"=={text}"  # Poetry reads a bare version as an exact pin
    return text


def _url_kind(url: str) -> UrlKind:
    if re.match(r"^(git|hg|svn|bzr)\+", url):
        return UrlKind.VCS
    if url.startswith("file:"):
        return UrlKind.PATH
    return UrlKind.URL


def _table(value: object) -> Mapping[str, Any] | None:
    return value if isinstance(value, Mapping) else None


def _toml_message(exc: Exception) -> str:
    return str(exc).split(" at line ")[0].strip() or type(exc).__name__


def read(path: Path, display: str, context: ReadContext) -> SourceResult:
    """The source interface (:mod:`depguard.sources.context`)."""
    return parse_file(path, display, context.includes)
