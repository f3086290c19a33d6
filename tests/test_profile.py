"""Known-answer tests for the decaying interest profile."""

from __future__ import annotations

import math
from types import SimpleNamespace

import pytest

from chatbot.profile import DAY, HalfLives, InterestProfile, facet_label
from chatbot.types import Signal

T0 = 1_700_000_000.0
HL = HalfLives(said=1 * DAY, liked=10 * DAY, disliked=20 * DAY, viewed=0.5 * DAY)


def fresh(*signals: Signal, at: float = T0) -> InterestProfile:
    return InterestProfile(HL).apply(signals, at)


@pytest.mark.parametrize(
    ("event", "strength", "elapsed", "expected"),
    [
        ("said", 1.0, 0.0, 1.0),
        ("said", 1.0, 1 * DAY, 0.5),  # one half-life halves
        ("said", 1.0, 2 * DAY, 0.25),  # two half-lives quarter
        ("said", -1.0, 1 * DAY, -0.5),  # aversion decays toward 0 too
        ("said", -1.0, 10 * DAY, -1.0 / 1024),
        ("liked", 2.0, 10 * DAY, 1.0),  # each kind decays at its own half-life
        ("liked", 2.0, 1 * DAY, 2.0 * 0.5 ** (1 / 10)),
        ("disliked", -2.0, 20 * DAY, -1.0),
        ("disliked", -2.0, 10 * DAY, -2.0 / math.sqrt(2)),
        ("viewed", 1.0, 1 * DAY, 0.25),
    ],
)
def test_decay_known_answers(event: str, strength: float, elapsed: float, expected: float) -> None:
    p = fresh(Signal("genre:horror", strength, event))  # type: ignore[arg-type]
    assert p.weight("genre:horror", T0 + elapsed) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize(
    ("times", "expected_at_last"),
    [
        ([0.0, 0.0], 2.0),
        ([0.0, 1 * DAY], 1.5),  # 1 halved to 0.5, plus the new 1
        ([0.0, 1 * DAY, 2 * DAY], 1.75),  # (0.5 + 1) / 2 + 1
        ([0.0, 2 * DAY], 1.25),
    ],
)
def test_repeated_interest_accumulates_exactly(times: list[float], expected_at_last: float) -> None:
    p = InterestProfile(HL)
    for t in times:
        p = p.apply([Signal("tag:heist", 1.0)], T0 + t)
    last = T0 + times[-1]
    assert p.weight("tag:heist", last) == pytest.approx(expected_at_last, rel=1e-12)
    # The incremental accumulator equals the closed form sum_i s_i * 2^(-(t - t_i)/hl) at any later time.
    later = last + 3.3 * DAY
    closed = sum(0.5 ** ((later - (T0 + t)) / HL.said) for t in times)
    assert p.weight("tag:heist", later) == pytest.approx(closed, rel=1e-12)


def test_repeated_interest_rises_above_a_single_one() -> None:
    p = fresh(Signal("genre:horror", 1.0), Signal("genre:comedy", 1.0))
    p = p.apply([Signal("genre:horror", 1.0)], T0 + 0.5 * DAY)
    now = T0 + 0.5 * DAY
    assert p.weight("genre:horror", now) > p.weight("genre:comedy", now) > 0


def test_old_interest_fades_below_a_newer_one() -> None:
    p = fresh(Signal("genre:western", 1.0))
    p = p.apply([Signal("genre:noir", 0.6)], T0 + 1 * DAY)
    assert p.weight("genre:western", T0) > 0.6  # stronger when it was said
    assert p.weight("genre:western", T0 + 1 * DAY) < p.weight("genre:noir", T0 + 1 * DAY)
    assert [f.facet for f in p.top(T0 + 1 * DAY)] == ["genre:noir", "genre:western"]


