"""What a redaction returns: the redacted text and, per span, what was done and why."""

from __future__ import annotations

import hashlib
import hmac
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Span", "RedactionResult", "document_report", "marked_text", "decision_rows"]


@dataclass(frozen=True)
class Span:
    """One decision about a stretch of the original text.

    ``start``/``end`` are offsets in the original text; ``action`` is one of
    redact, mask, replace, pseudonymize, keep; ``rule`` names why (a recognizer
    rule, ``ner``, ``deny``, ``allow``, ``large_place``, ``propagation``);
    ``replacement`` is the text put in its place (None for keep).
    """

    start: int
    end: int
    entity: str
    score: float
    action: str
    rule: str
    replacement: str | None

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "entity": self.entity,
                "score": self.score, "action": self.action, "rule": self.rule,
                "replacement": self.replacement}


def marked_text(text: str, spans: list[Span],
                review: list[tuple[int, int, str]] | None = None) -> str:
    """``text`` with every decision marked inline, in plain text (for a pipe or a file).

    A removed span reads ``⟦PERSON→Person A⟧Islam Temirov⟦/⟧`` (type, then what
    replaces it), a kept one ``⟦keep:LOCATION⟧Moscow⟦/⟧``, a word left for review
    ``⟦review⟧sudoku⟦/⟧``; the rest of the text is unchanged, line breaks included.
    The result holds the original statement: treat it as the statement itself.
    """
    marks = [(s.start, s.end, f"⟦keep:{s.entity}⟧" if s.action == "keep"
              else f"⟦{s.entity}→{s.replacement or '(removed)'}⟧") for s in spans]
    marks += [(a, b, "⟦review⟧") for a, b, _reason in review or []]
    out, at = [], 0
    for start, end, tag in sorted(marks, key=lambda m: (m[0], -m[1])):
        if start < at:  # inside a span already marked
            continue
        out += [text[at:start], tag, text[start:end], "⟦/⟧"]
        at = end
    out.append(text[at:])
    return "".join(out)


def decision_rows(spans: list[Span]) -> list[list[str]]:
    """The decisions as table rows, full width: offset, type, score, rule, action,
    replacement (the header first)."""
    rows = [["offset", "type", "score", "rule", "action", "replacement"]]
    rows += [[f"{s.start}-{s.end}", s.entity, f"{s.score:.2f}", s.rule, s.action,
              s.replacement or ""] for s in spans]
    return rows


@dataclass
class RedactionResult:
    """The redacted ``text`` of one statement and the ``spans`` decided on its original.

    ``counts`` is ``{entity: {action: n}}``. ``to_report()`` gives a dict safe to
    store: offsets, types, scores, actions, rules, pseudonym labels and keyed
    hashes, never the original text of a span.
    """

    text: str
    spans: list[Span]
    original_length: int
    model: dict[str, str] = field(default_factory=dict)
    policy_sha256: str = ""
    _hashes: list[str] = field(default_factory=list, repr=False)
    #: unexplained words left in the text for an editor to review: (start, end, reason),
    #: original offsets (see :mod:`redact.explain`)
    review: list[tuple[int, int, str]] = field(default_factory=list)
    #: links the planner made between a lone name and a full name (offsets and labels;
    #: see :class:`redact.plan.Link`), for an editor to check
    links: list[dict[str, Any]] = field(default_factory=list)
    #: where the statement itself writes a label ("Person A") that this redaction gives to
    #: someone else (``{start, end, label}``, original offsets): rename one before publishing
    label_clashes: list[dict[str, Any]] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, dict[str, int]]:
        c: dict[str, Counter[str]] = {}
        for s in self.spans:
            c.setdefault(s.entity, Counter())[s.action] += 1
        return {k: dict(v) for k, v in sorted(c.items())}

    def to_report(self) -> dict[str, Any]:
        """A JSON-ready report with no plaintext identifier in it."""
        spans = []
        for i, s in enumerate(self.spans):
            d = s.to_dict()
            if s.action == "mask":
                d["replacement"] = f"<mask of {len(s.replacement or '')}>"
            if i < len(self._hashes):
                d["hash"] = self._hashes[i]
            spans.append(d)
        return {"original_length": self.original_length, "redacted_length": len(self.text),
                "counts": self.counts, "spans": spans,
                "review": [{"start": a, "end": b, "reason": r} for a, b, r in self.review],
                "links": list(self.links), "label_clashes": list(self.label_clashes),
                "model": self.model, "policy_sha256": self.policy_sha256}

    @staticmethod
    def keyed_hash(key: bytes, surface: str) -> str:
        """HMAC-SHA256 of a normalised surface form, shortened: links spans, reveals nothing."""
        norm = " ".join(surface.casefold().split()).encode()
        return hmac.new(key, norm, hashlib.sha256).hexdigest()[:16]


def document_report(results: list[RedactionResult], kind: str) -> dict[str, Any]:
    """One report for a document's segments: counts summed, each segment's spans (offsets
    within its segment), the model and policy fingerprint. No plaintext."""
    parts = [r.to_report() for r in results]
    counts: dict[str, dict[str, int]] = {}
    for p in parts:
        for ent, acts in p["counts"].items():
            for act, n in acts.items():
                counts.setdefault(ent, {}).setdefault(act, 0)
                counts[ent][act] += n
    first = parts[0] if parts else {"model": {}, "policy_sha256": ""}
    return {"format": kind, "counts": counts, "model": first["model"],
            "policy_sha256": first["policy_sha256"],
            "review_words": sum(len(p["review"]) for p in parts),
            "label_clashes": sorted({c["label"] for p in parts for c in p["label_clashes"]}),
            "segments": parts}
