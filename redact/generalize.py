"""Generalization: say less instead of saying nothing.

A witness is often identified by a combination ("a 34-year-old teacher from
Shali detained on 3 March"). With ``action: generalize`` a policy keeps the
story readable while removing the precision that identifies:

- dates -> month and year, or year (``granularity: month | year``);
- ages -> ten-year bands ("34 years old" -> "in their 30s", "a 34-year-old
  teacher" -> "a 30-something teacher"; ``age_band``);
- clock times -> part of day ("at 7:30" -> "in the morning");
- places -> a coarser place from the policy's ``coarser`` map
  ("Shali" -> "Chechnya").

When a value cannot be generalized (an unparseable date, a place missing from
the map) the entity's type label is used instead, so nothing precise is left.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from redact.pseudonyms import normalize_form

__all__ = ["generalize", "generalize_date", "generalize_age", "generalize_time"]

_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"]
_MONTH_RX = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_YEAR = r"((?:1[89]|20)\d\d)"


def _month_index(word: str) -> int:
    return [m[:3].lower() for m in _MONTHS].index(word[:3].lower())


def generalize_date(text: str, granularity: str = "month") -> str | None:
    """"3 March 2019" -> "March 2019" (or "2019"); None if no year can be read."""
    t = " ".join(text.split())
    m = re.search(rf"\b(?:\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?)?{_MONTH_RX},?\s+"
                  rf"(?:\d{{1,2}}(?:st|nd|rd|th)?,?\s+)?{_YEAR}\b", t, re.I)
    month: int | None = None
    year: str | None = None
    if m:
        month, year = _month_index(m.group(1)), m.group(2)
    else:
        m = re.search(rf"\b{_YEAR}[-/.](\d{{1,2}})[-/.]\d{{1,2}}\b", t)
        if m:
            year, month = m.group(1), int(m.group(2)) - 1
        else:
            m = re.search(rf"\b(\d{{1,2}})[-/.](\d{{1,2}})[-/.]{_YEAR}\b", t)
            if m:
                a, b = int(m.group(1)), int(m.group(2))
                year = m.group(3)
                # Day-first unless impossible; the month is dropped when ambiguous.
                month = (b - 1) if a > 12 else ((a - 1) if b > 12 else None)
            else:
                m = re.search(rf"\b{_YEAR}\b", t)
                year = m.group(1) if m else None
    if year is None:
        return None
    if granularity == "year" or month is None or not 0 <= month < 12:
        return year
    return f"{_MONTHS[month]} {year}"


def generalize_age(text: str, band: int = 10) -> str | None:
    """"34 years old" -> "in their 30s"; "aged 9" -> "a child"; None without a number."""
    m = re.search(r"\d{1,3}", text)
    if not m:
        return None
    age = int(m.group(0))
    low = age // band * band
    if re.search(r"\d\s*-\s*years?\s*-\s*old", text, re.I):
        # attributive: "a 34-year-old teacher" -> "a 30-something teacher"
        if age < 13:
            return "young"
        if age < 20:
            return "teenage"
        return f"{low}-something" if band == 10 else f"{low}-to-{low + band - 1}-year-old"
    if age < 13:
        return "a child"
    if age < 20:
        return "a teenager"
    return f"in their {low}s" if band == 10 else f"aged {low}-{low + band - 1}"


def generalize_time(text: str) -> str | None:
    """"7:30" -> "in the morning"; None if no hour can be read."""
    m = re.search(r"(\d{1,2})(?:[:.](\d{2}))?\s*([ap])?\.?m?\.?", text, re.I)
    if not m:
        return None
    hour = int(m.group(1))
    if m.group(3):
        hour = hour % 12 + (12 if m.group(3).lower() == "p" else 0)
    if hour > 23:
        return None
    if 5 <= hour < 12:
        return "in the morning"
    if 12 <= hour < 17:
        return "in the afternoon"
    if 17 <= hour < 21:
        return "in the evening"
    return "at night"


_TIME_ONLY = re.compile(r"^\s*(?:at\s+)?(?:\d{1,2}[:.]\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?|"
                        r"\d{1,2}\s*[ap]\.?m\.?)\s*$", re.I)


def generalize(entity: str, text: str, *, granularity: str = "month", age_band: int = 10,
               coarser: Mapping[str, str] | None = None) -> str | None:
    """The generalized form of ``text`` (an ``entity`` span), or None if there is none."""
    if entity == "AGE":
        return generalize_age(text, age_band)
    if entity in ("DATE_TIME", "DATE_OF_BIRTH", "DATE"):
        if _TIME_ONLY.match(text):
            return generalize_time(text)
        return generalize_date(text, granularity)
    if coarser:
        table = {normalize_form(k): v for k, v in coarser.items()}
        return table.get(normalize_form(text))
    return None