@pytest.mark.parametrize(
    ("signals", "net"),
    [
        ([Signal("item:x", 2.0, "liked"), Signal("item:x", -2.0, "disliked")], 0.0),
        ([Signal("genre:horror", 1.0), Signal("genre:horror", -1.0)], 0.0),
        ([Signal("genre:horror", 1.0), Signal("genre:horror", -0.25)], 0.75),
    ],
)
def test_opposite_signals_net_out(signals: list[Signal], net: float) -> None:
    p = fresh(*signals)
    facet = signals[0].facet
    assert p.weight(facet, T0) == pytest.approx(net, abs=1e-12)
    if net == 0.0:
        assert facet not in p.positives(T0) and facet not in p.negatives(T0)
        assert p.top(T0) == []


def test_like_then_dislike_leaves_the_longer_lived_dislike() -> None:
    # Dislikes have the longer half-life here, so after netting out the aversion is what remains.
    p = fresh(Signal("item:x", 2.0, "liked"), Signal("item:x", -2.0, "disliked"))
    assert p.weight("item:x", T0 + 10 * DAY) == pytest.approx(1.0 - 2.0 / math.sqrt(2), rel=1e-12)


def test_positives_negatives_and_top_polarities() -> None:
    p = fresh(
        Signal("genre:horror", -1.5),
        Signal("person:tom hanks", 1.0),
        Signal("phrase:space western", 0.5),
        Signal("item:wp:Alien_(film)", 2.0, "liked"),
        Signal("tag:faint", 0.01),
    )
    assert p.positives(T0) == {"person:tom hanks": 1.0, "phrase:space western": 0.5, "item:wp:Alien_(film)": 2.0}
    assert p.negatives(T0) == {"genre:horror": -1.5}
    top = p.top(T0, item_label={"wp:Alien_(film)": "Alien (1979)"}.get)
    assert [(f.label, f.weight) for f in top] == [
        ("Alien (1979)", 2.0),
        ("horror (genre)", -1.5),
        ("tom hanks (person)", 1.0),
        ("space western (phrase)", 0.5),
    ]
    assert all(f.updated_at == T0 for f in top)
    assert len(p.top(T0, n=2)) == 2
    assert [f.facet for f in p.top(T0, n=None, min_abs=0.0)][-1] == "tag:faint"


@pytest.mark.parametrize(
    ("facet", "labels", "expected"),
    [
        ("genre:horror", None, "horror (genre)"),
        ("person:tom hanks", None, "tom hanks (person)"),
        ("item:wp:Alien_(film)", None, "wp:Alien_(film)"),
        ("item:wp:Alien_(film)", {"wp:Alien_(film)": "Alien"}, "Alien"),
        ("item:unknown", {"other": "Other"}, "unknown"),  # label function knows nothing: raw id
        ("nocolon", None, "nocolon"),
    ],
)
def test_facet_label(facet: str, labels: dict[str, str] | None, expected: str) -> None:
    assert facet_label(facet, labels.get if labels else None) == expected


def test_remove_really_deletes_and_is_immutable() -> None:
    p = fresh(Signal("genre:horror", 1.0), Signal("genre:comedy", 1.0))
    q = p.remove("genre:horror")
    assert "genre:horror" not in q and q.weight("genre:horror", T0) == 0.0
    assert "genre:horror" not in q.to_json()
    assert [f.facet for f in q.top(T0)] == ["genre:comedy"]
    assert "genre:horror" in p  # the old value is untouched: profiles are immutable
    assert q.remove("genre:horror") is q  # removing an absent facet is a no-op
    # A later signal brings the facet back from zero, with no memory of the removed weight.
    r = q.apply([Signal("genre:horror", 0.5)], T0 + 1)
    assert r.weight("genre:horror", T0 + 1) == 0.5


def test_apply_returns_new_profile() -> None:
    p = InterestProfile(HL)
    q = p.apply([Signal("genre:horror", 1.0)], T0)
    assert len(p) == 0 and len(q) == 1


def test_json_round_trip_is_equal() -> None:
    p = fresh(Signal("genre:horror", -1.0), Signal("item:wp:Ü_1", 2.0, "liked"))
    p = p.apply([Signal("genre:horror", 0.3), Signal("tag:heist", 1 / 3, "viewed")], T0 + 12345.678)
    q = InterestProfile.from_json(p.to_json())
    assert q == p
    assert q.half_lives == HL
    assert q.weight("genre:horror", T0 + 5 * DAY) == p.weight("genre:horror", T0 + 5 * DAY)
    assert InterestProfile.from_dict(p.to_dict()) == p


