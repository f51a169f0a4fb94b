"""The environment a resolution is for: a Python version and a platform.

Markers (PEP 508) are evaluated against :meth:`Target.environment`; a wheel is usable when one
of its tags is among :meth:`Target.tags` (ordered best first, as pip ranks them). Nothing here
looks at the running interpreter except :func:`Target.default`.
"""

from __future__ import annotations

import platform as _platform
import sys
from dataclasses import dataclass
from functools import cached_property

from depguard.errors import UsageError

PLATFORMS = ("linux", "macos", "windows")
MACHINES = ("x86_64", "aarch64", "arm64", "amd64", "i686", "x86")
_MAX_GLIBC_MINOR = 40
_MACOS_MAJORS = (15, 14, 13, 12, 11)


class TargetError(UsageError):
    """A target that cannot be described (unknown platform, malformed version)."""


@dataclass(frozen=True)
class Target:
    python_version: str
    """``X.Y``"""
    system: str
    """linux, macos or windows"""
    machine: str
    """x86_64 or aarch64 (arm64 on macOS; amd64 on Windows)"""

    @classmethod
    def default(cls) -> Target:
        """The running interpreter's Python version and platform."""
        system = {"darwin": "macos", "win32": "windows"}.get(sys.platform, "linux")
        version = f"{sys.version_info.major}.{sys.version_info.minor}"
        return cls(version, system, _machine(system, _platform.machine()))

    @classmethod
    def parse(cls, python_version: str | None, platform: str | None) -> Target:
        """From ``--python-version X.Y`` and ``--platform SYSTEM[-MACHINE]`` (either may be
        None: the running interpreter's)."""
        base = cls.default()
        version = python_version.strip() if python_version else base.python_version
        parts = version.split(".")
        if len(parts) < 2 or not all(p.isdigit() for p in parts[:2]) or parts[0] != "3":
            raise TargetError(f"python version {version!r} is not of the form 3.Y")
        version = f"{int(parts[0])}.{int(parts[1])}"
        if not platform:
            return cls(version, base.system, base.machine)
        system, _, machine = platform.strip().lower().partition("-")
        system = {"darwin": "macos", "win32": "windows", "win": "windows"}.get(system, system)
        if system not in PLATFORMS:
            raise TargetError(
                f"platform {platform!r} is unknown; use {', '.join(PLATFORMS)} "
                "(optionally with -x86_64 or -aarch64)"
            )
        machine = machine or ("arm64" if system == "macos" else "x86_64")
        if machine not in MACHINES:
            raise TargetError(f"machine {machine!r} is unknown; use x86_64 or aarch64")
        return cls(version, system, _machine(system, machine))

    @property
    def key(self) -> str:
        """A short identity for cache keys."""
        return f"py{self.python_version}-{self.system}-{self.machine}"

    def __str__(self) -> str:
        return f"Python {self.python_version} on {self.system}-{self.machine}"

    @property
    def full_version(self) -> str:
        """The running interpreter's full version when it is the target's ``X.Y`` (as pip
        sees it), else ``X.Y.0``."""
        running = sys.version_info
        if self.python_version == f"{running.major}.{running.minor}":
            return f"{running.major}.{running.minor}.{running.micro}"
        return f"{self.python_version}.0"

    @property
    def version_tuple(self) -> tuple[int, int]:
        major, minor = self.python_version.split(".")
        return int(major), int(minor)

    def environment(self) -> dict[str, str]:
        """PEP 508 marker variables for this target."""
        sys_platform = {"linux": "linux", "macos": "darwin", "windows": "win32"}[self.system]
        system = {"linux": "Linux", "macos": "Darwin", "windows": "Windows"}[self.system]
        machine = {"amd64": "AMD64"}.get(self.machine, self.machine)
        return {
            "implementation_name": "cpython",
            "implementation_version": self.full_version,
            "os_name": "nt" if self.system == "windows" else "posix",
            "platform_machine": machine,
            "platform_python_implementation": "CPython",
            "platform_release": "",
            "platform_system": system,
            "platform_version": "",
            "python_full_version": self.full_version,
            "python_version": self.python_version,
            "sys_platform": sys_platform,
        }

    @cached_property
    def tag_priority(self) -> dict[str, int]:
        """Every supported wheel tag (``interpreter-abi-platform``) -> rank, 0 best."""
        from packaging import tags

        platforms = self._platforms()
        version = self.version_tuple
        ordered = [
            *tags.cpython_tags(python_version=version, platforms=platforms),
            *tags.compatible_tags(
                python_version=version,
                interpreter=f"cp{version[0]}{version[1]}",
                platforms=platforms,
            ),
        ]
        priority: dict[str, int] = {}
        for rank, tag in enumerate(ordered):
            priority.setdefault(str(tag), rank)
        return priority

    def _platforms(self) -> list[str]:
        if self.system == "linux":
            arch = self.machine
            many = [f"manylinux_2_{m}_{arch}" for m in range(_MAX_GLIBC_MINOR, 16, -1)]
            legacy = {"x86_64": ["manylinux2014", "manylinux2010", "manylinux1"]}.get(
                arch, ["manylinux2014"]
            )
            musl: list[str] = []
            return [*many, *(f"{x}_{arch}" for x in legacy), *musl, f"linux_{arch}"]
        if self.system == "macos":
            arches = ["arm64", "universal2"] if self.machine == "arm64" else ["x86_64"]
            arches += ["universal2", "intel", "fat64", "fat32", "universal"]
            out: list[str] = []
            for major in _MACOS_MAJORS:
                out += [f"macosx_{major}_0_{a}" for a in dict.fromkeys(arches)]
            for minor in range(16, 8, -1):
                if self.machine != "arm64":
                    out += [f"macosx_10_{minor}_{a}" for a in dict.fromkeys(arches)]
            return out
        return {"amd64": ["win_amd64"], "arm64": ["win_arm64"]}.get(self.machine, ["win32"])

    def wheel_rank(self, filename: str) -> int | None:
        """How well a wheel fits (0 best), or None when it cannot be installed here."""
        from packaging.utils import InvalidWheelFilename, parse_wheel_filename

        try:
            _, _, _, wheel_tags = parse_wheel_filename(filename)
        except InvalidWheelFilename:
            return None
        priority = self.tag_priority
        ranks = [priority[t] for tag in wheel_tags if (t := str(tag)) in priority]
        return min(ranks) if ranks else None


def _machine(system: str, machine: str) -> str:
    machine = machine.lower()
    if machine in ("amd64", "x86_64", "x64"):
        return "amd64" if system == "windows" else "x86_64"
    if machine in ("arm64", "aarch64"):
        return "arm64" if system in ("macos", "windows") else "aarch64"
    if machine in ("i386", "i686", "x86"):
        return "x86" if system == "windows" else "i686"
    return machine
