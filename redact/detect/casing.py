"""Which dictionary words English writes as names more often than as words.

"Tanner", "Mason", "Brad", "Lily", "Joker" are in the dictionary ("a tanner", "a
mason", "a brad", "a lily"), so a dictionary explains them; but in running text
they are people far more often than words. The evidence is how the word is
written: spaCy's lexeme statistics (the `spacy-lookups-data` package, MIT, from
the spaCy authors) give a case-sensitive probability for a million word forms
("Tanner" and "tanner" apart, counted over a large corpus of web comments) and a
Brown cluster for the 100,000 most frequent ones (words that occur in the same
contexts share a cluster: "Adam", "Jessica", "Lily" share one; "Hey", "Yeah",
"Luckily" another).

A lower-case word is a **name first** when

- its capitalised form is at least :data:`NAME_RATIO` times as frequent as its
  lower-case form. A plain word is capitalised mostly where it opens a sentence,
  about a tenth of its uses ("The"/"the" 0.09, "Summer"/"summer" 0.12); a
  capitalised form twice as frequent as the lower-case one is used as a name
  some twenty times as often as it opens a sentence;
- and the capitalised form's cluster is a *name cluster*, in which at least
  :data:`NAME_CLUSTER_SHARE` of the capitalised members are names that the name
  lists know and no dictionary does, or it has no cluster (a rare form). This
  sets aside the words that are capitalised because they open sentences
  ("Hey", "Luckily", "Meanwhile"), months ("March") and titles of things;
- and it is not a title, a kinship word, a chat spelling or a stop word (those
  explain themselves; so do languages and peoples, which :mod:`redact.explain`
  checks first).

A dictionary word's form without a cluster (too rare to have one) counts only if
the name lists know the word: without its contexts, the frequencies alone do not
tell a name from a word that mostly opens sentences. A word no dictionary knows
counts if it is too rare to have a cluster ("draymond"), if its cluster is one
of names, or if the first-name lists hold it ("stevie", whose cluster mixes names
with places); a brand in a cluster of companies ("Facebook", "Toyota") that only
the surname lists hold does not.

The list is derived once from the installed packages and cached with the other
word lists (:func:`redact.detect.gazetteer.gazetteer`). It only ever makes a word
*less* explained, so a statistics file that cannot be read raises: a missing
list would quietly explain "tanner" again.
"""

from __future__ import annotations

import gzip
import json
import math
from collections import Counter
from collections.abc import Callable, Collection, Iterator
from importlib import metadata, resources

__all__ = ["NAME_RATIO", "NAME_CLUSTER_SHARE", "SURNAME_RATIO", "RARE_IN_LOWER_CASE",
           "VERY_RARE_IN_LOWER_CASE",
           "name_first_words", "capitalised_often_words", "rare_in_lower_case_words",
           "statistics_version"]

#: How many times more frequent the capitalised form must be than the lower-case one.
NAME_RATIO = 2.0
#: Share of names (unknown to the dictionaries) that makes a Brown cluster a name cluster.
NAME_CLUSTER_SHARE = 0.4
#: A surname that is also a word ("Rice", "Swift", "Trump") is written capitalised at least
#: this share of the times it is written in lower case; a word that only opens sentences
#: ("Young" 0.10, "Long" 0.03, "Short" 0.06) is not.
SURNAME_RATIO = 0.3
#: A cluster with fewer capitalised members says nothing either way.
MIN_CLUSTER = 20


def statistics_version() -> str:
    """The installed `spacy-lookups-data` version (part of the word lists' cache key)."""
    try:
        return metadata.version("spacy-lookups-data")
    except metadata.PackageNotFoundError:
        return "missing"


def _table(name: str) -> dict[str, float]:
    """One of spaCy's English lexeme tables (a JSON object, gzip), read from the package.

    Raises if the package or the file is missing or damaged: never an empty table.
    """
    path = resources.files("spacy_lookups_data") / "data" / f"en_{name}.json.gz"
    with resources.as_file(path) as p, gzip.open(p, "rt", encoding="utf-8") as fh:
        table = json.load(fh)
    if not isinstance(table, dict) or len(table) < 100_000:
        raise ValueError(f"spaCy's en_{name} table is incomplete")
    return table


