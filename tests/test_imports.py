"""Checking the code itself: Python imports → distributions → the same checks (issue 4)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from support import write


def packages(result) -> dict[str, dict]:
    return {p["normalized"]: p for p in result.json["packages"]}


@pytest.fixture
def project(workdir: Path) -> Path:
    write(workdir / "requirements.txt", "requests\nbeautifulsoup4\n")
    write(workdir / "src" / "myapp" / "__init__.py", "")
    write(
        workdir / "src" / "myapp" / "core.py",
        """\
import os, json, sys
from collections import OrderedDict
import requests
from bs4 import BeautifulSoup
from myapp import helpers
from . import sibling
from .x import y
import helpers_script
import six
from dateutil import parser
""",
    )
    write(workdir / "src" / "myapp" / "helpers.py", "import typing\n")
    write(workdir / "scripts" / "helpers_script.py", "print('hi')\n")
    return workdir


def test_stdlib_local_declared_and_undeclared(depguard, project: Path) -> None:
    result = depguard("check", ".", "-f", "json")
    found = packages(result)
    assert set(found) == {"requests", "beautifulsoup4", "six", "python-dateutil"}
    assert found["requests"]["verdict"] == "allow"  # declared and imported
    assert found["beautifulsoup4"]["verdict"] == "allow"  # declared; imported as bs4
    assert [f["id"] for f in found["six"]["findings"]] == ["undeclared-import"]
    # an established package used without being declared is hygiene: information, not a gate
    assert found["six"]["findings"][0]["severity"] == "low"
    assert found["six"]["findings"][0]["established"] is True
    assert found["six"]["verdict"] == "allow"
    assert found["six"]["locations"] == [{"path": "src/myapp/core.py", "line": 9}]
    dateutil = found["python-dateutil"]["findings"][0]
    assert dateutil["id"] == "undeclared-import"
    assert dateutil["provided_by"] == "python-dateutil" and dateutil["import_name"] == "dateutil"
    assert "provided by python-dateutil" in dateutil["message"]


@pytest.mark.parametrize(
    ("statement", "distribution"),
    [
        ("import yaml", "PyYAML"),
        ("from sklearn.model_selection import train_test_split", "scikit-learn"),
        ("from PIL import Image", "Pillow"),
        ("import cv2", "opencv-python"),
        ("from bs4 import BeautifulSoup", "beautifulsoup4"),
        ("import dateutil.parser", "python-dateutil"),
        ("import jwt", "PyJWT"),
        ("from dotenv import load_dotenv", "python-dotenv"),
    ],
)
def test_renamed_imports_map_to_their_distribution(
    depguard, workdir: Path, statement: str, distribution: str
) -> None:
    write(workdir / "app.py", statement + "\n")
    result = depguard("check", ".", "--offline", "-f", "json")
    names = [p["normalized"] for p in result.json["packages"]]
    assert names == [distribution.lower()]
    finding = next(
        f for f in result.json["packages"][0]["findings"] if f["id"] == "undeclared-import"
    )
    assert finding["provided_by"].lower() == distribution.lower()


def test_renamed_import_is_declared_by_its_distribution(depguard, workdir: Path) -> None:
    write(workdir / "requirements.txt", "python-dateutil\n")
    write(workdir / "app.py", "from dateutil import tz\n")
    result = depguard("check", ".", "-f", "json")
    assert result.code == 0
    package = packages(result)["python-dateutil"]
    assert package["verdict"] == "allow" and len(package["locations"]) == 2


def test_hallucinated_import_is_not_found_and_blocked(depguard, workdir: Path) -> None:
    write(workdir / "app.py", "import os\nimport fastapi_secure_auth_utils\n")
    result = depguard("check", ".", "-f", "json")
    assert result.code == 1
    package = packages(result)["fastapi-secure-auth-utils"]
    ids = [f["id"] for f in package["findings"]]
    assert ids[0] == "not-found" and "undeclared-import" in ids
    assert package["verdict"] == "block"
    assert package["locations"] == [{"path": "app.py", "line": 2}]


def test_guarded_imports_are_one_severity_lower(depguard, workdir: Path) -> None:
    write(
        workdir / "app.py",
        """\
