"""``redact review``: an editor reads and decides one statement in a local web page.

The library half: :class:`ReviewSession` holds the statement, the policy and the
editor's decisions (extra deny and allow entries, review words decided, an entity
type's action, a pseudonym's label); every change re-plans and re-verifies the
whole statement at once. :meth:`ReviewSession.for_case` reviews a statement of a
case: the case's policy and pseudonym labels, the decisions remembered from the
case's earlier reviews, and Publish stores the statement into the case as
``redact file --case`` does. The web app around a session is
:mod:`redact.review_app` (its names are re-exported here).

>>> session = ReviewSession("statement.txt", Policy.load())      # doctest: +SKIP
>>> session.deny("Sasha")                                         # doctest: +SKIP
>>> session.view()["review_left"]                                 # doctest: +SKIP
"""

from __future__ import annotations

import hashlib
import logging
import re
import threading
import time
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from redact.errors import CaseError, InputError, LeakError, OutputError
from redact.policy import AllowEntry, DenyEntry, Policy
from redact.pseudonyms import PseudonymIndex, normalize_form
from redact.review_app import COOKIE, CSP, HEADER, create_app, make_server, new_secret

if TYPE_CHECKING:
    from redact.case import Case, ReviewDecisions

__all__ = ["ReviewSession", "create_app", "make_server", "default_output", "new_secret",
           "COOKIE", "CSP", "HEADER", "ACTIONS"]

log = logging.getLogger("redact.review")

#: Longest word or phrase an editor may add (a name, not a paragraph).
MAX_TERM = 200
#: The actions an editor may give a whole entity type (keeping a type is not offered: keep
#: one public name with an allow entry instead).
ACTIONS = ("pseudonymize", "replace", "mask", "redact", "generalize")
#: Entity types that ``generalize`` can say less about (dates, times, ages).
_GENERALIZABLE = ("AGE", "DATE_TIME", "DATE_OF_BIRTH", "DATE")
#: A pseudonym label an editor may give: a letter first, then letters, digits, spaces,
#: ``.``, ``'`` or ``-``; 40 characters at most (as a policy's ``label``).
_LABEL_RE = re.compile(r"^[^\W\d_][\w .'-]{0,39}$")


def default_output(statement: str | Path) -> Path:
    """``NAME.redacted.EXT`` beside the input."""
    p = Path(statement)
    return p.with_name(f"{p.stem}.redacted{p.suffix or '.txt'}")


def _norm(s: str) -> str:
    return " ".join(s.casefold().split())


def _name_form(entity: str, surface: str) -> str:
    """The form the planner files a pseudonymized mention under (titles stripped)."""
    from redact.plan import strip_titles

    return normalize_form(strip_titles(surface) if entity == "PERSON" else surface)


@dataclass
class _Change:
    """One editor decision (what undo takes back)."""

    kind: str  # "deny" | "allow" | "review" | "action" | "label"
    text: str  # the term; for "action" the action; for "label" the new label
    entity: str = "PERSON"
    choice: str = ""  # for review: "keep" | "remove"; for label: the label it replaced
    forms: tuple[str, ...] = ()  # for label: the names filed under it
    stored: bool = False  # remembered in the case from an earlier review

    def key(self) -> tuple[Any, ...]:
        return (self.kind, self.text, self.entity, self.choice, self.forms)


class _RenamingIndex(PseudonymIndex):
    """An in-memory pseudonym index that gives the referents an editor renamed their new
    label: labels are assigned as usual (the others keep their letters), then a referent
    known by one of a renamed label's names gets the new one."""

    def __init__(self, renames: Sequence[_Change]) -> None:
        super().__init__()
        self._renames = [(c.entity, frozenset(c.forms), c.text) for c in renames]

    def label_for(self, entity: str, prefix: str, full_forms: Sequence[str],
                  part_forms: Sequence[str] = (), *, avoid: Collection[str] = ()) -> str:
        """See :meth:`PseudonymIndex.label_for`; the editor's label if renamed."""
        label = super().label_for(entity, prefix, full_forms, part_forms, avoid=avoid)
        forms = {normalize_form(f) for f in full_forms}
        for ent, renamed, new in reversed(self._renames):
            if ent == entity and forms & renamed:
                return new
        return label


