"""The leak rule of :mod:`redact.evaluate`, the way an editor checks the output of a
testimony dataset: a protect string leaks if it still occurs anywhere in the redacted text
as a whole word, in any case; a keep string is lost if it is not in the output verbatim."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from redact.evaluate.datasets import Document, whole_word

__all__ = ["LeakCounts", "score_leaks"]


@dataclass
class LeakCounts:
    """The editor's check on testimony datasets (see the module doc): protect strings
    still in the output, keep strings lost, per kind."""

    strings: int = 0
    leaked: int = 0
    cases: int = 0
    leaked_cases: int = 0
    refused_cases: int = 0
    keep: int = 0
    keep_lost: int = 0
    by_kind: dict[str, list[int]] = field(default_factory=dict)  # kind -> [strings, leaked]

    def to_dict(self) -> dict[str, Any]:
        return {"protect_strings": self.strings, "leaked_strings": self.leaked,
                "cases": self.cases, "leaked_cases": self.leaked_cases,
                "refused_by_verification": self.refused_cases,
                "keep_strings": self.keep, "keep_lost": self.keep_lost,
                "by_kind": {k: {"strings": v[0], "leaked": v[1]}
                            for k, v in sorted(self.by_kind.items())}}


def score_leaks(docs: Sequence[Document], outputs: Sequence[str],
                refused: Sequence[bool] = (), *,
                errors: list[dict[str, Any]] | None = None) -> LeakCounts:
    """Apply the leak rule to ``outputs`` (the redacted texts of ``docs``).

    ``refused[i]`` says that verification refused document ``i`` (nothing would be
    written; its unverified output is scored all the same). ``errors``, if given,
    receives each leaked or lost string *with its text* (trusted machines only).
    """
    out = LeakCounts()
    for n, (doc, text) in enumerate(zip(docs, outputs, strict=True)):
        if not doc.protect and not doc.keep:
            continue
        out.cases += 1
        out.refused_cases += bool(refused[n]) if n < len(refused) else 0
        leaked_here = False
        for kind, value in dict.fromkeys(doc.protect):
            row = out.by_kind.setdefault(kind, [0, 0])
            row[0] += 1
            out.strings += 1
            if whole_word(value).search(text):
                row[1] += 1
                out.leaked += 1
                leaked_here = True
                if errors is not None:
                    errors.append({"doc": n, "id": doc.id, "kind": "leaked", "gold_type": kind,
                                   "text": value})
        out.leaked_cases += leaked_here
        for keep in dict.fromkeys(doc.keep):
            out.keep += 1
            if keep not in text:
                out.keep_lost += 1
                if errors is not None:
                    errors.append({"doc": n, "id": doc.id, "kind": "keep_lost",
                                   "gold_type": "KEEP", "text": keep})
    return out
