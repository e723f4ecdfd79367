"""End-to-end redaction with the real spaCy model and real Presidio."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from redact import LeakError, Policy, Redactor

REPO = Path(__file__).resolve().parents[2]


def leftover(text: str, terms: list[str]) -> list[str]:
    return [t for t in terms if re.search(re.escape(t), text, re.IGNORECASE)]


# What must go from each bundled example statement (and what must stay).
EXAMPLES = {
    "statement-detention.txt": (
        ["Adam", "Khasanov", "Gekhi", "Urus-Martan", "Mira Street", "flat 12", "Vaynakh",
         "Ruslan", "Islam", "Temirov", "928 744", "A 123 BC 95", "Tarzan", "9611 482207",
         "Alkhanov", "Argun", "Abu Hamza", "Magomed", "Lechi", "Kheda", "1577 3902261",
         "3 March 1991", "33 years old"],
        ["Moscow", "Berlin", "WhatsApp", "roubles"]),
    "statement-disappearance.txt": (
        ["Fatima", "al-Hassan", "Kafr Nabl", "Yusuf", "Abu Khalil", "Al-Nour", "Samer",
         "Haddad", "Omar", "Nabil", "Darwish", "0944 218 337", "Rama", "Karim", "Ahmet Kaya",
         "Apt. 3", "532 418 77 06", "fatima.kn82", "274-19C00815", "41 years old", "Hama"],
        ["UNHCR", "Signal", "11 October 2019"]),
    "statement-passport.txt": (
        ["Ram Bahadur", "Thapa", "Bhimad", "Tanahun", "14/02/1994", "Al Mansoori",
         "EMP-44817", "29452412345", "Camp 7", "Rajesh", "PA4471923", "Dil Kumar", "Gurung",
         "Sagar Manpower", "Sita", "980-1234567", "5512 3398", "Bablu"],
        ["Nepal", "Kathmandu", "WhatsApp", "2,000 riyals"]),
}


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_bundled_statements(redactor: Redactor, name: str) -> None:
    text = (REPO / "examples" / name).read_text(encoding="utf-8")
    gone, kept = EXAMPLES[name]
    assert leftover(text, gone) == gone  # the terms really are in the statement
    out = redactor.redact(text).text
    assert leftover(out, gone) == []
    assert leftover(out, kept) == kept


def test_article_with_allow_listed_officials() -> None:
    pol = Policy.load(REPO / "examples" / "article-policy.yaml")
    text = (REPO / "examples" / "chechnya-testimony-article.txt").read_text(encoding="utf-8")
    res = Redactor(pol).redact(text)
    # the witness's pseudonym and the private people in the page are gone
    assert leftover(res.text, ["Ahmed", "Jason Rodriguez", "Mario Tama", "Scott Engle"]) == []
    # officials are kept by the example policy
    assert leftover(res.text, ["Ramzan Kadyrov", "Nikki Haley", "Lisa Murkowski"]) == [
        "Ramzan Kadyrov", "Nikki Haley", "Lisa Murkowski"]
    kept = [s for s in res.spans if s.action == "keep" and s.rule == "allow"]
    assert any(text[s.start:s.end] == "Ramzan Kadyrov" for s in kept)
    # without the example policy Kadyrov is pseudonymized like anyone else
    plain = Redactor(Policy.load("testimony.yaml")).redact(text)
    assert "Kadyrov" not in plain.text


def test_mention_propagation_and_consistent_pseudonyms(fresh_redactor: Redactor) -> None:
    text = ("Ruslan Ibragimov was taken on Monday. Later the guards beat Ibragimov again. "
            "Mr IBRAGIMOV never came back. ruslan's mother, Zara Ibragimova, waited. "
            "Dr Ibragimov is not related.")
    res = fresh_redactor.redact(text)
    assert leftover(res.text, ["Ruslan", "Ibragimov "]) == []
    labels = {s.replacement for s in res.spans if text[s.start:s.end].lower().startswith(
        ("ruslan", "ibragimov"))}
    assert labels == {"Person A"}, labels
    # the same person keeps the label in the next statement redacted by this Redactor
    res2 = fresh_redactor.redact("I met Ruslan Ibragimov in Grozny in 2015.")
    assert "Person A" in res2.text


def test_different_people_get_different_labels(fresh_redactor: Redactor) -> None:
    res = fresh_redactor.redact("My brother Islam Temirov and my cousin Magomed Temirov were "
                                "arrested. Islam was released; Magomed was not.")
    labels = [s.replacement for s in res.spans if s.entity == "PERSON"]
    assert len(set(labels)) >= 2
    assert "Islam" not in res.text and "Magomed" not in res.text


def test_testimony_identifiers(redactor: Redactor) -> None:
    text = ("Call me on +7 928 744-19-03 or (555) 010-4477 or 8 701 555 2231. "
            "My Telegram is @zelim_95 and WeChat ID: lin.wei88. "
            "The van had plates KA-01-AB-1234. His badge number is 40-1187. "
            "Medical record number MRN 00482231. I live at 14 Lenin Street, Apt. 4. "
            "She is a 34-year-old teacher, born on 12/04/1990, aged 34.")
    out = redactor.redact(text).text
    assert leftover(out, ["928 744", "010-4477", "701 555 2231", "zelim_95", "lin.wei88",
                          "KA-01-AB-1234", "40-1187", "00482231", "14 Lenin", "Apt. 4",
                          "34-year-old", "12/04/1990", "aged 34"]) == []
    assert "teacher" in out


def test_deny_list_and_allow_list(tmp_path: Path) -> None:
    p = tmp_path / "case.yaml"
    p.write_text("extends: testimony.yaml\nallow: [Kadyrov]\n"
                 "deny:\n  - {text: Tiger, entity: PERSON}\n"
                 "  - {text: Gekhi-Chu, entity: LOCATION}\n", encoding="utf-8")
    r = Redactor(Policy.load(p))
    text = "The man they call Tiger drove us from Gekhi-Chu. Kadyrov's men were there."
    res = r.redact(text)
    assert "Tiger" not in res.text and "Gekhi-Chu" not in res.text
    assert "Kadyrov" in res.text
    assert {s.rule for s in res.spans if s.action != "keep"} >= {"deny"}


def test_actions_mask_replace_redact_keep(tmp_path: Path) -> None:
    p = tmp_path / "a.yaml"
    p.write_text("""extends: testimony.yaml
