"""Recbot's conversation side. The top level holds only what ties the subpackages together: `config` (one
Settings object from RECBOT_* variables), `components` (builds everything once and wires it), `engine` (one turn:
signals -> profile -> retrieval and ranking -> reasons -> reply), `profile` (decaying interest weights), `sessions`
(the append-only event log), `types`, `data_lock` and `cli`. Subpackages: `llm` (chat models), `understanding`
(signals from words), `reply` (reasons and the reply), `web` (HTTP API and Gradio), `evaluation` (replays and
reports).
"""
