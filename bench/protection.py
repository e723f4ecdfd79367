"""Protection on messy text: every target of the protection issue, in one run.

Usage::

    .venv/bin/python bench/protection.py                 # all figures, a table
    .venv/bin/python bench/protection.py --json out.json # and the figures as JSON
    .venv/bin/python bench/protection.py --errors        # also what leaked (TEXT: trusted
                                                         # machines and development data only)

Figures (development data in ``../shared/data``):

1. ``testimonies-dev.jsonl`` under ``testimony.yaml`` (and ``strict.yaml``), each
   statement's ``keep`` names allow-listed: protect strings leaked (whole word, any
   case), statements refused by verification, public names lost;
2. WNUT 2017 ``emerging.dev.conll``: PERSON span recall under ``testimony.yaml``,
   LOCATION span recall under ``strict.yaml``, vanilla Presidio on the same texts;
3. presidio-research ``generated_large.json``: ``strict.yaml`` any-type character
   recall and precision, ``testimony.yaml`` precision;
4. the unexplained-word sweep: how often it removed a word that is ordinary English
   (the GCIDE dictionary of ``english-words`` knows it, inflections included), on all
   three sets, and the 20 most frequent such words;
5. speed: ``Redactor.redact_many`` over the 2,109 presidio-research sentences (chars/s),
   vanilla Presidio's ``analyze`` loop on the same texts in the same run.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import DEV_SET, SHARED, build_vanilla, revision  # noqa: E402

from redact import Policy, Redactor  # noqa: E402
from redact.evaluate import (  # noqa: E402
    evaluate_predictions,
    evaluate_redactor,
    load_dataset,
)

TESTIMONIES = SHARED / "data" / "testimonies-dev.jsonl"
WNUT_DEV = SHARED / "data" / "wnut17" / "emerging.dev.conll"


def _span_recall(report: Any, etype: str) -> float | None:
    c = report.by_type.get(etype)
    return None if c is None else c.span_recall


def sweep_words(results: list[Any], texts: list[str]) -> Counter[str]:
    """Words the unexplained-word sweep removed that the dictionary knows (lower case)."""
    from redact.detect.gazetteer import gazetteer

    gaz = gazetteer()
    out: Counter[str] = Counter()
    for res, text in zip(results, texts, strict=True):
        for s in res.spans:
            if s.action != "keep" and s.rule.startswith("unexplained"):
                word = text[s.start:s.end]
                if gaz.is_english(word):
                    out[word.casefold()] += 1
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--json", type=Path, help="also write the figures to this file")
    ap.add_argument("--errors", action="store_true",
                    help="print what leaked, WITH ITS TEXT (development data only)")
    args = ap.parse_args()
    figures: dict[str, Any] = {"revision": revision()}
    testimony, strict = Policy.load("testimony.yaml"), Policy.load("strict.yaml")

    # 1. testimonies
    tds = load_dataset(TESTIMONIES)
    for name, pol in (("testimony", testimony), ("strict", strict)):
        rep = evaluate_redactor(Redactor(pol), tds, show_errors=args.errors)
        lk = rep.leaks
        assert lk is not None
        figures[f"testimonies.{name}"] = {**lk.to_dict(), "precision": rep.precision,
                                          "char_recall": rep.char_recall}
        print(f"testimonies-dev [{name}]: leaked {lk.leaked}/{lk.strings} protect strings "
              f"in {lk.leaked_cases}/{lk.cases} statements; refused {lk.refused_cases}; "
              f"public names lost {lk.keep_lost}/{lk.keep}; char recall "
              f"{rep.char_recall:.3f}, precision {rep.precision:.3f}")
        print("   by kind: " + ", ".join(f"{k} {v[1]}/{v[0]}" for k, v in
                                         sorted(lk.by_kind.items())))
        if args.errors and rep.errors:
            for e in rep.errors:
                if e["kind"] in ("leaked", "keep_lost"):
                    print(f"   {e['kind']:>9} {e['id']:<34} {e['gold_type']:<8} {e['text']!r}")

    # 2. WNUT 2017
    wds = load_dataset(WNUT_DEV)
    vanilla = build_vanilla()
    vpreds = [[(r.start, r.end, r.entity_type) for r in vanilla.analyze(t, language="en")]
              for t in wds.texts()]
    vrep = evaluate_predictions(wds, vpreds)
    w_t = evaluate_redactor(Redactor(testimony), wds)
    w_s = evaluate_redactor(Redactor(strict), wds)
    figures["wnut17"] = {
        "person_span_recall.testimony": _span_recall(w_t, "PERSON"),
        "location_span_recall.strict": _span_recall(w_s, "LOCATION"),
        "person_span_recall.vanilla": _span_recall(vrep, "PERSON"),
        "location_span_recall.vanilla": _span_recall(vrep, "LOCATION"),
        "precision.testimony": w_t.precision, "precision.strict": w_s.precision,
        "precision.vanilla": vrep.precision}
    print("wnut17 dev: PERSON span recall testimony {:.3f} (vanilla {:.3f}); LOCATION span "
          "recall strict {:.3f} (vanilla {:.3f}); precision testimony {:.3f}, strict {:.3f}, "
          "vanilla {:.3f}".format(*(figures["wnut17"][k] for k in (
              "person_span_recall.testimony", "person_span_recall.vanilla",
              "location_span_recall.strict", "location_span_recall.vanilla",
              "precision.testimony", "precision.strict", "precision.vanilla"))))

    # 3. presidio-research
    gds = load_dataset(DEV_SET)
    g_s = evaluate_redactor(Redactor(strict), gds)
    g_t = evaluate_redactor(Redactor(testimony), gds)
    figures["generated_large"] = {"strict.char_recall": g_s.char_recall,
                                  "strict.precision": g_s.precision,
                                  "testimony.char_recall": g_t.char_recall,
                                  "testimony.precision": g_t.precision}
    print(f"generated_large: strict char recall {g_s.char_recall:.4f}, precision "
          f"{g_s.precision:.4f}; testimony char recall {g_t.char_recall:.4f}, precision "
          f"{g_t.precision:.4f}")

    # 4. the sweep's ordinary words (all sets, the default policy and strict)
    ordinary: Counter[str] = Counter()
    for pol in (testimony, strict):
        r = Redactor(pol)
        for ds in (tds, wds, gds):
            texts = ds.texts()
            ordinary += sweep_words(r.redact_many(texts, verify=False), texts)
    figures["sweep_ordinary_words"] = {"count": sum(ordinary.values()),
                                       "top20": ordinary.most_common(20),
                                       "all": ordinary.most_common()}
    print(f"sweep: {sum(ordinary.values())} removals of dictionary words (testimony + strict, "
          f"all three sets); most frequent: "
          + ", ".join(f"{w} {n}" for w, n in ordinary.most_common(20)))

    # 5. speed on the presidio-research sentences
    texts = gds.texts()
    chars = sum(map(len, texts))
    r = Redactor(testimony)
    r.redact_many(texts[:20])
    t0 = time.perf_counter()
    r.redact_many(texts)
    ours = chars / (time.perf_counter() - t0)
    t0 = time.perf_counter()
    for t in texts:
        vanilla.analyze(t, language="en")
    theirs = chars / (time.perf_counter() - t0)
    figures["speed"] = {"redact_many_chars_per_s": ours, "vanilla_chars_per_s": theirs,
                        "ratio": ours / theirs}
    print(f"speed: redact_many {ours:,.0f} chars/s, vanilla Presidio analyze {theirs:,.0f} "
          f"chars/s (ratio {ours / theirs:.2f})")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n")


if __name__ == "__main__":
    main()