entities:
  PERSON: {action: mask}
  PHONE_NUMBER: {action: redact}
  EMAIL_ADDRESS: {action: keep}
  URL: {action: keep}
  ID_NUMBER: {action: replace, label: ID}
""", encoding="utf-8")
    r = Redactor(Policy.load(p))
    text = "Ruslan Ibragimov: +7 928 744-19-03, desk@example.org, passport no. 4511 233412."
    res = r.redact(text)
    assert res.text.startswith("****** *********:")
    assert "[REDACTED]" in res.text and "desk@example.org" in res.text
    assert "[ID]" in res.text
    assert res.counts["PERSON"] == {"mask": 1}


def test_redact_many_equals_redact(redactor: Redactor) -> None:
    texts = ["My uncle Ruslan lives at 27 Mira Street.", "Call Kheda on +49 1577 3902261.",
             "", "Nothing here at all."]
    many = redactor.redact_many(texts)
    assert [m.text for m in many] == [redactor.redact(t).text for t in texts]
    assert many[2].text == "" and many[3].text == "Nothing here at all."


def test_segments_share_propagation_and_labels(fresh_redactor: Redactor) -> None:
    body = "Statement of Zelimkhan Bisultanov about the night of 3 May."
    comment = "Check with Bisultanov before publishing."
    props = "Author: zelimkhan"
    outs = fresh_redactor.redact_segments([body, comment, props])
    assert all("isultanov" not in o.text.lower() and "zelimkhan" not in o.text.lower()
               for o in outs)
    assert "Person A" in outs[0].text and "Person A" in outs[1].text


def test_verify_fails_closed_when_apply_misses(monkeypatch: pytest.MonkeyPatch,
                                               fresh_redactor: Redactor) -> None:
    # Fault injection: an apply step that forgets one span (cannot happen otherwise).
    import redact.apply as mod

    real = mod.apply_spans

    def forgetful(text, spans):  # type: ignore[no-untyped-def]
        return real(text, [s for s in spans if s.entity != "PHONE_NUMBER"])

    monkeypatch.setattr(mod, "apply_spans", forgetful)
    with pytest.raises(LeakError) as ei:
        fresh_redactor.redact("Ruslan gave me his number, +7 928 744-19-03, in March.")
    e = ei.value
    # offsets are in the output: "Person A" is two characters longer than "Ruslan"
    assert ("PHONE_NUMBER", 29) in e.findings
    assert "928" not in str(e) and "Ruslan" not in str(e)


def test_report_has_no_plaintext(redactor: Redactor) -> None:
    text = "Canary Zvezdana Kvartirova phoned +7 901 555-01-99 from Yalkhoroy village."
    res = redactor.redact(text)
    import json

    blob = json.dumps(res.to_report())
    for secret in ("Zvezdana", "Kvartirova", "555-01-99", "Yalkhoroy"):
        assert secret not in blob
    assert res.to_report()["model"]["version"] == "3.8.0"


def test_long_text_is_chunked_consistently(redactor: Redactor) -> None:
    para = "Ruslan Ibragimov called +7 928 744-19-03 from Gekhi village.\n\n"
    text = para * 3000  # ~190k chars: more than one spaCy chunk
    out = redactor.redact(text).text
    assert "Ibragimov" not in out and "744-19-03" not in out and "Gekhi" not in out
    assert out.count("\n\n") == 3000


# ---- split runs: stage 3 reuses a stage-1 re-analysis only for an identical output ---------


def test_split_run_reuses_evidence_only_for_identical_output(redactor: Redactor) -> None:
    from dataclasses import replace

    from redact.batch.split import SplitRun, assign
    from redact.detect import Detection
    from redact.plan import Plan, Planner
    from redact.pseudonyms import PseudonymIndex
    from redact.rounds import Round

    text = "My cousin Islam Bakaev called me on +7 928 744-19-03 from Argun."
    split = SplitRun(redactor, bytes(32))
    dets = split.detect([text], 16)
    found, decisions = split.analyse([text], dets, Planner(redactor.policy, PseudonymIndex()))
    assert len(decisions) == len(found)
    # every round was re-analysed (the last one found nothing new): evidence for each
    assert all(r.digest is not None for r in found) and not any(found[-1].new or [])

    def plans(first_label_taken: bool) -> list[Plan]:
        index = PseudonymIndex()
        if first_label_taken:  # real labels differ from the throw-away ones: "Person B"
            index.label_for("PERSON", "Person", ["Somebody Else"])
        return assign(Planner(redactor.policy, index), [text], decisions)

    bare = [Round(r.detections) for r in found]  # no evidence: every re-analysis runs
    plain = split.finish([text], bare, plans(False))[0].text
    assert plain == redactor.with_pseudonyms().redact(text).text
    # A planted finding in the evidence shows whether it was used instead of a re-analysis.
    planted = [replace(r, new=[[Detection(0, 2, "PERSON", 1.0, "planted")]]) for r in found]
    with pytest.raises(LeakError):  # same labels, same output: the evidence is used
        split.finish([text], planted, plans(False))
    # Other labels, other output: the re-analysis runs again and the evidence is ignored.
    other = split.finish([text], planted, plans(True))[0].text
    assert other != plain and "Islam" not in other and "744-19-03" not in other
    assert split.finish([text], found, plans(False))[0].text == plain


def test_seeded_index_labels_like_its_source_and_writes_nowhere() -> None:
    from redact.pseudonyms import PseudonymIndex

    source = PseudonymIndex()
    a = source.label_for("PERSON", "Person", ["Islam Bakaev"], ["Islam", "Bakaev"])
    trial = PseudonymIndex.seeded(source.label_tables(), source.key)
    assert trial.label_for("PERSON", "Person", ["Bakaev"]) == a  # a known part
    new = trial.label_for("PERSON", "Person", ["Zarema Musaeva"])
    assert new != a
    # The source never saw the trial's name: it allocates the same label to someone else.
    assert source.label_for("PERSON", "Person", ["Kheda Alkhanova"]) == new
    assert len(source) == 2 and len(trial) == 2


def test_form_matcher_is_shared_and_pickles_as_its_forms(redactor: Redactor) -> None:
    """One compiled matcher per set of forms; a pickled plan's matcher comes back the same."""
    import pickle

    from redact.detect import FormMatcher

    m = FormMatcher(["Ruslan  Ibragimov", "Said", "ruslan"])
    assert FormMatcher(["ruslan", "Said", "Ruslan Ibragimov"]) is m
    text = "RUSLAN\n Ibragimov said that Said and ruslan left."
    assert [x.group(0) for x in m.finditer(text)] == ["RUSLAN\n Ibragimov", "Said", "ruslan"]
    plan = redactor.planner.plan([text], [redactor.detect(text)])
    again = pickle.loads(pickle.dumps(plan))
    assert again.matcher is plan.matcher and again.spans == plan.spans


