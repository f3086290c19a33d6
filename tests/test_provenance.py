"""Each profile facet says which turn set it and whether the rules, the model or a click found it."""

from __future__ import annotations

from chatbot.types import Signal, TurnSignals

HEAT = "wp:Heat_(1995_film)"


class JsonModel:
    """A chat model that always answers with one extraction object (the reply writer gets it too)."""

    def __init__(self, answer: str) -> None:
        self.answer = answer

    def generate(self, messages, *, max_new_tokens=None, stop=None, timeout_s=None, temperature=0.0) -> str:
        return self.answer


def test_merge_says_what_found_each_facet() -> None:
    from chatbot.understanding.llm_signals import LLMSignals
    from chatbot.understanding.signals import merge

    rules = TurnSignals(signals=[Signal("genre:horror", 1.0), Signal("genre:drama", -1.0)])
    llm = LLMSignals(signals=[Signal("genre:horror", 1.0), Signal("genre:comedy", 1.0), Signal("genre:drama", 1.0)])
    merged = merge(rules, llm)
    assert merged.found_by == {"genre:horror": "rules+model", "genre:comedy": "model"}  # drama: the rules' own


def test_profile_view_and_export_carry_turn_and_source(make_app) -> None:
    engine = make_app().engine
    "".join(engine.turn("p1", "hello there").stream)
    result = engine.turn("p1", "I love horror movies")
    "".join(result.stream)
    horror = next(f for f in result.profile if f.facet == "genre:horror")
    assert (horror.turn, horror.found_by) == (2, "rules")
    engine.feedback("p1", HEAT, liked=True)
    view = {f.facet: f for f in engine.profile("p1")}
    assert (view[f"item:{HEAT}"].turn, view[f"item:{HEAT}"].found_by) == (2, "feedback")
    assert (view["genre:horror"].turn, view["genre:horror"].found_by) == (2, "rules")
    exported = {f["facet"]: f for f in engine.export("p1")["profile"]}
    assert exported["genre:horror"]["turn"] == 2 and exported["genre:horror"]["found_by"] == "rules"
    assert exported[f"item:{HEAT}"]["found_by"] == "feedback"


def test_a_facet_the_model_also_read_says_so(make_app) -> None:
    model = JsonModel('{"likes": ["horror"], "dislikes": [], "liked_titles": [], "disliked_titles": []}')
    engine = make_app(chat_model=model, llm_signals=True).engine
    result = engine.turn("p2", "I love horror movies")
    result.stream.close()
    horror = next(f for f in result.profile if f.facet == "genre:horror")
    assert (horror.turn, horror.found_by) == (1, "rules+model")
    again = next(f for f in engine.profile("p2") if f.facet == "genre:horror")
    assert again.found_by == "rules+model", "the source survives the event log's replay"


def test_chart_and_api_show_the_origin(make_app) -> None:
    from chatbot.web.api_schemas import FacetOut, profile_out
    from chatbot.web.ui_render import render_chart

    engine = make_app().engine
    result = engine.turn("p3", "I love horror movies")
    result.stream.close()
    html = render_chart(result.profile)
    assert 'data-found-by="rules"' in html and "turn 1 · rules" in html
    out = FacetOut(**profile_out(result.profile)[0])
    assert out.turn == 1 and out.found_by == "rules"


def test_without_rules_only_the_model_reads(sample_catalog) -> None:
    from chatbot.understanding.signals import SignalExtractor

    model = JsonModel('{"likes": ["comedy"], "dislikes": [], "liked_titles": [], "disliked_titles": []}')
    extractor = SignalExtractor(sample_catalog, model=model)
    extractor.use_rules = False  # the eval's "LLM only" row
    result = extractor.extract("I love horror, and a good comedy")
    assert {s.facet for s in result.signals} == {"genre:comedy"}  # the rules would also have found horror
    assert result.found_by == {"genre:comedy": "model"}
