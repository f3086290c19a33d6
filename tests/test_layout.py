"""The layout stays as the README's map says: packages by job, imports pointing down only, small modules."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CODE = ("chatbot", "retrieval", "prompts")

# Top to bottom: a module may import its own layer and the layers below it, never one above.
LAYERS = (
    ("chatbot.cli", "chatbot.__main__"),
    ("chatbot.web", "chatbot.evaluation"),
    ("chatbot.components",),
    ("chatbot.engine",),
    ("chatbot.reply",),
    ("chatbot.understanding",),
    ("retrieval", "chatbot.sessions", "chatbot.profile", "chatbot.standing_filters"),
    ("chatbot.llm",),
    ("chatbot.config", "chatbot.types", "chatbot.data_lock", "chatbot.staged_files", "prompts"),
)
# The chat-model interface, its factory and the adapter tools (train a LoRA, write it for llama.cpp); everything
# else in chatbot.llm is a backend, chosen by the factory.
LLM_PUBLIC = ("chatbot.llm.base", "chatbot.llm.fake", "chatbot.llm.factory", "chatbot.llm.model_files",
              "chatbot.llm.lora_training", "chatbot.llm.lora_gguf")
# Readers of a person's words talk to a model through the interface only.
INTERFACE_ONLY = ("chatbot.understanding", "chatbot.reply")


def module_name(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for top in CODE for p in sorted((REPO / top).rglob("*.py"))}


def within(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def layer(name: str) -> int | None:
    return next((i for i, group in enumerate(LAYERS) if any(within(name, p) for p in group)), None)


def imports(path: Path, top_level_only: bool = False) -> list[tuple[int, str]]:
    """(line, imported module) for every import of project code, also those inside functions."""
    tree = ast.parse(path.read_text(), filename=str(path))
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    found = []
    for node in nodes:
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.append((node.lineno, node.module))
            # "from chatbot.understanding import lexicon" imports the module chatbot.understanding.lexicon
            found += [(node.lineno, f"{node.module}.{a.name}") for a in node.names
                      if f"{node.module}.{a.name}" in modules()]
    return [(line, name) for line, name in found if name.split(".")[0] in CODE]


def test_every_module_has_a_layer() -> None:
    assert [name for name in modules() if name not in ("chatbot",) and layer(name) is None] == []


def test_imports_point_down_only() -> None:
    wrong = []
    for name, path in modules().items():
        own = layer(name)
        if own is None:
            continue
        for line, target in imports(path):
            theirs = layer(target)
            if theirs is not None and theirs < own:
                wrong.append(f"{path.relative_to(REPO)}:{line} ({name}) imports {target}, a layer above it")
    assert wrong == []


def test_backends_are_imported_only_by_the_factory_and_the_cli() -> None:
    wrong = []
    for name, path in modules().items():
        if within(name, "chatbot.llm") or name == "chatbot.cli":
            continue
        for line, target in imports(path):
            if within(target, "chatbot.llm") and target != "chatbot.llm" and not target.startswith(LLM_PUBLIC):
                wrong.append(f"{path.relative_to(REPO)}:{line} imports the backend module {target}")
    assert wrong == []


@pytest.mark.parametrize("package", INTERFACE_ONLY)
def test_understanding_and_reply_use_only_the_model_interface(package: str) -> None:
    used = {target for name, path in modules().items() if within(name, package)
            for _, target in imports(path) if within(target, "chatbot.llm")}
    assert used <= {"chatbot.llm.base"}, used


@pytest.mark.parametrize("interface", ["chatbot.llm.base", "chatbot.llm.fake", "chatbot.llm.factory"])
def test_the_interface_and_the_factory_import_no_backend_when_loaded(interface: str) -> None:
    path = modules()[interface]
    loaded = {target for _, target in imports(path, top_level_only=True) if within(target, "chatbot.llm")}
    assert loaded <= set(LLM_PUBLIC), loaded


def test_the_top_of_chatbot_holds_at_most_twelve_modules() -> None:
    top = sorted(p.name for p in (REPO / "chatbot").glob("*.py"))
    assert len(top) <= 12, top


def test_no_module_is_over_450_lines() -> None:
    sources = [p for top in (*CODE, "tests", "bench", "scripts") for p in (REPO / top).rglob("*.py")]
    long = {str(p.relative_to(REPO)): n for p in [*sources, REPO / "app.py"]
            if (n := len(p.read_text().splitlines())) > 450}
    assert long == {}


def test_every_package_says_what_belongs_in_it() -> None:
    packages = [p for top in CODE for p in (REPO / top).rglob("__init__.py")]
    missing = [str(p.relative_to(REPO)) for p in packages if not ast.get_docstring(ast.parse(p.read_text()))]
    assert missing == []