def test_verification_skips_only_what_cannot_count(redactor: Redactor) -> None:
    """Re-analysis leaves out recognizers whose every type the policy keeps (DATE_TIME),
    and rules and recognizers scoring below the threshold (PROPER_NOUN at 0.35 < 0.5;
    Presidio's US driver licence at 0.3, which has no checksum to raise it)."""
    policy = redactor.policy
    texts = ["On 2021-03-12 at 14:30 Islam Bakaev called +7 928 744-19-03 from 14 Lenina "
             "Street.", "He worked for Grozneft and Itriage; file 4511233412; AB12345."]
    det = redactor.detector
    dropped = set()
    for text in texts:
        full = det.detect_patterns(text)
        verify = det.detect_patterns(text, kept_types=False)
        assert set(verify) <= set(full)
        counts = [d for d in full if policy.action(d.entity) != "keep"
                  and d.score >= policy.threshold(d.entity)]
        assert set(counts) <= set(verify)
        dropped |= {d.entity for d in set(full) - set(verify)}
        assert any(d.entity == "PHONE_NUMBER" for d in verify) or "Grozneft" in text
    assert {"DATE_TIME", "PROPER_NOUN", "ID_NUMBER", "US_DRIVER_LICENSE"} <= dropped
    kinds = {type(r).__name__ for r in det._verify_recognizers}
    assert "ProperNounRecognizer" not in kinds and "RegexRecognizer" in kinds
    assert "UsLicenseRecognizer" not in kinds and "UsPassportRecognizer" not in kinds
    assert "CreditCardRecognizer" in kinds  # a checksum may raise its finding to 1.0