def _title_form(word: str) -> bool:
    return len(word) >= 2 and word.isalpha() and word[0].isupper() and word[1:].islower()


def name_first_words(is_word: Callable[[str], bool], names: Collection[str],
                     excluded: Collection[str], first_names: Collection[str] = (),
                     set_aside: Collection[str] = ()) -> list[str]:
    """The lower-case words that are names first (see the module doc), sorted.

    ``is_word``: the dictionary; ``names``:
    first names and surnames of the name lists; ``excluded``: titles, kinship and
    chat words and stop words, which stay explained whatever their case;
    ``first_names``: the first names of the name lists, which count whatever their
    cluster when no dictionary knows them ("stevie"), unless ``set_aside`` holds them
    (places, which have their own rules: "florida"; calendar words: "feb").
    """
    probs = _table("lexeme_prob")
    clusters = _table("lexeme_cluster")
    # Name clusters: most capitalised members are names that no dictionary knows.
    members: Counter[int] = Counter()
    named: Counter[int] = Counter()
    for form, cluster in clusters.items():
        if cluster and _title_form(form):
            low = form.lower()
            members[cluster] += 1
            if low in names and not is_word(low):
                named[cluster] += 1
    name_clusters = {c for c, n in members.items()
                     if n >= MIN_CLUSTER and named[c] >= NAME_CLUSTER_SHARE * n}
    out = []
    for form, low in _capitalised_at_least(probs, NAME_RATIO):
        if low in excluded:
            continue
        cluster = clusters.get(form) or 0
        if not is_word(low):
            # no dictionary knows it: a rare word written as a name ("draymond"), or a
            # frequent one in a cluster of names; not a brand ("Facebook", "Toyota": their
            # clusters are of companies, whatever the name lists hold)
            if cluster == 0 or cluster in name_clusters or \
                    low in first_names and low not in set_aside:
                out.append(low)
        elif cluster in name_clusters or cluster == 0 and low in names:
            out.append(low)
    return sorted(set(out))


def capitalised_often_words(names: Collection[str], excluded: Collection[str]) -> list[str]:
    """The lower-case name-list words written capitalised at least :data:`SURNAME_RATIO`
    times as often as in lower case ("rice", "swift", "trump", "holly"; not "young",
    "long", "short"), less ``excluded``; sorted. Right after a first name, such a word is a
    surname more likely than a word ("ray rice", "taylor swift")."""
    return sorted({low for _form, low in _capitalised_at_least(_table("lexeme_prob"),
                                                              SURNAME_RATIO)
                   if low in names and low not in excluded})


#: A name's lower-case form rarer than this (natural log of its probability: about one word
#: in 13,000 of the comments counted) is the name more often than a word where a verb of
#: speech follows ("precious called"); "man" (-7.7), "hope" (-8.2), "major" (-9.2) are not.
RARE_IN_LOWER_CASE = -9.5
#: Rarer still: a first name that, in lower case before a word no one knows, is the name
#: ("blessing", "precious", "sunny" -11.7 to -12.5); not "met" (-9.6), "mark" (-10.3),
#: "king" (-10.8).
VERY_RARE_IN_LOWER_CASE = -11.0


def rare_in_lower_case_words(names: Collection[str],
                             threshold: float = RARE_IN_LOWER_CASE) -> list[str]:
    """The lower-case ``names`` whose lower-case form is rarer than ``threshold`` (natural
    log of its probability; default :data:`RARE_IN_LOWER_CASE`), or never seen; sorted."""
    probs = _table("lexeme_prob")
    return sorted({n for n in names if probs.get(n, threshold - 1) < threshold})


def _capitalised_at_least(probs: dict[str, float], ratio: float) -> Iterator[tuple[str, str]]:
    """(capitalised form, lower-case form) of every word whose capitalised form is at least
    ``ratio`` times as frequent as its lower-case one (a form never seen in lower case
    counts as the rarest)."""
    oov = min(probs.values())
    margin = math.log(ratio)
    for form, logp in probs.items():
        if _title_form(form):
            low = form.lower()
            if logp - probs.get(low, oov) >= margin:
                yield form, low