@dataclass
class ReviewSession:
    """One statement under review: the file, the policy, the editor's decisions.

    ``output`` is where "Publish" writes (default ``NAME.redacted.EXT`` beside the
    input; never the input itself). With ``case`` (see :meth:`for_case`) Publish
    stores the statement into the case instead, as item ``item``.
    """

    statement: Path
    policy: Policy
    output: Path | None = None
    encoding: str | None = None
    overwrite: bool = False
    #: with it, Publish also writes the policy with the editor's decisions (for the next
    #: statement of a case kept without a case folder)
    policy_out: Path | None = None
    changes: list[_Change] = field(default_factory=list)
    published: Path | None = None
    #: an unlocked :class:`~redact.case.Case`: its labels, its remembered decisions; Publish
    #: stores into it
    case: Case | None = None
    item: str | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _cache: dict[str, Any] | None = field(default=None, repr=False)
    #: views already computed, by the decisions that made them (undo is instant)
    _seen: dict[tuple[Any, ...], tuple[dict[str, Any], bytes | None, dict[str, bytes]]] = field(
        default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        from redact.formats import read_document
        from redact.io import check_target, read_bytes, same_file

        self.statement = Path(self.statement)
        if self.case is not None:
            self._check_case()
        else:
            self.output = Path(self.output) if self.output else default_output(self.statement)
            check_target(self.output, overwrite=self.overwrite, inputs=[str(self.statement)])
        if self.policy_out is not None:
            if self.case is not None:
                raise OutputError("--save-policy writes names in the clear; a case keeps the "
                                  "editor's decisions sealed",
                                  "Leave out --save-policy: the case remembers the decisions.")
            self.policy_out = Path(self.policy_out)
            check_target(self.policy_out, overwrite=self.overwrite,
                         inputs=[str(self.statement)], option="--save-policy")
            if same_file(self.policy_out, self.output):
                raise OutputError("--save-policy and -o name the same file",
                                  "Give the policy its own file name.")
        self.raw = read_bytes(str(self.statement))
        self.doc = read_document(self.raw, self.statement.name, encoding=self.encoding)
        self._own_output = False
        self._output_bytes: bytes | None = None
        #: files written beside the output (a PDF's or image's redacted text, ``.txt``)
        self._companions: dict[str, bytes] = {}
        self._findings: list[tuple[str, int]] = []
        self._base: ReviewDecisions | None = None
        if self.case is not None:
            self._base = self.case.review_decisions()
            self.changes[:0] = ([_Change("deny", d.text, d.entity, stored=True)
                                 for d in self._base.deny]
                                + [_Change("allow", a.text, stored=True)
                                   for a in self._base.allow])

    @classmethod
    def for_case(cls, statement: str | Path, case: Case, *, encoding: str | None = None,
                 overwrite: bool = False) -> ReviewSession:
        """A review of ``statement`` for the unlocked ``case``: the case's policy and
        pseudonym labels, starting from the decisions remembered by the case's earlier
        reviews. The item name is the file name without its extension (as ``redact file
        --case``); an existing item is refused unless ``overwrite``."""
        return cls(Path(statement), case.policy, encoding=encoding, overwrite=overwrite,
                   case=case)

    def _check_case(self) -> None:
        from redact.case import item_of_statement
        from redact.case.layout import check_item

        assert self.case is not None
        self.item = item_of_statement(self.case, self.statement, overwrite=self.overwrite)
        check_item(self.item)
        self.suffix = self.statement.suffix or ".txt"
        self.output = self.case.path / "redacted" / f"{self.item}{self.suffix}"

    # ---- decisions ------------------------------------------------------------------------

    def _term(self, text: str) -> str:
        term = " ".join(str(text).split())
        if not term:
            raise InputError("the word or phrase is empty", "Type the word or phrase to change.")
        if len(term) > MAX_TERM:
            raise InputError(f"the phrase is longer than {MAX_TERM} characters",
                             "Give one name or phrase at a time.")
        return term

    def deny(self, text: str, entity: str = "PERSON") -> None:
        """Remove ``text`` everywhere (a deny entry: every mention, same pseudonym)."""
        entity = (entity or "PERSON").upper()
        DenyEntry(text="x", entity=entity)  # validates the type name
        self._add(_Change("deny", self._term(text), entity))

    def allow(self, text: str) -> None:
        """Keep ``text`` (an allow entry: a public name the policy removed)."""
        self._add(_Change("allow", self._term(text)))

    def decide_review(self, text: str, choice: str) -> None:
        """Decide a review word: ``keep`` it (allowed) or ``remove`` it (denied)."""
        if choice not in ("keep", "remove"):
            raise InputError("a review word is decided 'keep' or 'remove'",
                             "Choose keep or remove.")
        self._add(_Change("review", self._term(text), "PERSON", choice))

    def action_choices(self, entity: str) -> list[str]:
        """The actions :meth:`set_action` accepts for ``entity`` (see :data:`ACTIONS`):
        ``generalize`` only for dates, times, ages and types with coarser places."""
        rule = self.policy.rule(entity)
        return [a for a in ACTIONS if a != "generalize" or entity in _GENERALIZABLE
                or bool(rule.coarser)]

    def set_action(self, entity: str, action: str) -> None:
        """Show every ``entity`` span of this statement with ``action`` (pseudonym, type
        label, mask, marker, generalised): the policy's rule for that type, for this
        statement only."""
        entity = str(entity).strip().upper()
        DenyEntry(text="x", entity=entity)  # validates the type name
        if action not in self.action_choices(entity):
            raise InputError(f"{entity} cannot be shown with the action {action!r}",
                             "Choose one of: " + ", ".join(self.action_choices(entity)) + ".")
        self._add(_Change("action", action, entity))

    def rename(self, label: str, new: str) -> None:
        """Give the referent shown as pseudonym ``label`` the label ``new`` (all its
        mentions follow). Not in a case: its labels are case-wide."""
        if self.case is not None:
            raise InputError("pseudonym labels are shared by every statement of the case "
                             "and cannot be renamed here",
                             "Change the action instead, or review without --case.")
        new = " ".join(str(new).split())
        if not _LABEL_RE.match(new):
            raise InputError("a label starts with a letter and has at most 40 letters, "
                             "digits, spaces, '.', ''' or '-'", "Type a label such as Witness K.")
        spans = [p for seg in self.run()["segments"] for p in seg["original"]
                 if p["t"] == "span" and p["action"] == "pseudonymize"]
        mine = [p for p in spans if p["replacement"] == label]
        if not mine:
            raise InputError("no pseudonym has that label now", "Reload the page.")
        if any(_norm(p["replacement"]) == _norm(new) for p in spans if p not in mine):
            raise InputError("another name already has that label",
                             "Choose a label no one else has.")
        if any(_norm(p["source"]) == _norm(new) for p in spans):
            raise InputError("the label is a name in this statement",
                             "Choose a label that names no one.")
        forms = tuple(sorted({_name_form(p["entity"], p["source"]) for p in mine}))
        self._add(_Change("label", new, mine[0]["entity"], label, forms))

    def undo(self, index: int | None = None) -> bool:
        """Take back the last decision (or the decision at ``index``); False if there is
        none. A decision remembered from an earlier review of the case can be taken back
        too: Publish then drops it from the case."""
        with self._lock:
            if not self.changes:
                return False
            if index is None:
                self.changes.pop()
            elif 0 <= index < len(self.changes):
                del self.changes[index]
            else:
                return False
            self._cache = None
            return True

    def _add(self, change: _Change) -> None:
        with self._lock:
            self.changes.append(change)
            self._cache = None

    def _entries(self) -> tuple[list[AllowEntry], list[DenyEntry]]:
        allow: list[AllowEntry] = []
        deny: list[DenyEntry] = []
        for c in self.changes:
            if c.kind == "deny" or (c.kind == "review" and c.choice == "remove"):
                deny.append(DenyEntry(text=c.text, entity=c.entity))
            elif c.kind == "allow" or (c.kind == "review" and c.choice == "keep"):
                allow.append(AllowEntry(text=c.text))
        return allow, deny

    def effective_policy(self) -> Policy:
        """The policy with the editor's decisions: allow and deny entries added, and the
        actions the editor chose for entity types."""
        allow, deny = self._entries()
        policy = self.policy.extended(allow=allow, deny=deny, source="<editor>")
        actions = {c.entity: c.text for c in self.changes if c.kind == "action"}
        if actions:
            policy = policy.derived({"entities": {e: {"action": a}
                                                  for e, a in actions.items()}},
                                    name="<editor actions>", base_name="<editor>")
        return policy

    def decisions(self) -> ReviewDecisions:
        """The editor's allow and deny entries now (what a case remembers)."""
        from redact.case import ReviewDecisions

        allow, deny = self._entries()
        return ReviewDecisions(tuple(allow), tuple(deny))

    def policy_text(self) -> str:
        """The effective policy with the editor's decisions, as a self-contained YAML
        policy file (``redact file --policy`` reads it). It names people in the clear."""
        import yaml

        header = ("# Policy exported by redact review: " + " <- ".join(
            Path(s).name for s in self.policy.sources) + ", with the editor's decisions.\n"
                  "# It holds names in the clear: keep it where the originals are kept.\n")
        return header + yaml.safe_dump(self.effective_policy().to_dict(), sort_keys=False,
                                       allow_unicode=True)

    def kept_review_words(self) -> set[str]:
        """The words decided "keep" (and every allowed term): their review marks are done."""
        return {_norm(a.text) for a in self._entries()[0]}

    # ---- running --------------------------------------------------------------------------

    def _pseudonyms(self) -> PseudonymIndex:
        """The labels of a run: the case's (tentative for new names: nothing is written
        before Publish), or an in-memory index with the editor's renames."""
        if self.case is not None:
            return self.case.pseudonyms.preview()
        return _RenamingIndex([c for c in self.changes if c.kind == "label"])

    def run(self) -> dict[str, Any]:
        """Re-plan and re-verify with the current decisions; the view (see :meth:`view`)."""
        from redact.formats import redact_document
        from redact.redactor import Redactor

        with self._lock:
            if self._cache is not None:
                return self._cache
            key = tuple(c.key() for c in self.changes)
            if key in self._seen:
                view, self._output_bytes, self._companions = self._seen[key]
                self._cache = {**view, "changes": self._changes_view(),
                               "published": str(self.published) if self.published
                               else None, "seconds": 0.0}
                return self._cache
            t0 = time.perf_counter()
            redactor = Redactor(self.effective_policy(), pseudonyms=self._pseudonyms())
            verified, problem = True, ""
            output: bytes | None = None
            companions: dict[str, bytes] = {}
            try:
                output, results, doc = redact_document(redactor, self.raw, self.statement.name,
                                                       encoding=self.encoding)
                companions = doc.companions()
            except LeakError as exc:
                verified, problem = False, exc.what
                self._findings = list(exc.findings)
                results = redactor.redact_segments(self.doc.segments, verify=False)
            self._output_bytes, self._companions = output, companions
            view = self._view(results, verified, problem)
            view["seconds"] = round(time.perf_counter() - t0, 3)
            if len(self._seen) >= 64:
                self._seen.pop(next(iter(self._seen)))
            self._seen[key] = (view, output, companions)
            self._cache = view
            return view

    view = run

    def _changes_view(self) -> list[dict[str, Any]]:
        return [{"kind": c.kind, "text": c.text, "entity": c.entity, "choice": c.choice,
                 "stored": c.stored} for c in self.changes]

    def _view(self, results: list[Any], verified: bool, problem: str) -> dict[str, Any]:
        kept = self.kept_review_words()
        segments = []
        review_left = review_total = 0
        for seg, res in zip(self.doc.segments, results, strict=True):
            marks = []
            for a, b, reason in res.review:
                decided = _norm(seg[a:b]) in kept
                review_total += 1
                review_left += not decided
                marks.append({"start": a, "end": b, "reason": reason, "decided": decided})
            segments.append({"original": _pieces(seg, res.spans, marks, redacted=False),
                             "redacted": _pieces(seg, res.spans, marks, redacted=True)})
        counts: dict[str, int] = {}
        entities: dict[str, str] = {}
        labels: dict[str, str] = {}
        for res in results:
            for s in res.spans:
                counts[s.action] = counts.get(s.action, 0) + 1
                entities.setdefault(s.entity, s.action)
                if s.action == "pseudonymize" and s.replacement:
                    labels.setdefault(s.replacement, s.entity)
        return {
            "name": self.statement.name, "kind": self.doc.kind,
            "output": str(self.output), "verified": verified, "problem": problem,
            "review_left": review_left, "review_total": review_total, "counts": counts,
            "changes": self._changes_view(),
            "entities": [{"entity": e, "action": a, "choices": self.action_choices(e)}
                         for e, a in sorted(entities.items())],
            "labels": [{"label": lab, "entity": e} for lab, e in labels.items()],
            "can_rename": self.case is None,
            "case": str(self.case.path) if self.case is not None else None,
            "item": self.item,
            "can_publish": verified and review_left == 0,
            "published": str(self.published) if self.published else None,
            "policy_out": str(self.policy_out) if self.policy_out else None,
            "segments": segments,
        }

    def publish(self) -> Path:
        """Write the redacted file (with a case: store the statement and seal its original
        into the case, and remember the decisions); only when verified and every review
        word is decided."""
        from redact.io import check_target, write_output

        view = self.run()
        if not view["verified"]:
            raise LeakError(self._findings, "Nothing was written. Remove the word the check found "
                                "(add it as a word to remove), then publish again.")
        if view["review_left"]:
            raise OutputError(f"{view['review_left']} review mark(s) are not decided yet",
                              "Decide every marked word (keep or remove), then publish.")
        assert self.output is not None and self._output_bytes is not None
        if self.case is not None:
            self._publish_into_case()
        else:
            for suffix in ("", *self._companions):
                check_target(str(self.output) + suffix,
                             overwrite=self.overwrite or self._own_output,
                             inputs=[str(self.statement)])
            write_output(str(self.output), self._output_bytes,
                         overwrite=self.overwrite or self._own_output)
            for suffix, extra in self._companions.items():  # as `redact file` writes them
                write_output(str(self.output) + suffix, extra,
                             overwrite=self.overwrite or self._own_output)
            if self.policy_out is not None:
                write_output(str(self.policy_out), self.policy_text(),
                             overwrite=self.overwrite or self._own_output)
        self._own_output = True
        self.published = self.output
        if self._cache is not None:
            self._cache["published"] = str(self.output)
        log.info("published %s", self.output.name)
        return self.output

    def _publish_into_case(self) -> None:
        """Store into the case as ``redact file --case`` does: redact again with the case's
        own pseudonym index (the labels are now written), seal the original, store the
        redacted file and its report, sign a one-item manifest; then remember the
        decisions. A leak found now stores nothing."""
        from redact.formats import redact_document
        from redact.manifest import utc_now, write_item_manifest
        from redact.redactor import Redactor
        from redact.result import document_report

        case = self.case
        assert case is not None and self.item is not None
        started = utc_now()
        redactor = Redactor(self.effective_policy(), pseudonyms=case.pseudonyms,
                            report_key=case.report_key())
        with case:
            out, results, doc = redact_document(redactor, self.raw, self.statement.name,
                                                 encoding=self.encoding)
            report = document_report(results, doc.kind)
            # the report's policy is the case's with the editor's decisions: say so (counts
            # and types only, never a name)
            allow, deny = self._entries()
            report["reviewed"] = {
                "case_policy_sha256": case.policy_sha256, "allow": len(allow),
                "deny": len(deny), "actions": {c.entity: c.text for c in self.changes
                                               if c.kind == "action"}}
            paths = case.add_statement(self.item, self.raw, out, report,
                                       overwrite=self.overwrite or self._own_output,
                                       suffix=self.suffix, companions=doc.companions())
            write_item_manifest(case, self.item, paths, source=self.statement.name,
                                report=report, started=started,
                                input_sha256=hashlib.sha256(self.raw).hexdigest(),
                                chars=sum(len(s) for s in doc.segments))
        decisions = self.decisions()
        try:
            case.save_review_decisions(decisions, base=self._base)
        except CaseError as exc:
            raise CaseError(f"the statement was stored, but the decisions were not "
                            f"remembered: {exc.what}", exc.todo) from None
        view = {**self._view(results, True, ""), "seconds": 0.0}
        with self._lock:
            self._base = decisions
            # the case's labels are written now: the view shows what was stored
            self._output_bytes = out
            self._seen.clear()
            self._cache = view


def _pieces(seg: str, spans: list[Any], marks: list[dict[str, Any]],
            *, redacted: bool) -> list[dict[str, Any]]:
    """The segment as a list of pieces: plain text, a decision, or a review mark."""
    events: list[tuple[int, int, dict[str, Any]]] = []
    for s in spans:
        events.append((s.start, s.end, {
            "t": "span", "entity": s.entity, "action": s.action, "rule": s.rule,
            "score": round(float(s.score), 2), "source": seg[s.start:s.end],
            "replacement": s.replacement}))
    for m in marks:
        events.append((m["start"], m["end"], {"t": "review", "reason": m["reason"],
                                              "decided": m["decided"]}))
    out: list[dict[str, Any]] = []
    at = 0
    for a, b, info in sorted(events, key=lambda e: (e[0], -e[1])):
        if a < at:  # nested in a piece already shown
            continue
        if a > at:
            out.append({"t": "text", "text": seg[at:a]})
        piece = dict(info)
        original = seg[a:b]
        if redacted and info["t"] == "span" and info["action"] != "keep":
            piece["text"] = info["replacement"] or ""
        else:
            piece["text"] = original
        out.append(piece)
        at = b
    if at < len(seg):
        out.append({"t": "text", "text": seg[at:]})
    return out