def test_decisions_then_labels_equal_one_plan(redactor: Redactor) -> None:
    """decide_spans (no index) + assign (labels) in two planners = plan in one."""
    import pickle

    from redact import Policy
    from redact.plan import Planner
    from redact.pseudonyms import PseudonymIndex

    text = ("Aslan Dzhabrailov and his brother Magomed met Kheda in Argun. Aslan called "
            "Kheda on +7 928 744-19-03.")
    dets = [redactor.detect(text)]
    policy = Policy.load("testimony.yaml")
    whole = Planner(policy, PseudonymIndex()).plan([text], dets)
    decisions = pickle.loads(pickle.dumps(Planner(policy, PseudonymIndex()).decide_spans(
        [text], dets)))  # decided in one process, labelled in another
    split = Planner(policy, PseudonymIndex()).assign([text], decisions)
    assert split.spans == whole.spans and split.forms == whole.forms
    assert {s.replacement for s in split.spans[0]} >= {"Person A", "Person B", "[PHONE_NUMBER]"}


def test_url_pattern_searched_from_runs_finds_the_same(redactor: Redactor) -> None:
    """The schema-less URL regex searched only from dotted runs = the plain regex."""
    import regex
    from presidio_analyzer.predefined_recognizers import UrlRecognizer

    from redact.detect.speedups import RunsOnlyFinditer
    from redact.evaluate import load_dataset

    flags = UrlRecognizer(supported_language="en").global_regex_flags
    plain = regex.compile("(?i)" + UrlRecognizer.BASE_URL_REGEX, flags=flags)
    fast = RunsOnlyFinditer(plain, flags)
    texts = [
        "see example.com/a.b(c) and www2.Test.ORG/x?y=1'quoted' then e.g. a.m. done.",
        "visit sub.domain.co.uk/path/to.file.html, or mail.ru; \"news.bbc.co.uk\" <a.io>",
        "no dots here at all", "....", "a." * 200 + "com/" + "x" * 50, "x" * 300 + ".com",
        "ΚΑΛΗ.gr and \u212a.com and ſite.org/\u00e9t\u00e9 2.3.4.5 v1.2-beta.tar",
    ]
    dev = Path(__file__).resolve().parents[1] / "data/presidio-research/generated_sample.json"
    if dev.is_file():
        texts += load_dataset(dev).texts()
    for t in texts:
        assert [m.span() for m in fast.finditer(t, timeout=10)] == \
            [m.span() for m in plain.finditer(t, timeout=10)], t[:80]
    url = next(r for r in redactor.detector._pattern_recognizers if type(r) is UrlRecognizer)
    assert any(isinstance(p.compiled_regex, RunsOnlyFinditer) for p in url.patterns)


