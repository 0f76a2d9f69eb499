"""The layering and dependency checks that `make test` runs really catch what they are there to catch.

Each test copies the code to a temporary folder, breaks one rule there, and runs the checker on the copy.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def copy_project(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    project.mkdir()
    for name in ("sources", "monitor", "tests"):
        shutil.copytree(ROOT / name, project / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", project / "pyproject.toml")
    return project


def run(tool: str, project: Path) -> subprocess.CompletedProcess[str]:
    args = [str(BIN / tool)] + (["--no-cache"] if tool == "lint-imports" else ["."])
    return subprocess.run(args, cwd=project, capture_output=True, text=True, timeout=120,
                          env={"PATH": f"{BIN}:/usr/bin:/bin", "PYTHONPATH": str(project), "NO_COLOR": "1"})


def test_the_unchanged_code_keeps_both_contracts(tmp_path: Path) -> None:
    result = run("lint-imports", copy_project(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr


def test_sources_importing_monitor_breaks_the_layering_contract(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    polling = project / "sources" / "polling.py"
    polling.write_text(polling.read_text() + "\n\ndef _late() -> None:\n    from monitor.tagging import tag_article  # noqa\n")
    result = run("lint-imports", project)
    assert result.returncode != 0
    assert "sources.polling -> monitor.tagging" in result.stdout


def test_the_nlp_package_importing_django_breaks_its_contract(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    names = project / "monitor" / "nlp" / "names.py"
    names.write_text(names.read_text() + "\nfrom django.conf import settings  # noqa\n")
    result = run("lint-imports", project)
    assert result.returncode != 0 and "monitor.nlp.names -> django" in result.stdout


def test_an_import_nothing_pins_fails_the_dependency_check(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    (project / "sources" / "unpinned.py").write_text("import yaml  # noqa\n")
    result = run("deptry", project)
    assert result.returncode != 0 and "'yaml' imported but" in result.stdout + result.stderr


def test_a_pin_nothing_imports_fails_the_dependency_check(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    pyproject = project / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace('"tqdm==', '"datasketch==2.0.0",\n    "tqdm=='))
    result = run("deptry", project)
    assert result.returncode != 0 and "'datasketch' defined as a dependency but not used" in result.stdout + result.stderr
