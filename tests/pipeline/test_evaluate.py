"""redact.evaluate and `redact evaluate`: exact metrics on hand-made data, then the real thing."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import pytest
from typer.testing import CliRunner

from redact import Redactor
from redact.evaluate import (
    Dataset,
    DatasetError,
    Document,
    GoldSpan,
    evaluate_predictions,
    evaluate_redactor,
    load_dataset,
    print_report,
)

#: 300 sentences of presidio-research's generated_large.json, vendored (see its SOURCE).
DEV_SET = (Path(__file__).resolve().parents[1] / "data" / "presidio-research"
           / "generated_sample.json")


def _write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


# Two documents; offsets and counts worked out by hand below.
#   doc 0: "Anna Lee, Paris."   gold PERSON 0-8 ("Anna Lee": 7 letters), LOCATION 10-15 (5)
#          predicted: PERSON 0-4 ("Anna"), ORGANIZATION 10-15 ("Paris", wrong type)
#   doc 1: "Hi Bob."            gold PERSON 3-6 ("Bob": 3)
#          predicted: PERSON 0-6 ("Hi Bob": "Hi" is a false positive)
TWO_DOCS = [
    {"text": "Anna Lee, Paris.", "spans": [{"start": 0, "end": 8, "type": "PERSON"},
                                           {"start": 10, "end": 15, "type": "LOCATION"}]},
    {"text": "Hi Bob.", "spans": [{"start": 3, "end": 6, "type": "PERSON"}]},
]
TWO_PREDS = [[(0, 4, "PERSON"), (10, 15, "ORGANIZATION")], [(0, 6, "PERSON")]]


@pytest.fixture()
def two_docs(tmp_path: Path) -> Dataset:
    return load_dataset(_write_jsonl(tmp_path / "two.jsonl", TWO_DOCS))


def test_exact_metrics_on_two_documents(two_docs: Dataset) -> None:
    r = evaluate_predictions(two_docs, TWO_PREDS)
    # Gold letters: 7 + 5 + 3 = 15. Covered by any span: Anna 4 + Paris 5 + Bob 3 = 12.
    assert r.char_recall == pytest.approx(12 / 15)
    # Typed: Paris is covered by ORGANIZATION, which does not match LOCATION: 4 + 3 = 7.
    assert r.overall.typed_char_recall == pytest.approx(7 / 15)
    # Spans: "Anna Lee" half covered (leak), Paris covered (any type), Bob covered.
    assert r.span_recall == pytest.approx(2 / 3)
    assert r.overall.typed_span_recall == pytest.approx(1 / 3)
    # Predicted letters: Anna 4 + Paris 5 + HiBob 5 = 14, of which 12 are gold, 7 typed.
    assert r.predicted.chars == 14
    assert r.precision == pytest.approx(12 / 14)
    assert r.typed_precision == pytest.approx(7 / 14)
    # F2 = 5PR / (4P + R) with P = 6/7, R = 4/5: 30/37.
    p, rc = Fraction(6, 7), Fraction(4, 5)
    assert 5 * p * rc / (4 * p + rc) == Fraction(30, 37)
    assert r.f2 == pytest.approx(30 / 37)
    assert r.leaked_docs == 1 and r.documents == 2

    person, loc = r.by_type["PERSON"], r.by_type["LOCATION"]
    assert (person.spans, person.gold_chars, person.covered_chars) == (2, 10, 7)
    assert person.span_recall == pytest.approx(0.5)
    assert person.typed_char_recall == pytest.approx(0.7)
    assert (loc.char_recall, loc.typed_char_recall) == (1.0, 0.0)
    assert (loc.span_recall, loc.typed_span_recall) == (1.0, 0.0)
    assert r.by_predicted_type["PERSON"].chars == 9
    assert r.by_predicted_type["PERSON"].precision == pytest.approx(7 / 9)
    assert r.by_predicted_type["ORGANIZATION"].precision == 1.0
    assert r.by_predicted_type["ORGANIZATION"].typed_precision == 0.0

    d = r.to_dict()
    assert d["overall"]["char_recall"] == 0.8
    assert d["overall"]["leaked_docs"] == 1
    assert d["overall"]["missed_spans"] == 1
    assert d["by_type"]["PERSON"]["span_recall"] == 0.5


def test_spaces_and_punctuation_are_not_counted() -> None:
    # Gold "J. R. Smith" (7 letters); the predictions skip only dots and spaces.
    text = "J. R. Smith came."
    docs = [Document(text, (GoldSpan(0, 11, "PERSON"),))]
    r = evaluate_predictions(docs, [[(0, 1, "PERSON"), (3, 4, "PERSON"), (6, 11, "PERSON")]])
    assert r.overall.gold_chars == 7
    assert r.char_recall == 1.0 and r.span_recall == 1.0 and r.leaked_docs == 0
    # A predicted span of punctuation and spaces removes no letters: precision undefined.
    r2 = evaluate_predictions([Document("Bob , ok", ())], [[(3, 6, "PERSON")]])
    assert r2.predicted.chars == 0 and r2.precision is None and r2.f2 is None
    # Predicted "came" (4 letters) plus the space before it: precision 7 / 11.
    r3 = evaluate_predictions(docs, [[(0, 16, "PERSON")]])
    assert r3.predicted.chars == 11
    assert r3.precision == pytest.approx(7 / 11)


def test_span_recall_needs_every_letter_and_digit() -> None:
    text = "Flat Smith 42, north"
    docs = [Document(text, (GoldSpan(5, 13, "ADDRESS"),))]  # "Smith 42": 7 alnum
    r = evaluate_predictions(docs, [[(5, 12, "ADDRESS")]])  # "Smith 4": the 2 leaks
    assert r.char_recall == pytest.approx(6 / 7)
    assert r.span_recall == 0.0 and r.leaked_docs == 1
    # Covered in two pieces of different types: covered for any type, not typed.
    r2 = evaluate_predictions(docs, [[(5, 10, "PERSON"), (11, 13, "ADDRESS")]])
    assert r2.span_recall == 1.0
    assert r2.overall.typed_span_recall == 0.0
    assert r2.overall.typed_char_recall == pytest.approx(2 / 7)
    # ADDRESS gold is matched by a LOCATION prediction (documented type mapping).
    # Flat 4 + Smith 5 + 42 2 + north 5 = 16 letters and digits removed, 7 of them gold.
    r3 = evaluate_predictions(docs, [[(0, 20, "LOCATION")]])
    assert r3.overall.typed_span_recall == 1.0
    assert r3.typed_precision == pytest.approx(7 / 16)


def test_prefix_and_title_are_reported_but_not_in_overall() -> None:
    text = "Mrs. Alba Ruiz, benefits manager."
    docs = [Document(text, (GoldSpan(0, 4, "PREFIX"), GoldSpan(5, 14, "PERSON"),
                            GoldSpan(16, 32, "TITLE")))]
    r = evaluate_predictions(docs, [[(5, 14, "PERSON")]])
    assert r.span_recall == 1.0 and r.leaked_docs == 0
    assert r.by_type["PREFIX"].span_recall == 0.0
    assert r.by_type["TITLE"].spans == 1
    assert r.to_dict()["overall"]["excluded_types"] == ["PREFIX", "TITLE"]
    # Removing "Mrs." is not a false positive: it is a gold span.
    r2 = evaluate_predictions(docs, [[(0, 14, "PERSON")]])
    assert r2.precision == 1.0
    # Counted when asked.
    r3 = evaluate_predictions(docs, [[(5, 14, "PERSON")]], excluded_types=())
    assert r3.span_recall == pytest.approx(1 / 3) and r3.leaked_docs == 1


def test_no_text_in_reports_unless_show_errors(two_docs: Dataset) -> None:
    plain = json.dumps(evaluate_predictions(two_docs, TWO_PREDS).to_dict())
    for secret in ("Anna", "Lee", "Paris", "Bob"):
        assert secret not in plain
    debug = evaluate_predictions(two_docs, TWO_PREDS, show_errors=True).to_dict()
    kinds = {(e["kind"], e["text"]) for e in debug["errors"]}
    assert kinds == {("partial", "Anna Lee"), ("false_positive", "Hi")}


def test_both_formats_load_and_agree(tmp_path: Path, two_docs: Dataset) -> None:
    presidio = [{"full_text": r["text"], "masked": None, "template_id": 1,
                 "spans": [{"entity_type": s["type"],
                            "entity_value": r["text"][s["start"]:s["end"]],
                            "start_position": s["start"], "end_position": s["end"]}
                           for s in r["spans"]]} for r in TWO_DOCS]
    # Detected from the content, whatever the extension says.
    path = tmp_path / "gold.data"
    path.write_text(json.dumps(presidio, indent=1), encoding="utf-8")
    ds = load_dataset(path)
    assert ds.format == "presidio-research" and two_docs.format == "jsonl"
    assert ds.documents == two_docs.documents
    assert load_dataset(path, limit=1).documents == two_docs.documents[:1]
    assert evaluate_predictions(ds, TWO_PREDS).to_dict()["overall"] == \
        evaluate_predictions(two_docs, TWO_PREDS).to_dict()["overall"]


def test_bad_datasets_are_errors_without_text(tmp_path: Path) -> None:
    bad = _write_jsonl(tmp_path / "bad.jsonl",
                       [{"text": "Secret Name", "spans": [{"start": 0, "end": 99, "type": "X"}]}])
    with pytest.raises(DatasetError) as exc:
        load_dataset(bad)
    assert "bad.jsonl:1" in str(exc.value) and "Secret" not in str(exc.value)
    (tmp_path / "broken.jsonl").write_text('{"text": "Secret"\n')
    with pytest.raises(DatasetError):
        load_dataset(tmp_path / "broken.jsonl")
    with pytest.raises(ValueError):
        evaluate_predictions([Document("a", ())], [])


def test_real_redactor_on_dev_set(redactor: Redactor) -> None:
    ds = load_dataset(DEV_SET, limit=30)
    report = evaluate_redactor(redactor, ds)
    assert report.documents == 30
    assert report.char_recall is not None and report.char_recall > 0.5
    assert report.span_recall is not None and report.span_recall > 0.5
    assert report.precision is not None and report.precision > 0.5
    assert report.system["model"]["package"] and report.system["model"]["version"]
    assert report.system["policy"] == ["testimony.yaml"]
    blob = json.dumps(report.to_dict(), ensure_ascii=False)
    values = [d.text[s.start:s.end] for d in ds.documents for s in d.spans]
    # Gold values long enough not to collide with a number in the report.
    checked = [v for v in values if len(v) >= 6 or (len(v) >= 3 and not v.isdigit())]
    assert len(checked) > 40
    leaked = [v for v in checked if v in blob]
    assert not leaked, f"{len(leaked)} gold value(s) appear in the JSON report"
    print_report(report)  # renders without error


def test_cli_evaluate_json(tmp_path: Path) -> None:
    from redact.cli import app

    path = _write_jsonl(tmp_path / "tiny.jsonl", [
        {"text": "My brother Ruslan Ibragimov called me on +7 928 744-19-03.",
         "spans": [{"start": 11, "end": 27, "type": "PERSON"},
                   {"start": 41, "end": 57, "type": "PHONE_NUMBER"}]},
        {"text": "Nothing to see here.", "spans": []},
    ])
    result = CliRunner().invoke(app, ["evaluate", str(path), "--json", "--policy",
                                      "testimony.yaml"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout.strip().splitlines()[-1])
    assert {"dataset", "system", "overall", "by_type", "by_predicted_type", "timing"} <= set(data)
    assert {"char_recall", "span_recall", "typed_span_recall", "precision", "typed_precision",
            "f2", "leaked_docs"} <= set(data["overall"])
    assert data["dataset"]["documents"] == 2 and data["dataset"]["format"] == "jsonl"
    assert data["system"]["model"]["version"]
    assert data["system"]["policy"] == ["testimony.yaml"]
    assert "errors" not in data
    assert "Ruslan" not in result.stdout and "744" not in result.stdout

    human = CliRunner().invoke(app, ["evaluate", str(path), "--limit", "1"])
    assert human.exit_code == 0, human.output
    assert "model:" in human.stdout and "testimony.yaml" in human.stdout


# ---- the development formats of the protection issue ------------------------------------


def test_testimony_jsonl_and_the_leak_rule(tmp_path: Path) -> None:
    from redact.evaluate import score_leaks

    rec = {"id": "t1", "text": "Rustam met RUSTAM and rustamov at Shali. Putin spoke.",
           "protect": [["PERSON", "Rustam"], ["LOCATION", "Shali"]], "keep": ["Putin"]}
    p = tmp_path / "t.jsonl"
    p.write_text(json.dumps(rec) + "\n", encoding="utf-8")
    ds = load_dataset(p)
    assert ds.format == "testimony"
    doc = ds.documents[0]
    # whole words in any case are gold spans; "rustamov" is not "Rustam"
    assert [(s.start, s.end, s.entity) for s in doc.spans] == [
        (0, 6, "PERSON"), (11, 17, "PERSON"), (34, 39, "LOCATION")]
    assert doc.keep == ("Putin",)
    leaks = score_leaks([doc], ["[X] met rustam and rustamov at [Y]. Putin spoke."])
    assert (leaks.strings, leaks.leaked, leaks.leaked_cases, leaks.keep_lost) == (2, 1, 1, 0)
    assert leaks.by_kind == {"PERSON": [1, 1], "LOCATION": [1, 0]}
    lost = score_leaks([doc], ["[X] met [X] and rustamov at [Y]. [P] spoke."])
    assert (lost.leaked, lost.keep_lost) == (0, 1)


def test_conll_dataset(tmp_path: Path) -> None:
    p = tmp_path / "d.conll"
    p.write_text("hey\tO\ntanner\tB-person\nin\tO\nnew\tB-location\nyork\tI-location\n\n"
                 "ok\tO\n", encoding="utf-8")
    ds = load_dataset(p)
    assert ds.format == "conll" and [d.text for d in ds.documents] == [
        "hey tanner in new york", "ok"]
    spans = ds.documents[0].spans
    assert [(s.start, s.end, s.entity) for s in spans] == [(4, 10, "PERSON"),
                                                          (14, 22, "LOCATION")]


def test_evaluate_redactor_on_testimony_allows_each_statements_public_names(
        redactor: Redactor, tmp_path: Path) -> None:
    rec = {"id": "t1", "text": "My cousin Zelimkhan Gairbekov was taken. Ramzan Kadyrov "
                               "denies it.",
           "protect": [["PERSON", "Zelimkhan Gairbekov"], ["PERSON", "Zelimkhan"]],
           "keep": ["Ramzan Kadyrov"]}
    p = tmp_path / "t.jsonl"
    p.write_text(json.dumps(rec) + "\n", encoding="utf-8")
    report = evaluate_redactor(redactor, load_dataset(p))
    assert report.leaks is not None
    assert (report.leaks.leaked, report.leaks.keep_lost) == (0, 0)
    assert report.to_dict()["leaks"]["protect_strings"] == 2
    assert "Gairbekov" not in json.dumps(report.to_dict())