def test_phone_recognizer_equals_presidio(redactor: Redactor) -> None:
    """Digit gate and remembered candidates: the same results as Presidio's own, twice."""
    from presidio_analyzer.predefined_recognizers import PhoneRecognizer

    from redact.detect.speedups import DigitGatedPhone
    from redact.evaluate import load_dataset

    theirs = PhoneRecognizer()
    ours = next(r for r in redactor.detector._pattern_recognizers
                if isinstance(r, DigitGatedPhone))
    texts = ["call +7 928 744-19-03 or (212) 555-0187, ext. 12; not 2019 or 12/03/2021",
             "tel:+44 20 7946 0958abc 0049 30 901820 x 1.800.555.0199 and +1-202-555-0143."]
    dev = Path(__file__).resolve().parents[1] / "data/presidio-research/generated_sample.json"
    if dev.is_file():
        texts += [t for t in load_dataset(dev).texts() if sum(c.isdigit() for c in t) >= 5]
    for t in texts + texts:  # the second time from the remembered candidates
        want = [(r.start, r.end, r.score, r.analysis_explanation.textual_explanation)
                for r in theirs.analyze(t, ["PHONE_NUMBER"])]
        got = [(r.start, r.end, r.score, r.analysis_explanation.textual_explanation)
               for r in ours.analyze(t, ["PHONE_NUMBER"])]
        assert got == want, t[:80]


def test_nlp_artifacts_and_context_step_equal_presidio(redactor: Redactor) -> None:
    """Array-read token offsets and words, and the grouped context step, as Presidio's."""
    from presidio_analyzer import AnalyzerEngine

    det = redactor.detector
    text = ("İstanbul’da ÇOK güzel. Mr Aslan Dzhabrailov called +7 928 744-19-03 from "
            "14 Lenina Street, Grozny, on 12/03/2021; see www.example.org.")
    doc = det.nlp(text)
    art = det._engine._doc_to_nlp_artifact(doc, "en")
    assert art.tokens_indices == [t.idx for t in doc]
    assert art.lemmas == [t.lower_ for t in doc]
    raw = [r for rec in det._registry.recognizers
           for r in rec.analyze(text, rec.supported_entities, art)]
    recs = det._registry.recognizers
    ours = det._analyzer._enhance_using_context(text, raw, art, recs, None)
    theirs = AnalyzerEngine._enhance_using_context(det._analyzer, text, raw, art, recs, None)
    assert [(r.entity_type, r.start, r.end, r.score) for r in ours] == \
        [(r.entity_type, r.start, r.end, r.score) for r in theirs]
    assert len(ours) > 5


