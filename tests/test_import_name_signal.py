"""The `import-name` signal: a requested distribution name that is another one's import name."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest

from depguard.model import Ecosystem, NamedIn
from depguard.signals import Context
from depguard.signals import import_name as signal

from support import write
from support.evidence import evidence


def finding(result: Any, name: str) -> dict[str, Any]:
    found = [f for f in result.package(name)["findings"] if f["id"] == "import-name"]
    assert len(found) == 1, result.package(name)["findings"]
    return found[0]


def test_registered_import_names_say_what_is_registered(depguard: Any, workdir: Path) -> None:
    write(workdir / "requirements.txt", "sklearn\nbs4\nserial\n")
    result = depguard("check", "-f", "json")
    sklearn = finding(result, "sklearn")
    assert sklearn["suggestion"] == "scikit-learn"
    assert sklearn["import_name"] == "sklearn"
    assert sklearn["registered"] is True
    assert sklearn["message"].startswith(
        "sklearn is the import name of scikit-learn; install scikit-learn"
    )
    assert "deprecated sklearn package, use scikit-learn instead" in sklearn["message"]
    assert result.package("sklearn")["verdict"] == "warn"
    bs4 = finding(result, "bs4")
    assert bs4["suggestion"] == "beautifulsoup4" and bs4["did_you_mean"] == ["beautifulsoup4"]
    assert "separate project" in bs4["message"]
    assert finding(result, "serial")["suggestion"] == "pyserial"


def test_a_far_less_used_provider_of_the_module_is_flagged(depguard: Any, workdir: Path) -> None:
    write(workdir / "requirements.txt", "jwt\n")
    jwt = finding(depguard("check", "-f", "json"), "jwt")
    assert jwt["suggestion"] == "PyJWT"
    assert jwt["also_provides"] is True
    assert jwt["message"].startswith("jwt is the import name of PyJWT; install PyJWT")
    assert (
        "the jwt distribution also installs a module jwt, but PyJWT has 115x its downloads"
        in (jwt["message"])
    )


def test_missing_import_names_add_the_suggestion_to_not_found(depguard: Any, workdir: Path) -> None:
    write(workdir / "requirements.txt", "cv2\nyaml\nPIL\ndotenv\n")
    result = depguard("check", "-f", "json")
    assert result.code == 1
    expected = {
        "cv2": "opencv-python",
        "yaml": "PyYAML",
        "PIL": "pillow",
        "dotenv": "python-dotenv",
    }
    for name, intended in expected.items():
        assert result.ids(name)[:2] == ["not-found", "import-name"]
        found = finding(result, name)
        assert found["suggestion"] == intended
        assert found["registered"] is False
        assert found["message"] == f"{name} is the import name of {intended}; install {intended}"
    cv2 = finding(result, "cv2")
    assert cv2["did_you_mean"][0] == "opencv-python"
    assert "opencv-python-headless" in cv2["providers"]


def test_works_offline(depguard: Any, workdir: Path, registry: Any) -> None:
    write(workdir / "requirements.txt", "cv2\nsklearn\nskimage\nfitz\n")
    result = depguard("check", "--offline", "-f", "json")
    assert registry.requests == []
    for name, intended in {
        "cv2": "opencv-python",
        "sklearn": "scikit-learn",
        "skimage": "scikit-image",
        "fitz": "pymupdf",
    }.items():
        assert "unverified" in result.ids(name)
        found = finding(result, name)
        assert found["suggestion"] == intended and found["registered"] is None


def test_text_report_names_the_distribution_to_install(depguard: Any, workdir: Path) -> None:
    write(workdir / "requirements.txt", "cv2\n")
    out = depguard("check", "--offline").out
    assert "cv2 is the import name of opencv-python; install opencv-python" in " ".join(out.split())


@pytest.mark.parametrize(
    "name",
    [
        "PyYAML",
        "pyyaml",
        "beautifulsoup4",
        "scikit-learn",
        "opencv-python-headless",
        "pillow",
        "PyJWT",
        "python-dotenv",
        "requests",
        "psycopg2",  # installs psycopg2 beside the more downloaded psycopg2-binary
        "psycopg2-binary",
        "mlflow",
        "protobuf",
        "google-cloud-storage",
        "zope.interface",
        "azure-storage-blob",
        "this-is-no-module",
        # popular names installed on purpose: a meta-package of the same project, or a name
        # the intended distribution does not outnumber
        "jupyter",  # jupyter-core installs the module
        "ansible",  # ansible-core
        "pydantic-ai",  # pydantic-ai-slim
        "tox-uv",  # tox-uv-bare
        "llama-index",  # the llama_index namespace of llama-index-* members
        "pyspark",  # its sdist is too large to read; databricks-connect also installs pyspark
    ],
)
def test_not_flagged(depguard: Any, workdir: Path, name: str) -> None:
    write(workdir / "requirements.txt", f"{name}\n")
    assert "import-name" not in depguard("check", "--offline", "-f", "json").ids(name)


@pytest.mark.parametrize(
    ("name", "intended"),
    [
        ("bs4", "beautifulsoup4"),
        ("dotenv", "python-dotenv"),
        ("attr", "attrs"),
        ("serial", "pyserial"),
        ("websocket", "websocket-client"),
        ("telegram", "python-telegram-bot"),
        ("slugify", "python-slugify"),
        ("jose", "python-jose"),
        ("pdfminer", "pdfminer.six"),
        ("fitz", "pymupdf"),
    ],
)
def test_popular_names_that_are_slips_are_flagged(
    depguard: Any, workdir: Path, name: str, intended: str
) -> None:
    """These are popular because people install them by mistake: each has far fewer
    downloads than the distribution that provides the module."""
    write(workdir / "requirements.txt", f"{name}\n")
    assert finding(depguard("check", "--offline", "-f", "json"), name)["suggestion"] == intended


def test_a_provider_of_the_module_is_flagged_only_when_far_less_used(
    depguard: Any, workdir: Path
) -> None:
    """docx, kafka and ffmpeg each install the module themselves; python-docx, kafka-python
    and ffmpeg-python have 33-83x their downloads: under the default popularity_ratio (100)
    they are established alternatives, under a stricter one they are flagged."""
    write(workdir / "requirements.txt", "docx\nkafka\nffmpeg\n")
    result = depguard("check", "--offline", "-f", "json")
    for name in ("docx", "kafka", "ffmpeg"):
        assert "import-name" not in result.ids(name)
    write(workdir / "depguard.toml", "[thresholds]\npopularity_ratio = 30\n")
    strict = depguard("check", "--offline", "-f", "json")
    for name, intended in (("docx", "python-docx"), ("kafka", "kafka-python")):
        found = finding(strict, name)
        assert found["suggestion"] == intended and found["also_provides"] is True
        assert f"the {name} distribution also installs a module {name}" in found["message"]


def test_spelling_variants_are_matched(depguard: Any, workdir: Path) -> None:
    write(workdir / "requirements.txt", "pil\ngoogle-protobuf\n")
    result = depguard("check", "--offline", "-f", "json")
    pil = finding(result, "pil")
    assert pil["import_name"] == "PIL" and pil["suggestion"] == "pillow"
    assert pil["message"].startswith("pil spells the import name PIL of pillow; install pillow")
    assert finding(result, "google-protobuf")["suggestion"] == "protobuf"


def test_a_namespace_names_its_members(depguard: Any, workdir: Path) -> None:
    write(workdir / "requirements.txt", "google\n")
    found = finding(depguard("check", "--offline", "-f", "json"), "google")
    assert found["namespace"] is True and found["suggestion"] is None
    assert "protobuf" in found["did_you_mean"]
    assert "namespace package" in found["message"]


def test_direct_references_are_not_judged_by_name(depguard: Any, workdir: Path) -> None:
    write(workdir / "requirements.txt", "yaml @ https://example.invalid/yaml-1.0.tar.gz\n")
    assert "import-name" not in depguard("check", "--offline", "-f", "json").ids("yaml")


def test_only_pypi_names_and_only_manifest_references() -> None:
    context = Context(now=datetime(2026, 1, 1, tzinfo=timezone.utc))
    npm = evidence("yaml", ecosystem=Ecosystem.NPM, named_in=NamedIn.PACKAGE_JSON)
    assert list(signal.check(npm, context)) == []
    assert list(signal.check(evidence("yaml", named_in=NamedIn.IMPORT), context)) == []
    found = list(signal.check(evidence("yaml"), context))
    assert [f.evidence["suggestion"] for f in found] == ["PyYAML"]
