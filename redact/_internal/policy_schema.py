"""The schema of a policy file: pydantic models, strict (unknown keys are errors) and frozen.

Private to :mod:`redact.policy`, which re-exports the public models (``EntityRule``,
``AllowEntry``, ``DenyEntry``, ``PatternSpec``, ``RecognizerSpec``, ``VerifySettings``,
``UnexplainedSettings``) and documents the keys (``docs/policy.md``).
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

__all__ = ["Action", "UnexplainedAction", "ENTITY_NAME", "EntityRule", "AllowEntry",
           "DenyEntry", "PatternSpec", "RecognizerSpec", "VerifySettings",
           "UnexplainedSettings", "PolicyFile"]

Action = Literal["redact", "mask", "replace", "pseudonymize", "generalize", "keep"]

#: An entity type's name: upper case letters, digits and underscores (PERSON, ID_NUMBER).
ENTITY_NAME = re.compile(r"^[A-Z][A-Z0-9_]*$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class EntityRule(_Strict):
    """What happens to one entity type.

    ``action``: ``redact`` (replace with a marker), ``mask`` (character mask),
    ``replace`` (a type label such as ``[PERSON]``), ``pseudonymize`` (a stable
    label such as ``Person A``), or ``keep``. ``threshold``: detections scoring
    below it are ignored. ``label``: the word used by ``replace`` and
    ``pseudonymize`` (default: derived from the entity type). ``generalize`` says
    less instead of nothing (see :mod:`redact.generalize`): dates to ``granularity``
    (month or year), ages to ``age_band``-year bands, times to a part of the day,
    places to the ``coarser`` place given for them. ``keep_large_places``
    (LOCATION only): keep countries, continents, national capitals (100,000+) and
    cities with at least ``large_place_population`` inhabitants. ``keep_public_bodies``
    (ORGANIZATION only): keep courts, ministries, commissions and forces of a state or
    of the international community ("the Supreme Court of Ghana"; see
    :mod:`redact.detect.bodies`).
    """

    action: Action | None = None
    threshold: float | None = Field(default=None, ge=0.0, le=1.0)
    label: str | None = Field(default=None, min_length=1, max_length=40)
    mask_char: str | None = Field(default=None, min_length=1, max_length=1)
    keep_large_places: bool | None = None
    keep_public_bodies: bool | None = None
    granularity: Literal["month", "year"] | None = None
    age_band: int | None = Field(default=None, ge=2, le=50)
    coarser: dict[str, str] | None = None
    large_place_population: int | None = Field(default=None, ge=0)

    def merged(self, child: EntityRule) -> EntityRule:
        """This rule with every field the child sets overriding it."""
        data = self.model_dump()
        data.update(child.model_dump(exclude_none=True))
        return EntityRule(**data)


class AllowEntry(_Strict):
    """A public name to keep (an official, a public body), with its variants."""

    text: str = Field(min_length=1)
    variants: list[str] = Field(default_factory=list)
    entity: str | None = None

    def forms(self) -> list[str]:
        return [self.text, *self.variants]


class DenyEntry(_Strict):
    """A term that is always redacted as ``entity`` (a known name, nickname, village)."""

    text: str = Field(min_length=1)
    entity: str = "PERSON"
    variants: list[str] = Field(default_factory=list)

    @field_validator("entity")
    @classmethod
    def _entity_name(cls, v: str) -> str:
        if not ENTITY_NAME.match(v):
            raise ValueError("entity types are upper case, e.g. PERSON, LOCATION")
        return v

    def forms(self) -> list[str]:
        return [self.text, *self.variants]


class PatternSpec(_Strict):
    """One regular expression of a custom recognizer, with its base score."""

    regex: str
    score: float = Field(default=0.6, ge=0.0, le=1.0)
    name: str | None = None

    @field_validator("regex")
    @classmethod
    def _compiles(cls, v: str) -> str:
        try:
            re.compile(v)
        except re.error as exc:
            raise ValueError(f"invalid regular expression ({exc})") from None
        return v


class RecognizerSpec(_Strict):
    """A custom recognizer: regex patterns (with context words) or a word list."""

    name: str = Field(min_length=1)
    entity: str
    patterns: list[PatternSpec] = Field(default_factory=list)
    words: list[str] = Field(default_factory=list)
    score: float = Field(default=0.8, ge=0.0, le=1.0)
    context: list[str] = Field(default_factory=list)
    case_sensitive: bool = False

    @field_validator("entity")
    @classmethod
    def _entity_name(cls, v: str) -> str:
        if not ENTITY_NAME.match(v):
            raise ValueError("entity types are upper case, e.g. PERSON, ID_NUMBER")
        return v

    @model_validator(mode="after")
    def _has_something(self) -> RecognizerSpec:
        if not self.patterns and not self.words:
            raise ValueError("a recognizer needs `patterns` or `words`")
        return self


class VerifySettings(_Strict):
    """How the redacted output is checked before anything is written.

    ``surface_forms``: no planned surface form may survive. ``patterns``: the
    pattern recognizers run again over the output. ``deep``: a second full
    analysis (NER included) of the output.
    """

    surface_forms: bool | None = None
    patterns: bool | None = None
    deep: bool | None = None

    def merged(self, child: VerifySettings) -> VerifySettings:
        data = self.model_dump()
        data.update(child.model_dump(exclude_none=True))
        return VerifySettings(**data)


UnexplainedAction = Literal["remove", "review", "keep"]


class UnexplainedSettings(_Strict):
    """What happens to words nothing explains (see :mod:`redact.explain`).

    ``name_like``: unexplained words in name-like positions (capitalised inside a
    sentence, inside a handle, codes, initials, speaker labels, next to a name
    or place cue in lower-case text). ``other``: the rest. Each is ``remove``
    (replaced like any removed span), ``review`` (kept, and listed in the report
    for an editor) or ``keep``. In a policy file a single word sets both.
    """

    name_like: UnexplainedAction | None = None
    other: UnexplainedAction | None = None

    def merged(self, child: UnexplainedSettings) -> UnexplainedSettings:
        data = self.model_dump()
        data.update(child.model_dump(exclude_none=True))
        return UnexplainedSettings(**data)

    def action(self, name_like: bool) -> UnexplainedAction:
        """The action for a name-like (or other) unexplained word."""
        got = self.name_like if name_like else self.other
        assert got is not None
        return got


class PolicyFile(_Strict):
    """The schema of one policy file, before ``extends`` is resolved."""

    extends: str | None = None
    language: str | None = None
    model: str | None = None
    entities: dict[str, EntityRule] = Field(default_factory=dict)
    allow: list[AllowEntry | Annotated[str, Field(min_length=1)]] = Field(
        default_factory=list)
    deny: list[DenyEntry] = Field(default_factory=list)
    recognizers: list[RecognizerSpec] = Field(default_factory=list)
    verify: VerifySettings = Field(default_factory=VerifySettings)
    unexplained: UnexplainedSettings | UnexplainedAction | None = None

    @field_validator("entities")
    @classmethod
    def _entity_keys(cls, v: dict[str, EntityRule]) -> dict[str, EntityRule]:
        for key in v:
            if not ENTITY_NAME.match(key):
                raise ValueError(f"entity type '{key}' must be upper case, e.g. PERSON")
        return v

    @field_validator("language")
    @classmethod
    def _language(cls, v: str | None) -> str | None:
        if v is not None and v != "en":
            raise ValueError("only 'en' is supported in this version")
        return v
