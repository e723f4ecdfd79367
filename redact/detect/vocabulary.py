"""Word lists shared by the recognizers, planning and the unexplained-word sweep.

One place for the words that say "a name follows" or "this word is part of how
a person is named": :mod:`redact.detect.rules` builds patterns from them,
:mod:`redact.plan` strips them from names and reads them around spans, and
:mod:`redact.explain` takes them as cues.
"""

from __future__ import annotations

__all__ = ["KINSHIP_WORDS", "NAME_TITLES", "RANKS"]

#: Titles and honorifics that precede a name (lower case, without the dot).
NAME_TITLES = frozenset("""
mr mrs ms miss mx dr prof sir madam madame mme mlle herr frau sr sra srta don dona
sheikh shaikh imam mullah haji hajji hajj ustaz ustad mufti qadi
""".split())

#: Kinship and relationship words after which a capitalised word is a name.
KINSHIP_WORDS = frozenset("""
uncle aunt auntie aunty cousin brother sister nephew niece son daughter husband wife
father mother dad mum mom grandfather grandmother grandpa grandma granddad granny
stepfather stepmother stepson stepdaughter brother-in-law sister-in-law father-in-law
mother-in-law son-in-law daughter-in-law fiance fiancee fiancé fiancée boyfriend girlfriend
partner friend neighbour neighbor colleague classmate roommate flatmate boss employer
lawyer driver interpreter boy girl kid child baby
""".split())

#: Ranks are also ordinary words ("a major city"): they count only when capitalised.
RANKS = frozenset("Commander Officer Sergeant Lieutenant Captain Major Colonel General "
                  "Inspector Investigator Warden Judge Prosecutor".split())
