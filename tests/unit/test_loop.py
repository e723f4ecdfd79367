"""The re-analysis loop of redact.rounds, model-free: hand-made detections, a fake
re-analysis (it finds listed words left in the output), a plan that replaces each
detection by its type."""

from __future__ import annotations

import re
from collections.abc import Sequence

import pytest

from redact import rounds
from redact.detect import Detection
from redact.errors import LeakError
from redact.plan import Plan
from redact.result import Span
from redact.rounds import ROUNDS, Round

TEXT = "Aslan met Zarema in Argun, then Kheda and Timur."


def plan_of(detections: list[list[Detection]]) -> Plan:
    spans = []
    for dets in detections:
        seen: dict[tuple[int, int], Detection] = {}
        for d in dets:
            seen.setdefault((d.start, d.end), d)
        spans.append([Span(d.start, d.end, d.entity, d.score, "replace", d.rule,
                           f"<{d.entity}>") for d in sorted(seen.values(),
                                                             key=lambda d: d.start)])
    return Plan(spans=spans)


class Finder:
    """A fake re-analysis: finds ``words`` outside the replacements, at most ``per_round``
    of them per call (so that each round can find something new)."""

    def __init__(self, words: Sequence[str], per_round: int = 99) -> None:
        self.words, self.per_round, self.calls = list(words), per_round, 0

    def __call__(self, _plan: Plan, outputs: rounds.Outputs, _i: int) -> list[list[Detection]]:
        self.calls += 1
        out = []
        for text, where in outputs:
            found = [Detection(m.start(), m.end(), "PERSON", 0.9, "fake")
                     for w in self.words for m in re.finditer(re.escape(w), text)
                     if not where.covers(m.start(), m.end())]
            out.append(sorted(found, key=lambda d: d.start)[:self.per_round])
        return out


def first(word: str, entity: str = "PERSON") -> list[list[Detection]]:
    start = TEXT.index(word)
    return [[Detection(start, start + len(word), entity, 0.85, "ner")]]


def test_stops_at_the_first_round_that_finds_nothing_new() -> None:
    finder = Finder(["Zarema", "Kheda"])
    trace = rounds.run([TEXT], first("Aslan"), plan_of, finder)
    assert finder.calls == 2 and len(trace.rounds) == 2 and trace.leaks == []
    assert trace.outputs is not None
    assert trace.outputs[0][0] == "<PERSON> met <PERSON> in Argun, then <PERSON> and Timur."
    # round 1 planned the findings of round 0, mapped back to the original text
    added = trace.rounds[1].detections[0][1:]
    assert [(TEXT[d.start:d.end], d.rule) for d in added] == [("Zarema", "verify:fake"),
                                                               ("Kheda", "verify:fake")]
    assert trace.rounds[1].new == [[]] and trace.rounds[0].digest != trace.rounds[1].digest


def test_nothing_found_at_all_is_one_round() -> None:
    finder = Finder([])
    trace = rounds.run([TEXT, "Timur"], first("Aslan") + [[]], plan_of, finder)
    assert finder.calls == 1 and len(trace.rounds) == 1 and trace.leaks == []
    assert [o for o, _ in trace.outputs or []] == [TEXT.replace("Aslan", "<PERSON>"), "Timur"]


def test_round_limit_leaves_the_last_findings_as_leaks() -> None:
    finder = Finder(["Zarema", "Argun", "Kheda", "Timur"], per_round=1)
    trace = rounds.run([TEXT], first("Aslan"), plan_of, finder)
    assert finder.calls == ROUNDS + 1 and len(trace.rounds) == ROUNDS + 1
    # Zarema and Argun were removed in rounds 1 and 2; Kheda, found by the last
    # analysis, is a leak (output offsets)
    assert trace.leaks == [("PERSON", trace.outputs[0][0].index("Kheda"))]  # type: ignore[index]
    with pytest.raises(LeakError) as err:
        rounds.conclude([TEXT], trace, _policy(), verify=True, report_key=bytes(32),
                        model={"name": "none"})
    assert err.value.findings == trace.leaks
    # unverified (evaluation only), the results are the last round's
    out = rounds.conclude([TEXT], trace, _policy(), verify=False, report_key=bytes(32),
                          model={"name": "none"})
    assert out[0].text == "<PERSON> met <PERSON> in <PERSON>, then Kheda and Timur."


def test_analyses_stops_before_the_last_reanalysis() -> None:
    finder = Finder(["Zarema", "Argun", "Kheda"], per_round=1)
    trace = rounds.run([TEXT], first("Aslan"), plan_of, finder, analyses=ROUNDS)
    assert finder.calls == ROUNDS and len(trace.rounds) == ROUNDS + 1
    assert trace.outputs is None and trace.rounds[-1].digest is None
    assert trace.rounds[-1].new is None and trace.leaks == []


def test_no_reanalysis_plans_and_applies_once() -> None:
    trace = rounds.run([TEXT], first("Aslan"), plan_of, None)
    assert len(trace.rounds) == 1 and trace.leaks == []
    assert trace.outputs is not None and trace.outputs[0][0].startswith("<PERSON> met Zarema")


def _split(finder: Finder) -> tuple[list[Round], list[Plan]]:
    """Stage 1 of a split run: the loop short of its last analysis; the plans to replay."""
    trace = rounds.run([TEXT], first("Aslan"), plan_of, finder, analyses=ROUNDS)
    return trace.rounds, [plan_of(r.detections) for r in trace.rounds]


def test_replay_reuses_recorded_analyses_and_ends_where_the_loop_ends() -> None:
    words = ["Zarema", "Argun"]
    found, plans = _split(Finder(words, per_round=1))
    assert len(found) == 3
    again = Finder(words, per_round=1)
    trace = rounds.replay([TEXT], found, plans, again)
    # rounds 0 and 1 were recorded with identical outputs: only the last one runs
    assert again.calls == 1 and trace.leaks == []
    whole = rounds.run([TEXT], first("Aslan"), plan_of, Finder(words, per_round=1))
    assert trace.outputs == whole.outputs and trace.rounds[-1] == whole.rounds[-1]


def test_replay_analyses_again_when_the_output_differs() -> None:
    words = ["Zarema"]
    found, plans = _split(Finder(words))
    assert len(found) == 2
    # the "real" labels differ from the trial ones: other outputs, other digests
    real = [Plan(spans=[[Span(s.start, s.end, s.entity, s.score, s.action, s.rule,
                              "Person B") for s in p.spans[0]]]) for p in plans]
    again = Finder(words)
    trace = rounds.replay([TEXT], found, real, again)
    assert again.calls == 2 and trace.outputs is not None
    assert trace.outputs[0][0].startswith("Person B met Person B in Argun")


def test_replay_fails_closed_where_the_rounds_differ() -> None:
    found, plans = _split(Finder(["Zarema"]))
    # the real labels made round 0 find something else: round 1's detections differ
    with pytest.raises(LeakError):
        rounds.replay([TEXT], [Round(found[0].detections)] + found[1:], plans, Finder(["Kheda"]))
    # ... or nothing at all where the trial found more
    with pytest.raises(LeakError) as err:
        rounds.replay([TEXT], [Round(found[0].detections)] + found[1:], plans, Finder([]))
    assert err.value.findings == [("UNKNOWN", 0)]
    with pytest.raises(ValueError):
        rounds.replay([TEXT], found, plans[:1], Finder([]))


def _policy():  # type: ignore[no-untyped-def]
    from redact.policy import Policy

    return Policy.load()