try:
    import made_up_speedups
except ImportError:
    made_up_speedups = None
""",
    )
    result = depguard("check", ".", "-f", "json")
    package = packages(result)["made-up-speedups"]
    assert package["verdict"] == "warn" and result.code == 0
    not_found = next(f for f in package["findings"] if f["id"] == "not-found")
    assert not_found["severity"] == "medium" and not_found["guarded"] is True


def test_a_guarded_import_declared_nowhere_still_blocks_when_also_unguarded(
    depguard, workdir: Path
) -> None:
    write(workdir / "a.py", "try:\n    import made_up_x\nexcept ImportError:\n    pass\n")
    write(workdir / "b.py", "import made_up_x\n")
    assert packages(depguard("check", ".", "-f", "json"))["made-up-x"]["verdict"] == "block"


def test_notebooks(depguard, workdir: Path) -> None:
    notebook = {
        "cells": [
            {"cell_type": "markdown", "metadata": {}, "source": ["# import nothing\n"]},
            {
                "cell_type": "code",
                "metadata": {},
                "execution_count": None,
                "outputs": [],
                "source": ["%matplotlib inline\n", "import six\n", "!pip install foo\n"],
            },
            {
                "cell_type": "code",
                "metadata": {},
                "execution_count": None,
                "outputs": [],
                "source": ["def broken(:\n"],
            },
            {
                "cell_type": "code",
                "metadata": {},
                "execution_count": None,
                "outputs": [],
                "source": ["from flask import Flask\n"],
            },
        ],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    text = json.dumps(notebook, indent=1)
    write(workdir / "analysis.ipynb", text)
    result = depguard("check", ".", "-f", "json")
    found = packages(result)
    assert set(found) == {"six", "flask"}
    six_line = found["six"]["locations"][0]["line"]
    assert text.splitlines()[six_line - 1].strip().startswith('"import six')
    assert result.json["errors"] and "cell 3" in result.json["errors"][0]["message"]
    assert result.code == 1  # a cell that does not parse fails the run


def test_broken_files_are_errors_and_the_rest_is_scanned(depguard, workdir: Path) -> None:
    write(workdir / "good.py", "import six\n")
    write(workdir / "bad.py", "import flask\ndef oops(:\n    pass\n")
    write(workdir / "latin.py", "# nothing declared\nname = 'caf\u00e9'\n".encode("latin-1"))
    result = depguard("check", ".", "-f", "json")
    errors = {e["path"]: e for e in result.json["errors"]}
    assert errors["bad.py"]["line"] == 2 and "syntax error" in errors["bad.py"]["message"]
    assert "latin.py" in errors
    assert "six" in packages(result)
    assert result.code == 1


def test_dynamic_imports_with_literals(depguard, workdir: Path) -> None:
    write(
        workdir / "app.py",
        """\
