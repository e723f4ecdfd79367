"""Labelled datasets for :mod:`redact.evaluate`: presidio-research JSON, JSONL with spans,
testimony JSONL (``protect`` and ``keep`` strings) and CoNLL, detected from the content."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from redact.errors import InputError

__all__ = ["GoldSpan", "Document", "Dataset", "DatasetError", "load_dataset", "whole_word",
           "TESTIMONY_KINDS", "CONLL_TYPES"]


@dataclass(frozen=True)
class GoldSpan:
    """A labelled identifier: character offsets in the document and its gold type."""

    start: int
    end: int
    entity: str


@dataclass(frozen=True)
class Document:
    """One labelled text; testimony datasets also carry ``protect`` and ``keep`` strings."""

    text: str
    spans: tuple[GoldSpan, ...]
    #: (kind, string) pairs that must not survive anywhere in the output
    protect: tuple[tuple[str, str], ...] = ()
    #: public names that must survive verbatim
    keep: tuple[str, ...] = ()
    id: str = ""


@dataclass(frozen=True)
class Dataset:
    """Labelled documents, with where they came from (``format``: presidio-research or jsonl)."""

    name: str
    format: str
    documents: tuple[Document, ...]

    @property
    def n_chars(self) -> int:
        return sum(len(d.text) for d in self.documents)

    def texts(self) -> list[str]:
        """The documents' texts, in order."""
        return [d.text for d in self.documents]

    def to_dict(self) -> dict[str, Any]:
        """Name, format and sizes (no text)."""
        types: dict[str, int] = {}
        for d in self.documents:
            for s in d.spans:
                types[s.entity] = types.get(s.entity, 0) + 1
        return {"name": self.name, "format": self.format, "documents": len(self.documents),
                "chars": self.n_chars, "gold_spans": dict(sorted(types.items()))}


class DatasetError(InputError):
    """A dataset file cannot be read; the message names the file and record, never its text."""

    default_todo = ("A dataset is a presidio-research JSON list or JSONL with "
                    "{\"text\", \"spans\": [{\"start\", \"end\", \"type\"}]} per line.")


def _record(rec: Any, where: str) -> tuple[Document, str]:
    """One document from a record of either shape; returns it and the shape's name."""
    if not isinstance(rec, Mapping):
        raise DatasetError(f"{where}: expected a JSON object")
    if "full_text" in rec:
        text, shape = rec["full_text"], "presidio-research"
    elif "text" in rec:
        text, shape = rec["text"], "jsonl"
    else:
        raise DatasetError(f"{where}: no 'text' or 'full_text' key")
    if not isinstance(text, str):
        raise DatasetError(f"{where}: the text is not a string")
    if "protect" in rec:
        return _testimony_record(rec, text, where), "testimony"
    spans = []
    for j, s in enumerate(rec.get("spans") or []):
        try:
            if "start_position" in s:
                start, end, etype = s["start_position"], s["end_position"], s["entity_type"]
            else:
                start, end = s["start"], s["end"]
                etype = s.get("type") or s.get("entity") or s.get("label") or s["entity_type"]
        except (KeyError, TypeError):
            raise DatasetError(f"{where}, span {j}: needs start/end/type or "
                               "start_position/end_position/entity_type") from None
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start <= end <= len(text)):
            raise DatasetError(f"{where}, span {j}: offsets outside the text")
        spans.append(GoldSpan(start, end, str(etype)))
    spans.sort(key=lambda s: (s.start, s.end))
    return Document(text=text, spans=tuple(spans)), shape


#: Kinds of ``testimonies-dev.jsonl`` -> redact entity types (for the typed figures).
TESTIMONY_KINDS: dict[str, str] = {
    "PERSON": "PERSON", "LOCATION": "LOCATION", "ADDRESS": "ADDRESS", "PHONE": "PHONE_NUMBER",
    "EMAIL": "EMAIL_ADDRESS", "HANDLE": "MESSAGING_HANDLE", "ID": "ID_NUMBER",
    "ORG": "ORGANIZATION", "DATE_OF_BIRTH": "DATE_OF_BIRTH"}

#: CoNLL (WNUT 2017) tags -> entity types.
CONLL_TYPES: dict[str, str] = {
    "person": "PERSON", "location": "LOCATION", "corporation": "ORGANIZATION",
    "group": "GROUP", "product": "PRODUCT", "creative-work": "CREATIVE_WORK",
    "per": "PERSON", "loc": "LOCATION", "org": "ORGANIZATION", "misc": "MISC"}