@pytest.mark.parametrize(
    "bad",
    [
        "[]",
        '{"version": 99, "half_lives": {}, "facets": {}}',
        '{"version": 1, "facets": {}}',
        '{"version": 1, "half_lives": {"said": -1}, "facets": {}}',
        '{"version": 1, "half_lives": {}, "facets": {"genre:x": {"shouted": [1, 2]}}}',
        '{"version": 1, "half_lives": {}, "facets": {"genre:x": {"said": [1]}}}',
    ],
)
def test_from_json_rejects_malformed(bad: str) -> None:
    with pytest.raises(ValueError):
        InterestProfile.from_json(bad)


@pytest.mark.parametrize(
    ("signal", "now"),
    [
        (Signal("genre:x", float("nan")), T0),
        (Signal("genre:x", float("inf")), T0),
        (Signal("genre:x", 1.0, "shouted"), T0),  # type: ignore[arg-type]
        (Signal("", 1.0), T0),
        (Signal("genre:x", 1.0), float("nan")),
    ],
)
def test_apply_rejects_bad_input(signal: Signal, now: float) -> None:
    with pytest.raises(ValueError):
        InterestProfile(HL).apply([signal], now)


def test_out_of_order_update_is_exact() -> None:
    # The same two signals give the same profile whichever order they arrive in.
    a = InterestProfile(HL).apply([Signal("genre:x", 1.0)], T0).apply([Signal("genre:x", 1.0)], T0 + DAY)
    b = InterestProfile(HL).apply([Signal("genre:x", 1.0)], T0 + DAY).apply([Signal("genre:x", 1.0)], T0)
    assert a.weight("genre:x", T0 + 3 * DAY) == pytest.approx(b.weight("genre:x", T0 + 3 * DAY), rel=1e-12)


def test_faded_facets_are_pruned_on_apply() -> None:
    p = fresh(Signal("genre:old", 1.0))
    p = p.apply([Signal("genre:new", 1.0)], T0 + 40 * DAY)  # 2^-40 < 1e-6
    assert "genre:old" not in p and "genre:new" in p


def test_half_lives_from_settings_and_validation() -> None:
    settings = SimpleNamespace(
        half_life_said_s=1.0, half_life_liked_s=2.0, half_life_disliked_s=3.0, half_life_viewed_s=4.0
    )
    assert HalfLives.from_settings(settings) == HalfLives(1.0, 2.0, 3.0, 4.0)  # type: ignore[arg-type]
    assert HalfLives().of("liked") == 30 * DAY
    with pytest.raises(ValueError, match="positive"):
        HalfLives(said=0)
    with pytest.raises(ValueError, match="unknown event kind"):
        HalfLives().of("shouted")


def test_half_lives_match_settings_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    from chatbot.config import Settings

    for kind in ("said", "liked", "disliked", "viewed"):
        monkeypatch.delenv(f"RECBOT_HALF_LIFE_{kind.upper()}_S", raising=False)
    assert HalfLives.from_settings(Settings(_env_file=None)) == HalfLives()  # type: ignore[call-arg]


def test_kept_lowers_earlier_interests_of_the_given_kinds_and_leaves_aversions() -> None:
    profile = InterestProfile().apply([
        Signal("genre:war", 2.0, "said"), Signal("item:alien", 2.0, "liked"), Signal("genre:horror", -1.0, "said"),
    ], now=0.0)
    kept = profile.kept({"said": 0.25}, now=0.0)
    assert kept.weight("genre:war", 0.0) == pytest.approx(0.5)
    assert kept.weight("item:alien", 0.0) == pytest.approx(2.0)  # another kind: untouched
    assert kept.weight("genre:horror", 0.0) == pytest.approx(-1.0)  # an aversion stays as strong
    assert profile.weight("genre:war", 0.0) == pytest.approx(2.0)  # immutable
    with pytest.raises(ValueError, match="between 0 and 1"):
        profile.kept({"said": 1.5}, now=0.0)
    with pytest.raises(ValueError, match="unknown event kind"):
        profile.kept({"shouted": 0.5}, now=0.0)