import importlib
plugin = importlib.import_module("six")
other = __import__("flask")
name = "not_a_literal"
importlib.import_module(name)
importlib.import_module(".relative", package="x")
""",
    )
    found = packages(depguard("check", ".", "-f", "json"))
    assert set(found) == {"six", "flask"}
    assert "importlib.import_module" in found["six"]["findings"][0]["statement"]


def test_skipped_directories_and_excludes(depguard, workdir: Path) -> None:
    write(workdir / "app.py", "import six\n")
    write(workdir / ".venv" / "pyvenv.cfg", "home = /usr\n")
    write(workdir / ".venv" / "lib" / "x.py", "import not_me\n")
    write(workdir / "build" / "lib" / "y.py", "import not_me_either\n")
    write(workdir / "node_modules" / "z.py", "import nor_me\n")
    write(workdir / "examples" / "demo.py", "import excluded_example\n")
    found = packages(depguard("check", ".", "--exclude", "examples", "-f", "json"))
    assert set(found) == {"six"}


def test_symlinks_out_of_the_tree_are_not_followed(depguard, workdir: Path, tmp_path: Path) -> None:
    outside = write(tmp_path / "outside" / "secret.py", "import not_in_tree\n")
    write(workdir / "app.py", "import six\n")
    (workdir / "linked.py").symlink_to(outside)
    (workdir / "linked_dir").symlink_to(outside.parent, target_is_directory=True)
    assert set(packages(depguard("check", ".", "-f", "json"))) == {"six"}


def test_single_file_and_no_imports_flag(depguard, workdir: Path) -> None:
    write(workdir / "tool.py", "import six\nimport helper\n")
    write(workdir / "helper.py", "")
    assert set(packages(depguard("check", "tool.py", "-f", "json"))) == {"six"}
    write(workdir / "requirements.txt", "flask\n")
    assert set(packages(depguard("check", ".", "--no-imports", "-f", "json"))) == {"flask"}


def test_python_version_selects_the_stdlib(depguard, workdir: Path) -> None:
    write(workdir / "app.py", "import asyncore\nimport tomllib\n")
    assert (
        packages(depguard("check", ".", "--offline", "--python-version", "3.11", "-f", "json"))
        == {}
    )
    newer = packages(depguard("check", ".", "--offline", "--python-version", "3.12", "-f", "json"))
    assert set(newer) == {"pyasyncore"}  # the backport that provides asyncore after 3.11
    assert depguard("check", ".", "--python-version", "2.6").code == 2


def test_namespace_packages_and_src_layout_are_local(depguard, workdir: Path) -> None:
    write(workdir / "src" / "acme" / "plugins" / "one.py", "import acme.core\nimport six\n")
    write(workdir / "src" / "acme" / "core.py", "")
    assert set(packages(depguard("check", ".", "-f", "json"))) == {"six"}


def test_namespace_packages_resolve_to_their_member(depguard, workdir: Path) -> None:
    write(
        workdir / "app.py",
        """\
from google.cloud import storage
import google.protobuf
from azure.storage.blob import BlobClient
from google.madeup_ai import assistant
""",
    )
    found = packages(depguard("check", ".", "--offline", "-f", "json"))
    assert set(found) == {
        "google-cloud-storage",
        "protobuf",
        "azure-storage-blob",
        "google-madeup-ai",
    }
    ids = [f["id"] for f in found["google-madeup-ai"]["findings"]]
    assert "undeclared-import" in ids  # guessed by the namespace convention, then checked
    storage = next(
        f for f in found["google-cloud-storage"]["findings"] if f["id"] == "undeclared-import"
    )
    assert storage["provided_by"] == "google-cloud-storage"
    assert "import-name" not in [f["id"] for f in found["google-cloud-storage"]["findings"]]


def test_import_name_registered_by_someone_else(depguard, registry, workdir: Path) -> None:
    write(workdir / "app.py", "from bs4 import BeautifulSoup\n")
    result = depguard("check", ".", "-f", "json")
    package = packages(result)["beautifulsoup4"]
    ids = [f["id"] for f in package["findings"]]
    assert sorted(ids) == ["import-name", "undeclared-import"]
    finding = next(f for f in package["findings"] if f["id"] == "import-name")
    assert finding["import_name"] == "bs4" and finding["suggestion"] == "beautifulsoup4"
    assert "install beautifulsoup4, not bs4" in finding["message"]
    assert registry.count("/pypi/bs4/json") == 1
    write(workdir / "requirements.txt", "beautifulsoup4\n")
    assert packages(depguard("check", ".", "-f", "json"))["beautifulsoup4"]["verdict"] == "allow"


def test_python2_fallbacks_and_private_modules(depguard, workdir: Path) -> None:
    write(
        workdir / "compat.py",
        """\
try:
    from urllib.parse import urlparse
except ImportError:
    from urlparse import urlparse  # Python 2: a fallback, not a package
try:
    import cPickle as pickle
except ImportError:
    import pickle
try:
    from _made_up_speedups import fast
except ImportError:
    fast = None
""",
    )
    found = packages(depguard("check", ".", "--offline", "-f", "json"))
    assert set(found) == {"made-up-speedups"}  # leading underscore dropped from the guess
    assert found["made-up-speedups"]["verdict"] == "allow"  # guarded and unknown offline
