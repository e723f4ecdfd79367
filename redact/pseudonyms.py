"""Pseudonym labels that stay the same for the same person, whichever name variant appears.

A :class:`PseudonymIndex` maps normalised name forms to labels such as
``Person A``. It never needs to list real names: every lookup goes through
:meth:`PseudonymIndex.key`, which the in-memory index keeps as the normalised
form itself (for one run, never written anywhere) and the case-wide index
replaces by a keyed hash (see ``docs/pseudonyms.md``).

Full names and name parts are indexed separately: "Ruslan Ibragimov" is found
by its full form; a lone "Ruslan" attaches to the first person whose name has
that part, unless "Ruslan" is itself known as a full name.
"""

from __future__ import annotations

import contextlib
import functools
import re
import threading
import unicodedata
from collections.abc import Callable, Collection, Iterator, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from redact.plan_spans import Candidate

__all__ = ["PseudonymIndex", "normalize_form", "label_suffix", "labels_written"]


@functools.lru_cache(maxsize=1 << 16)
def normalize_form(text: str) -> str:
    """Case-, accent-width- and whitespace-insensitive form used as an index key.

    Remembered: planning asks for the same forms thousands of times per statement.
    """
    # Turkish "İ" case-folds to "i" and a combining dot: "ÖZDEMİR" is "Özdemir"
    t = unicodedata.normalize("NFKC", text).replace("’", "'").casefold().replace("i\u0307", "i")
    if t.endswith("'s"):
        t = t[:-2]
    return " ".join(t.split())