def whole_word(s: str) -> re.Pattern[str]:
    """The leak rule's regex: ``s`` as a whole word (no word character on either side),
    any case."""
    return re.compile(r"(?<!\w)" + re.escape(s) + r"(?!\w)", re.IGNORECASE)


def _testimony_record(rec: Mapping[str, Any], text: str, where: str) -> Document:
    protect: list[tuple[str, str]] = []
    for j, pair in enumerate(rec.get("protect") or []):
        if not (isinstance(pair, list | tuple) and len(pair) == 2
                and all(isinstance(x, str) for x in pair) and pair[1]):
            raise DatasetError(f"{where}, protect {j}: expected [KIND, string]")
        protect.append((pair[0], pair[1]))
    keep = rec.get("keep") or []
    if not all(isinstance(k, str) and k for k in keep):
        raise DatasetError(f"{where}: keep must be a list of strings")
    spans = {(m.start(), m.end(), TESTIMONY_KINDS.get(kind, kind))
             for kind, value in protect for m in whole_word(value).finditer(text)}
    return Document(text=text, spans=tuple(GoldSpan(*s) for s in sorted(spans)),
                    protect=tuple(protect), keep=tuple(keep), id=str(rec.get("id", "")))


def _conll_documents(raw: str, p: Path) -> list[Document]:
    docs: list[Document] = []
    tokens: list[tuple[str, str]] = []

    def flush() -> None:
        text, spans, pos = [], [], 0
        current: list[Any] | None = None
        for tok, tag in tokens:
            start = pos
            text.append(tok)
            pos += len(tok) + 1
            kind = tag[2:].lower() if tag[:2] in ("B-", "I-") else None
            if kind is not None and tag.startswith("I-") and current is not None \
                    and current[2] == kind:
                current[1] = start + len(tok)
                continue
            if current is not None:
                spans.append(current)
                current = None
            if kind is not None:
                current = [start, start + len(tok), kind]
        if current is not None:
            spans.append(current)
        docs.append(Document(" ".join(text), tuple(
            GoldSpan(a, b, CONLL_TYPES.get(k, k.upper().replace("-", "_"))) for a, b, k in spans)))
        tokens.clear()

    for n, line in enumerate(raw.splitlines(), 1):
        if not line.strip():
            if tokens:
                flush()
            continue
        tok, sep, tag = line.rstrip("\n").rpartition("\t")
        if not sep or not tok:
            raise DatasetError(f"{p}:{n}: expected TOKEN<TAB>TAG")
        tokens.append((tok, tag.strip()))
    if tokens:
        flush()
    return docs


def _looks_conll(raw: str) -> bool:
    for line in raw.splitlines()[:50]:
        if line.strip():
            return re.fullmatch(r"[^\t]+\t(?:O|[BI]-[\w\-]+)", line.rstrip()) is not None
    return False


def load_dataset(path: str | Path, *, limit: int | None = None) -> Dataset:
    """Load a labelled dataset (presidio-research JSON or JSONL; detected from the content).

    A file whose first non-blank character is ``[`` is read as one JSON list;
    otherwise each non-blank line is one JSON record. ``limit`` keeps the first
    ``limit`` documents. Raises :class:`DatasetError` for a malformed file.
    """
    p = Path(path)
    try:
        raw = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise DatasetError(f"{p}: cannot read ({exc.strerror or type(exc).__name__})") from None
    records: list[tuple[Any, str]]
    if _looks_conll(raw):
        conll = _conll_documents(raw, p)
        return Dataset(name=p.name, format="conll",
                       documents=tuple(conll[:limit] if limit is not None else conll))
    if raw.lstrip().startswith("["):
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise DatasetError(f"{p}: invalid JSON at line {exc.lineno}") from None
        records = [(r, f"{p}: record {i}") for i, r in enumerate(data)]
    else:
        records = []
        for n, line in enumerate(raw.splitlines(), 1):
            if not line.strip():
                continue
            try:
                records.append((json.loads(line), f"{p}:{n}"))
            except json.JSONDecodeError:
                raise DatasetError(f"{p}:{n}: invalid JSON line") from None
    if limit is not None:
        records = records[:limit]
    docs, shapes = [], set()
    for rec, where in records:
        doc, shape = _record(rec, where)
        docs.append(doc)
        shapes.add(shape)
    fmt = next(iter(shapes)) if len(shapes) == 1 else ("jsonl" if not shapes else "mixed")
    return Dataset(name=p.name, format=fmt, documents=tuple(docs))
