"""The bundled import-name map and its lookup API (`depguard.import_names`)."""

from __future__ import annotations

import re
import subprocess
import sys
from importlib import resources

import pytest

from depguard import import_names
from depguard.model import Ecosystem
from depguard.popularity import snapshot

# The pairs the map must hold, each verified in the data (see docs/readme-import-names.md).
EXPECTED = {
    "sklearn": "scikit-learn",
    "cv2": "opencv-python",
    "yaml": "PyYAML",
    "PIL": "pillow",  # the project's own spelling on the index today
    "bs4": "beautifulsoup4",
    "dateutil": "python-dateutil",
    "jwt": "PyJWT",
    "dotenv": "python-dotenv",
    "magic": "python-magic",
    "Crypto": "pycryptodome",
    "serial": "pyserial",
    "git": "GitPython",
    "OpenSSL": "pyOpenSSL",
    "attr": "attrs",
    "skimage": "scikit-image",
    "docx": "python-docx",
    "fitz": "pymupdf",
    "google.protobuf": "protobuf",
    "google.cloud.storage": "google-cloud-storage",
    "azure.storage.blob": "azure-storage-blob",
}


def bundled_text() -> str:
    return resources.files("depguard.data").joinpath("import-names.tsv").read_text("utf-8")


@pytest.mark.parametrize(("module", "distribution"), sorted(EXPECTED.items()))
def test_known_import_names(module: str, distribution: str) -> None:
    assert import_names.provider(module) == distribution


def test_several_providers_are_ranked_by_downloads() -> None:
    assert import_names.providers("jwt")[:2] == ("PyJWT", "jwt")
    popular = snapshot(Ecosystem.PYPI)
    for module in ("jwt", "cv2", "psycopg2"):
        counts = [popular.get(d.lower()).downloads for d in import_names.providers(module)]  # type: ignore[union-attr]
        assert len(counts) >= 2 and counts == sorted(counts, reverse=True)


def test_dotted_names_resolve_through_the_longest_known_prefix() -> None:
    assert import_names.provider("google.cloud.storage.blob") == "google-cloud-storage"
    assert import_names.provider("google.protobuf.json_format") == "protobuf"
    assert import_names.provider("azure.storage.blob.aio") == "azure-storage-blob"
    assert import_names.provider("sklearn.linear_model") == "scikit-learn"
    match = import_names.lookup("google.protobuf.message")
    assert match is not None and match.key == "google.protobuf" and not match.namespace


def test_a_bare_namespace_names_no_single_distribution() -> None:
    for namespace in ("google", "google.cloud", "azure"):
        assert import_names.providers(namespace) == ()
        assert import_names.is_namespace(namespace)
        match = import_names.lookup(namespace)
        assert match is not None and match.namespace and match.provider is None
        assert match.total >= len(match.distributions) >= 2
    assert "protobuf" in import_names.lookup("google").distributions  # type: ignore[union-attr]


def test_a_project_too_large_to_read_keeps_its_own_name() -> None:
    assert import_names.provider("pyspark") == "pyspark"  # databricks-connect installs it too


def test_names_the_map_does_not_hold() -> None:
    assert import_names.providers("requests") == ()  # requests -> requests: left out
    assert import_names.provider("no_such_module_anywhere") is None
    assert import_names.lookup("") is None
    assert import_names.provider("yaml ") == "PyYAML"


def test_import_names_are_case_sensitive_distributions_are_not() -> None:
    assert import_names.provider("PIL") == "pillow"
    assert import_names.provider("pil") is None  # `import pil` fails; so does the lookup
    assert "PIL" in import_names.import_names_of("Pillow")
    assert import_names.import_names_of("pyyaml") == import_names.import_names_of("PyYAML")
    assert "yaml" in import_names.import_names_of("PyYAML")
    assert "google.protobuf" in import_names.import_names_of("protobuf")
    assert import_names.import_names_of("requests") == ()


def test_spelled_like_finds_import_names_a_requirement_spells() -> None:
    keys = {m.key for m in import_names.spelled_like("pil")}
    assert keys == {"PIL"}
    assert {m.key for m in import_names.spelled_like("google-protobuf")} == {"google.protobuf"}
    assert import_names.spelled_like("scikit-learn") == ()


def test_the_bundled_file_is_sourced_and_covers_the_popular_projects() -> None:
    text = bundled_text()
    header = [line for line in text.splitlines() if line.startswith("#")]
    joined = "\n".join(header)
    assert re.search(r"^# snapshot-date: \d{4}-\d{2}-\d{2}$", joined, re.M)
    assert "Source:" in joined and "Licence:" in joined and "Refresh:" in joined
    covered = re.search(r"(\d+) wheels, (\d+) sdists", joined)
    assert covered is not None
    assert int(covered.group(1)) + int(covered.group(2)) >= 5000


def test_every_line_of_the_bundled_file_is_read() -> None:
    text = bundled_text()
    rows = [line for line in text.splitlines() if line and not line.startswith("#")]
    loaded = import_names.load()
    assert len(loaded.entries) == len(rows) >= 300
    for row in rows:
        name, kind, listed = row.split("\t")
        assert kind in ("module", "namespace")
        assert all(re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", part) for part in name.split("."))
        assert listed and ",," not in listed


def test_parse_reads_the_format() -> None:
    parsed = import_names.parse(
        "# snapshot-date: 2026-01-02\n"
        "yaml\tmodule\tPyYAML\n"
        "ns\tnamespace\ta,b,+3\n"
        "ns.a\tmodule\ta\n"
    )
    assert parsed.date == "2026-01-02"
    assert parsed.lookup("yaml.constructor").distributions == ("PyYAML",)  # type: ignore[union-attr]
    ns = parsed.lookup("ns.other")
    assert ns is not None and ns.namespace and ns.total == 5 and ns.distributions == ("a", "b")
    assert parsed.lookup("ns.a.x").provider == "a"  # type: ignore[union-attr]


def test_lookups_never_import_the_refresh_tooling() -> None:
    code = (
        "import sys\n"
        "from depguard import cli, import_names, pipeline\n"
        "from depguard.signals import all_signals\n"
        "all_signals(); import_names.provider('yaml')\n"
        "bad = [m for m in sys.modules if m.startswith(('depguard.data.refresh', "
        "'depguard.data.upstream'))]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