def label_suffix(n: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA, 27 -> AB ..."""
    s = ""
    n += 1
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


#: Label letters that read as a title or a rank after the prefix ("Person MX Address",
#: "Person DR Smith"): skipped, so that no label looks like a title before a name.
SKIPPED_SUFFIXES = frozenset({"MR", "MRS", "MS", "MX", "DR", "SR", "JR", "ST", "LT", "SGT",
                              "COL", "GEN", "CPT", "CAPT", "MAJ", "PROF", "REV", "HON"})


class PseudonymIndex:
    """Assigns labels; thread-safe; subclasses decide how forms are keyed and stored.

    The index holds three tables of keys -> labels (``full``: full forms, ``part``: name
    parts, ``solo``: one-word names of people known by nothing else) and
    one counter per label prefix. A persistent index (the case index,
    :class:`redact.case.CasePseudonymIndex`) overrides :meth:`key` and these
    hooks, which :meth:`label_for`, :meth:`lookup` and :meth:`_transaction` call
    with the index's lock held (they are no-ops here):

    * ``_begin()``: before the tables are read (take a file lock, read what
      other processes recorded, with :meth:`learn` and :meth:`learn_count`);
    * ``_new_label(prefix, n)``: the counter of ``prefix`` gave ``n``;
    * ``_record(kind, key, label)``: ``key`` was filed under ``label`` in table
      ``kind``;
    * ``_commit()``: after a call that succeeded (write what was recorded,
      release the file lock). After an exception it is not called: the
      subclass decides what an aborted call leaves.
    """

    def __init__(self) -> None:
        self._full: dict[str, str] = {}
        self._part: dict[str, str] = {}
        self._solo: dict[str, str] = {}  # one-word names of people known by nothing else
        self._counts: dict[str, int] = {}
        self._lock = threading.Lock()

    def key(self, entity: str, form: str) -> str:
        """The index key of a normalised form (overridden by keyed indexes)."""
        return f"{entity}\x00{form}"

    # ---- what a persistent index reads back (callers hold the lock, or own the index) ----

    def learn(self, kind: str, key: str, label: str) -> None:
        """File ``key`` under ``label`` in the table ``kind`` (``full``, ``solo``; any other
        kind is a ``part``), unless the key is known there already. Records nothing
        (no hook): for reading back what an index recorded. Takes no lock: call it
        from a hook (``_begin``) or on an index no other thread uses."""
        table = {"full": self._full, "solo": self._solo}.get(kind, self._part)
        table.setdefault(key, label)

    def learn_count(self, prefix: str, n: int) -> None:
        """The label ``n`` of ``prefix`` exists: the next new one is at least ``n + 1``.
        Takes no lock (see :meth:`learn`)."""
        self._counts[prefix] = max(self._counts.get(prefix, 0), n + 1)

    # ---- reading ---------------------------------------------------------------------------

    def filed(self, key: str) -> list[tuple[str, str]]:
        """``(kind, label)`` for each table that holds ``key``, in the order ``full``,
        ``solo``, ``part``."""
        with self._lock:
            return [(kind, table[key]) for kind, table in
                    (("full", self._full), ("solo", self._solo), ("part", self._part))
                    if key in table]

    def lookup(self, entity: str, name: str) -> str | None:
        """The label of ``name`` if the index knows it (as a full form, else as a part of
        a name); assigns nothing. A persistent index reads the latest state first."""
        with self._lock:
            self._begin()
            try:
                k = self.key(entity, normalize_form(name))
                return self._full.get(k) or self._part.get(k)
            finally:
                self._commit()

    def labels(self) -> list[str]:
        """Every label of the index, in allocation order."""
        seen: dict[str, None] = {}
        for label in list(self._full.values()) + list(self._part.values()):
            seen.setdefault(label, None)
        return list(seen)

    def label_for(self, entity: str, prefix: str, full_forms: Sequence[str],
                  part_forms: Sequence[str] = (), *, avoid: Collection[str] = ()) -> str:
        """The label of the referent named by ``full_forms`` (and, failing that, its parts).

        A new label (``f"{prefix} {letter}"``) is made when no form is known,
        skipping the labels in ``avoid`` (those the statement itself already
        uses for someone: its own "Person A" must not become a second person).
        All forms are then recorded for this label.
        """
        fulls = [self.key(entity, normalize_form(f)) for f in full_forms if f.strip()]
        parts = [self.key(entity, normalize_form(p)) for p in part_forms if p.strip()]
        with self._lock:
            self._begin()
            label = next((self._full[k] for k in fulls if k in self._full), None)
            if label is None and len(full_forms) == 1 and len(full_forms[0].split()) == 1:
                # A single word: it may be the first name or surname of someone known.
                label = next((self._part[k] for k in fulls if k in self._part), None)
            if label is None:
                # A full name whose part was known only on its own before ("Kvartirova",
                # then "Zvezdana Kvartirova"): the same person, as far as anyone can tell,
                # unless that person has a full name already ("Kheda Umarova" after "Kheda"
                # and "Kheda Bakaeva" is someone else).
                label = self._solo_label(parts)
            if label is None:
                n = self._counts.get(prefix, 0)
                while f"{prefix} {label_suffix(n)}" in avoid or \
                        label_suffix(n) in SKIPPED_SUFFIXES:
                    n += 1
                self._counts[prefix] = n + 1
                label = f"{prefix} {label_suffix(n)}"
                self._new_label(prefix, n)
            for k in fulls:
                if k not in self._full:
                    self._full[k] = label
                    self._record("full", k, label)
            if all(len(f.split()) == 1 for f in full_forms):
                for k in fulls:
                    if k not in self._solo:
                        self._solo[k] = label
                        self._record("solo", k, label)
            for k in parts:
                if k not in self._part:
                    self._part[k] = label
                    self._record("part", k, label)
            self._commit()
            return label

    def link_kind(self, entity: str, full_forms: Sequence[str],
                  part_forms: Sequence[str] = ()) -> str:
        """How :meth:`label_for` would find these forms' label now, for reports:
        ``full`` (a full form is known), ``part`` (a one-word name is a part of a known
        person's name), ``solo`` (a full name whose part is known on its own), or
        ``new``. Reads the index as this process last saw it; changes nothing."""
        fulls = [self.key(entity, normalize_form(f)) for f in full_forms if f.strip()]
        parts = [self.key(entity, normalize_form(p)) for p in part_forms if p.strip()]
        with self._lock:
            if any(k in self._full for k in fulls):
                return "full"
            if len(full_forms) == 1 and len(full_forms[0].split()) == 1 \
                    and any(k in self._part for k in fulls):
                return "part"
            if self._solo_label(parts) is not None:
                return "solo"
        return "new"

    def _solo_label(self, parts: Sequence[str]) -> str | None:
        """The label of a person known only by one of ``parts`` (keys), on its own."""
        named = None
        for k in parts:
            label = self._solo.get(k)
            if label is None:
                continue
            if named is None:  # labels that have a full name of several words
                named = set(self._part.values())
            if label not in named:
                return label
        return None

    def __len__(self) -> int:
        return sum(self._counts.values())

    def label_tables(self) -> tuple[dict[str, str], dict[str, str], dict[str, str],
                                    dict[str, int]]:
        """Copies of the label tables (keys and labels), for :meth:`seeded`.

        A case's index keys forms by HMAC, so its tables hold no names; the keys of
        an in-memory index are the forms themselves.
        """
        with self._lock:
            return dict(self._full), dict(self._part), dict(self._solo), dict(self._counts)

    @staticmethod
    def seeded(tables: tuple[dict[str, str], dict[str, str], dict[str, str], dict[str, int]],
               key: Callable[[str, str], str] | None = None) -> PseudonymIndex:
        """An in-memory index starting from ``tables`` (of :meth:`label_tables`), keyed
        by ``key`` (the source index's ``key``), for trial planning; it writes nowhere."""
        out = PseudonymIndex()
        out._full, out._part, out._solo, out._counts = (dict(t) for t in tables)  # type: ignore[assignment]
        if key is not None:
            out.key = key  # type: ignore[method-assign]
        return out

    # ---- hooks for persistent indexes (see the class docstring); no-ops in memory ----------

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[None]:
        """For subclasses: hold the lock, ``_begin()`` before the block and ``_commit()``
        after it (not after an exception)."""
        with self._lock:
            self._begin()
            yield
            self._commit()

    def _begin(self) -> None:
        pass

    def _new_label(self, prefix: str, n: int) -> None:
        pass

    def _record(self, kind: str, key: str, label: str) -> None:
        pass

    def _commit(self) -> None:
        pass


def labels_written(segments: Sequence[str], cands: Sequence[Sequence[Candidate]],
                   prefixes: set[str]) -> dict[str, list[tuple[int, int, int]]]:
    """Labels of these ``prefixes`` ("Person A") that the statement itself writes and that
    stay in the output (outside every span removed or replaced): label ->
    ``[(segment, start, end)]``."""
    out: dict[str, list[tuple[int, int, int]]] = {}
    if not prefixes:
        return out
    rx = re.compile(r"(?<!\w)(" + "|".join(re.escape(p) for p in sorted(prefixes, key=len,
                                                                        reverse=True))
                    + r")\s+([A-Z]{1,3})(?!\w)")
    for i, text in enumerate(segments):
        gone = [(c.start, c.end) for c in cands[i] if c.action != "keep"] \
            if i < len(cands) else []
        for m in rx.finditer(text):
            if not any(a < m.end() and m.start() < b for a, b in gone):
                out.setdefault(f"{m.group(1)} {m.group(2)}", []).append(
                    (i, m.start(), m.end()))
    return out