def test_rule_speedups_match_like_the_plain_rules() -> None:
    """The trie of titles and the word-start prefix: every rule matches what its plain form
    (flat alternation, ``\\b``) matches, span for span and group for group."""
    import re

    from redact.detect import recognizers as R
    from redact.evaluate import load_dataset

    flat = "|".join(sorted((re.escape(w) for w in R.NAME_TITLES | R.KINSHIP_WORDS),
                           key=len, reverse=True))
    texts = [
        "My brother-in-law Ahmed Sultanov and my brother Ruslan; BROTHERhood Ali; "
        "Dr. Smith, DR SMITH, dr.Jones, uncle  Islam\nBakaev, fiancé Omar, FIANCÉ Anna, "
        "stepfather  Said, sister-in-lawyer Maria, Mrs O'Neil and imam Abu Bakr.",
        "Flat 12, 14 Baker Street\nLondon NW1 6XE; P.O. Box 123; apt.4; Austin, TX 75001; "
        "the village of Shali; she lives in Grozny; born in Urus-Martan; passport no. "
        "4511 233412; telegram @free_voice; whatsapp: +7 928 744-19-03; Unit 4550, Box 12.",
        "x1 Flat 3 _Flat 4 éFlat 5 flat6 12 Main St. 4 and 5 Lenina Street 10, Block 7",
    ]
    dev = Path(__file__).resolve().parents[1] / "data/presidio-research/generated_sample.json"
    if dev.is_file():
        texts += load_dataset(dev).texts()
    texts += [p.read_text(encoding="utf-8", errors="replace")
              for p in (Path(__file__).resolve().parents[1] / "corpus").glob("*")
              if p.suffix in (".txt", ".md", ".jsonl", ".csv")]
    changed = 0
    for rec in R.testimony_recognizers():
        if not isinstance(rec, R.RegexRecognizer):
            continue
        for comp in rec._compiled:
            plain_src = comp.rule.regex.replace(R._WORD_TITLES, flat).replace(R._WORD_START,
                                                                              r"\b")
            if plain_src == comp.rule.regex:
                continue
            changed += 1
            plain = re.compile(plain_src, comp.rule.flags)
            for t in texts:
                assert [(m.span(), m.groupdict()) for m in comp.pattern.finditer(t)] == \
                    [(m.span(), m.groupdict()) for m in plain.finditer(t)], \
                    (comp.rule.name, t[:60])
    assert changed >= 8  # titles, block, unit (in three rules), zip, places, ids, handles


def test_literal_alternation_prefers_the_longest_word() -> None:
    import re

    from redact.detect.recognizers import literal_alternation

    rx = re.compile(rf"(?:{literal_alternation(['son', 'son-in-law', 'sonny', 's'])})\b", re.I)
    assert [m.group(0) for m in rx.finditer("Son-in-law, sonny, SON, s, so")] == \
        ["Son-in-law", "sonny", "SON", "s"]
    with pytest.raises(ValueError):
        literal_alternation(["ſon"])
    with pytest.raises(ValueError):
        literal_alternation(["Son"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 40), st.integers(0, 8)), max_size=12),
       st.lists(st.tuples(st.integers(0, 40), st.integers(0, 8)), max_size=25))
def test_kept_spans_yield_as_the_plain_overlap_scan(removed: list[tuple[int, int]],
                                                    kept: list[tuple[int, int]]) -> None:
    """``Taken`` (log-time overlap test) accepts exactly the ranges the plain scan accepts."""
    from redact.plan_spans import Taken

    held: list[tuple[int, int]] = []  # removed ranges merged as _resolve merges them
    for s, n in sorted((s, s + n) for s, n in removed):
        if held and s < held[-1][1]:
            held[-1] = (held[-1][0], max(held[-1][1], n))
        else:
            held.append((s, n))
    plain = list(held)
    taken = Taken(held)
    for s, n in kept:
        e = s + n
        free = not any(s < b and a < e for a, b in plain)
        if free:
            plain.append((s, e))
        assert taken.add_if_free(s, e) == free


def test_the_check_reads_no_cue_in_redacts_own_labels(redactor: Redactor) -> None:
    # far into a case the labels run to two letters; "Person FB:" must not make the word
    # after it a Facebook handle when the output is checked
    from redact import rounds
    from redact.verify import OutputMap

    output = "[09:12] Person FB: Alhamdulillah she called."
    raw = redactor.detector.detect_patterns(output, kept_types=False)
    assert any(d.entity == "MESSAGING_HANDLE" for d in raw)  # the label reads as a cue
    reanalyse = rounds.reanalysis(redactor.detector, redactor.planner, False)
    assert reanalyse(None, [(output, OutputMap(replaced=[(8, 17)], protected=[]))], 0) == [[]]
