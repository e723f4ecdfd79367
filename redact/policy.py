"""Policy files: what is detected, and what happens to each kind of identifier.

A policy is a YAML file validated with pydantic (unknown keys are errors). It
may extend another policy (``extends: testimony.yaml``): the child's entity
settings override the parent's field by field, and its ``allow``, ``deny`` and
``recognizers`` lists are appended to the parent's. See ``docs/policy.md``.

Top-level keys: ``extends``, ``language``, ``model``, ``entities``, ``allow``,
``deny``, ``recognizers``, ``verify``, ``unexplained``.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from redact.errors import PolicyError

__all__ = [
    "Action",
    "EntityRule",
    "AllowEntry",
    "DenyEntry",
    "RecognizerSpec",
    "PatternSpec",
    "VerifySettings",
    "UnexplainedSettings",
    "Policy",
    "shipped_policy_dir",
    "DEFAULT_POLICY",
]

Action = Literal["redact", "mask", "replace", "pseudonymize", "generalize", "keep"]
DEFAULT_POLICY = "testimony.yaml"

#: Words people put in front of a name; stripped when names are compared.
_ENTITY_NAME = re.compile(r"^[A-Z][A-Z0-9_]*$")


def shipped_policy_dir() -> Path:
    """The folder holding the policies shipped with redact (``testimony.yaml``, ``strict.yaml``)."""
    return Path(__file__).resolve().parent / "policies"


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
    (LOCATION only): keep countries, continents and cities with at least
    ``large_place_population`` inhabitants.
    """

    action: Action | None = None
    threshold: float | None = Field(default=None, ge=0.0, le=1.0)
    label: str | None = Field(default=None, min_length=1, max_length=40)
    mask_char: str | None = Field(default=None, min_length=1, max_length=1)
    keep_large_places: bool | None = None
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
        if not _ENTITY_NAME.match(v):
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
        if not _ENTITY_NAME.match(v):
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


class _PolicyFile(_Strict):
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
            if not _ENTITY_NAME.match(key):
                raise ValueError(f"entity type '{key}' must be upper case, e.g. PERSON")
        return v

    @field_validator("language")
    @classmethod
    def _language(cls, v: str | None) -> str | None:
        if v is not None and v != "en":
            raise ValueError("only 'en' is supported in this version")
        return v


_BASE_DEFAULT = EntityRule(action="redact", threshold=0.5, mask_char="*",
                           keep_large_places=False, large_place_population=1_000_000,
                           granularity="month", age_band=10)
_BASE_VERIFY = VerifySettings(surface_forms=True, patterns=True, deep=False)
_BASE_UNEXPLAINED = UnexplainedSettings(name_like="remove", other="review")


class Policy:
    """An effective policy: a policy file with ``extends`` resolved and defaults filled in.

    Load one with :meth:`Policy.load` (a path, or the name of a shipped policy
    such as ``"testimony.yaml"``) or build one from a dict with
    :meth:`Policy.from_dict`. Policies are immutable.
    """

    def __init__(self, *, language: str, model: str | None, entities: dict[str, EntityRule],
                 allow: list[AllowEntry], deny: list[DenyEntry],
                 recognizers: list[RecognizerSpec], verify: VerifySettings,
                 sources: list[str],
                 unexplained: UnexplainedSettings = _BASE_UNEXPLAINED) -> None:
        self.language = language
        self.model = model
        self.entities = dict(entities)
        self.allow = list(allow)
        self.deny = list(deny)
        self.recognizers = list(recognizers)
        self.verify = verify
        self.unexplained = unexplained
        self.sources = list(sources)
        self._sha256: str | None = None

    # ---- loading -------------------------------------------------------------------

    @classmethod
    def load(cls, path: str | Path | None = None) -> Policy:
        """Load a policy file, resolving ``extends``.

        ``path`` may be a file path or the bare name of a shipped policy
        (``"testimony.yaml"``, ``"strict.yaml"``); ``None`` loads the default
        ``testimony.yaml``. Raises :class:`redact.errors.PolicyError` naming the
        file, key path and line of any problem.
        """
        resolved = _resolve_path(DEFAULT_POLICY if path is None else str(path), None)
        files = _load_chain(resolved, seen=[])
        return cls._from_files(files)

    @classmethod
    def from_dict(cls, data: dict[str, Any], *, base_dir: str | Path | None = None,
                  name: str = "<dict>") -> Policy:
        """Build a policy from already-parsed data (``extends`` resolves against ``base_dir``)."""
        pf = _validate(data, name, None)
        chain: list[tuple[str, _PolicyFile]] = []
        if pf.extends:
            parent = _resolve_path(pf.extends, Path(base_dir) if base_dir else None)
            chain = _load_chain(parent, seen=[])
        chain.append((name, pf))
        return cls._from_files(chain)

    @classmethod
    def _from_files(cls, files: list[tuple[str, _PolicyFile]]) -> Policy:
        language, model = "en", None
        entities: dict[str, EntityRule] = {"DEFAULT": _BASE_DEFAULT}
        allow: list[AllowEntry] = []
        deny: list[DenyEntry] = []
        recognizers: list[RecognizerSpec] = []
        verify = _BASE_VERIFY
        unexplained = _BASE_UNEXPLAINED
        for _name, pf in files:
            language = pf.language or language
            model = pf.model if pf.model is not None else model
            for etype, rule in pf.entities.items():
                entities[etype] = entities[etype].merged(rule) if etype in entities else rule
            allow += [AllowEntry(text=a) if isinstance(a, str) else a for a in pf.allow]
            deny += pf.deny
            recognizers += pf.recognizers
            verify = verify.merged(pf.verify)
            if pf.unexplained is not None:
                u = pf.unexplained
                unexplained = unexplained.merged(
                    UnexplainedSettings(name_like=u, other=u) if isinstance(u, str) else u)
        # Fill each entity's unset fields from DEFAULT, so every rule is complete.
        default = entities["DEFAULT"]
        full = {k: default.merged(v) if k != "DEFAULT" else v for k, v in entities.items()}
        names = [r.name for r in recognizers]
        dup = {n for n in names if names.count(n) > 1}
        if dup:
            raise PolicyError(f"recognizer name(s) used twice: {', '.join(sorted(dup))}",
                              path=files[-1][0], key="recognizers")
        return cls(language=language, model=model, entities=full, allow=allow, deny=deny,
                   recognizers=recognizers, verify=verify, sources=[n for n, _ in files],
                   unexplained=unexplained)

    def extended(self, *, allow: Iterable[AllowEntry | str] = (),
                 deny: Iterable[DenyEntry] = (), source: str = "<added>") -> Policy:
        """This policy with more ``allow`` and ``deny`` entries (a case's or an editor's
        decisions, an evaluation's public names); everything else unchanged."""
        extra_allow = [AllowEntry(text=a) if isinstance(a, str) else a for a in allow]
        extra_deny = list(deny)
        if not extra_allow and not extra_deny:
            return self
        return Policy(language=self.language, model=self.model, entities=self.entities,
                      allow=self.allow + extra_allow, deny=self.deny + extra_deny,
                      recognizers=self.recognizers, verify=self.verify,
                      sources=[*self.sources, source], unexplained=self.unexplained)

    # ---- queries -------------------------------------------------------------------

    def rule(self, entity: str) -> EntityRule:
        """The complete rule for ``entity`` (the ``DEFAULT`` rule if none is set)."""
        return self.entities.get(entity, self.entities["DEFAULT"])

    def action(self, entity: str) -> Action:
        action = self.rule(entity).action
        assert action is not None
        return action

    def threshold(self, entity: str) -> float:
        thr = self.rule(entity).threshold
        assert thr is not None
        return thr

    def to_dict(self) -> dict[str, Any]:
        """The effective policy, defaults filled in, as `redact policy show` prints it."""
        return {
            "language": self.language,
            "model": self.model,
            "entities": {k: v.model_dump() for k, v in sorted(self.entities.items())},
            "allow": [a.model_dump(exclude_none=True) for a in self.allow],
            "deny": [d.model_dump() for d in self.deny],
            "recognizers": [r.model_dump() for r in self.recognizers],
            "verify": self.verify.model_dump(),
            "unexplained": self.unexplained.model_dump(),
        }

    def sha256(self) -> str:
        """A fingerprint of the effective policy (for reports and manifests)."""
        if self._sha256 is None:  # computed once: a policy is immutable, reports need it often
            blob = json.dumps(self.to_dict(), sort_keys=True, ensure_ascii=False).encode()
            self._sha256 = hashlib.sha256(blob).hexdigest()
        return self._sha256

    def summary(self) -> list[str]:
        """Human-readable lines saying what this policy does (no statement text involved)."""
        lines = [f"model: {self.model or 'best installed English spaCy pipeline'}"]
        by_action: dict[str, list[str]] = {}
        for etype, rule in sorted(self.entities.items()):
            if etype == "DEFAULT":
                continue
            by_action.setdefault(rule.action or "?", []).append(f"{etype} (>= {rule.threshold})")
        d = self.entities["DEFAULT"]
        for action in ("pseudonymize", "generalize", "replace", "redact", "mask", "keep"):
            if action in by_action:
                lines.append(f"{action}: " + ", ".join(by_action[action]))
        lines.append(f"any other entity type: {d.action} (>= {d.threshold})")
        loc = self.rule("LOCATION")
        if loc.keep_large_places:
            lines.append(f"places kept: countries, continents and cities of "
                         f"{loc.large_place_population:,}+ inhabitants")
        lines.append(f"allow list: {len(self.allow)} public name(s) kept")
        lines.append(f"deny list: {len(self.deny)} term(s) always redacted")
        lines.append(f"custom recognizers: {len(self.recognizers)}")
        v = self.verify
        checks = [n for n, on in (("surface forms", v.surface_forms), ("patterns", v.patterns),
                                  ("deep re-analysis", v.deep)) if on]
        lines.append("verify before write: " + (", ".join(checks) or "OFF"))
        u = self.unexplained
        lines.append(f"words nothing explains: {u.name_like} in name-like positions, "
                     f"{u.other} elsewhere")
        lines.append("from: " + " <- ".join(self.sources))
        return lines


# ---- file handling -----------------------------------------------------------------


def _resolve_path(ref: str, base_dir: Path | None) -> Path:
    p = Path(ref).expanduser()
    candidates = []
    if p.is_absolute():
        candidates.append(p)
    else:
        if base_dir is not None:
            candidates.append(base_dir / p)
        candidates.append(Path.cwd() / p)
        if p.parent == Path("."):
            candidates.append(shipped_policy_dir() / p)
    for c in candidates:
        if c.is_file():
            return c.resolve()
    raise PolicyError(f"policy file '{ref}' not found",
                      "Give a path to a YAML policy, or a shipped one: "
                      + ", ".join(sorted(x.name for x in shipped_policy_dir().glob("*.yaml"))))


def _load_chain(path: Path, seen: list[Path]) -> list[tuple[str, _PolicyFile]]:
    if path in seen:
        raise PolicyError("policy extends itself (a cycle of `extends`)", path=str(path),
                          key="extends")
    if len(seen) > 16:
        raise PolicyError("`extends` chain is too deep (more than 16 files)", path=str(path))
    data, lines = _read_yaml(path)
    pf = _validate(data, str(path), lines)
    chain: list[tuple[str, _PolicyFile]] = []
    if pf.extends:
        try:
            parent = _resolve_path(pf.extends, path.parent)
        except PolicyError as exc:
            raise PolicyError(exc.what, exc.todo, path=str(path), key="extends",
                              line=lines.get(("extends",))) from None
        chain = _load_chain(parent, seen + [path])
    chain.append((str(path), pf))
    return chain


def _read_yaml(path: Path) -> tuple[Any, dict[tuple[Any, ...], int]]:
    try:
        raw = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PolicyError(f"cannot read the policy file ({type(exc).__name__})",
                          "Check the path and that the file is UTF-8 text.",
                          path=str(path)) from None
    try:
        node = yaml.compose(raw, Loader=yaml.SafeLoader)
        if node is not None and _expanded_size(node, {}) > _MAX_YAML_NODES:
            raise PolicyError(f"the policy expands to more than {_MAX_YAML_NODES:,} values "
                              "(YAML aliases that repeat each other, a 'billion laughs' file)",
                              "Write the policy without nested anchors and aliases.",
                              path=str(path))
        data = yaml.safe_load(raw)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise PolicyError(f"YAML syntax error: {problem}", "Fix the YAML syntax at that line.",
                          path=str(path), line=mark.line + 1 if mark else None) from None
    except RecursionError:
        raise PolicyError("the policy nests lists or mappings too deeply",
                          "A policy needs only a few levels of nesting; fix the file.",
                          path=str(path)) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise PolicyError("a policy must be a mapping of keys (extends, entities, ...)",
                          path=str(path), line=1)
    lines: dict[tuple[Any, ...], int] = {}
    if node is not None:
        _collect_lines(node, (), lines)
    return data, lines


#: Most values a policy may expand to (aliases counted as often as they are used).
_MAX_YAML_NODES = 100_000


def _expanded_size(node: yaml.Node, memo: dict[int, int]) -> int:
    """How many nodes ``node`` stands for once every alias is expanded (memoised: linear)."""
    key = id(node)
    if key in memo:
        return memo[key]
    memo[key] = _MAX_YAML_NODES + 1  # a cycle counts as too large
    size = 1
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            size += _expanded_size(k, memo) + _expanded_size(v, memo)
            if size > _MAX_YAML_NODES:
                break
    elif isinstance(node, yaml.SequenceNode):
        for v in node.value:
            size += _expanded_size(v, memo)
            if size > _MAX_YAML_NODES:
                break
    memo[key] = size
    return size


def _collect_lines(node: yaml.Node, path: tuple[Any, ...], out: dict[tuple[Any, ...], int]) -> None:
    out.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            key = path + (k.value,)
            out[key] = k.start_mark.line + 1
            _collect_lines(v, key, out)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _collect_lines(item, path + (i,), out)


def _validate(data: dict[str, Any], name: str,
              lines: dict[tuple[Any, ...], int] | None) -> _PolicyFile:
    """Validate one policy file; every problem is reported at once (file, line, key path),
    in the words of docs/policy.md, never with pydantic's internal names."""
    try:
        return _PolicyFile.model_validate(data)
    except ValidationError as exc:
        problems = []
        for loc, message in _problems(exc.errors(), data):
            line = None
            for n in range(len(loc), -1, -1):
                if lines and tuple(loc[:n]) in lines:
                    line = lines[tuple(loc[:n])]
                    break
            problems.append(PolicyError(message, path=name,
                                        key=".".join(str(p) for p in loc) or None, line=line))
        raise PolicyError.several(problems) from None


#: pydantic error types, in the words of a policy's author.
_PLAIN = {
    "string_too_short": "must not be empty",
    "string_too_long": "is too long (at most {max_length} characters)",
    "string_type": "must be text",
    "bool_parsing": "must be true or false",
    "bool_type": "must be true or false",
    "float_parsing": "must be a number",
    "float_type": "must be a number",
    "int_parsing": "must be a whole number",
    "int_type": "must be a whole number",
    "int_from_float": "must be a whole number",
    "less_than_equal": "must be at most {le}",
    "greater_than_equal": "must be at least {ge}",
    "less_than": "must be less than {lt}",
    "greater_than": "must be more than {gt}",
    "list_type": "must be a list (lines starting with '- ')",
    "dict_type": "must be a mapping (lines of 'key: value')",
    "model_type": "must be a mapping (lines of 'key: value')",
    "model_attributes_type": "must be a mapping (lines of 'key: value')",
    "missing": "is missing (it is required)",
}


def _problems(errors: list[Any], data: Any) -> list[tuple[list[Any], str]]:
    """``(key path, message)`` per problem. A value that may take one of several forms (an
    ``allow`` entry: a name or a mapping) gets the problems of the form it has, once."""
    out: list[tuple[list[Any], str]] = []
    seen: set[tuple[str, ...]] = set()
    for err in errors:
        loc, depth, member = _split_loc(err.get("loc", ()))
        if member is not None:
            at = loc[:depth]
            value = _value_at(data, at)
            if not isinstance(value, (str, dict)):
                if tuple(map(str, at)) not in seen:
                    seen.add(tuple(map(str, at)))
                    out.append((at, "must be a name (text) or a mapping with the keys "
                                + ", ".join(_keys_at(at))))
                continue
            if isinstance(value, dict) != (_schema_model(member) is not None):
                continue  # the problems of the form this value does not have
        out.append((loc, _message(err, loc)))
    return out


def _message(err: dict[str, Any], loc: list[Any]) -> str:
    kind = err.get("type", "")
    ctx = err.get("ctx") or {}
    if kind == "extra_forbidden":
        import difflib

        allowed = _keys_at(loc[:-1])
        close = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
        return (f"unknown key '{loc[-1]}'" + (f" (did you mean '{close[0]}'?)" if close else "")
                + (f"; the keys here are: {', '.join(allowed)}" if allowed else ""))
    if kind == "literal_error":
        import difflib

        options = [o.strip(" '") for o in str(ctx.get("expected", "")).replace(" or ", ", ")
                   .split(",")]
        given = err.get("input")
        close = (difflib.get_close_matches(given, options, n=1)
                 if isinstance(given, str) else [])
        return ("must be one of: " + ", ".join(options)
                + (f" (did you mean '{close[0]}'?)" if close else ""))
    if kind in ("value_error", "assertion_error"):
        return str(err.get("msg", "invalid value")).removeprefix("Value error, ") \
            .removeprefix("Assertion failed, ")
    if kind in _PLAIN:
        try:
            return _PLAIN[kind].format(**ctx)
        except (KeyError, IndexError):
            return _PLAIN[kind].split(" (")[0]
    return str(err.get("msg", "invalid value"))


def _value_at(data: Any, loc: list[Any]) -> Any:
    for part in loc:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _keys_at(loc: list[Any]) -> list[str]:
    """The keys a policy may hold in the mapping at ``loc`` (from the schema itself)."""
    ann: Any = _PolicyFile
    for part in loc:
        ann = _schema_step(ann, part)
        if ann is None:
            return []
    model = _schema_model(ann)
    return list(model.model_fields) if model is not None else []


def _schema_step(ann: Any, part: Any) -> Any:
    """The type of ``ann[part]``: a model's field, a list's item, a mapping's value."""
    import types
    import typing

    origin = typing.get_origin(ann)
    if origin is Annotated:
        return _schema_step(typing.get_args(ann)[0], part)
    if origin in (typing.Union, types.UnionType):
        steps = [_schema_step(a, part) for a in typing.get_args(ann)]
        return next((s for s in steps if s is not None), None)
    if origin is list:
        return typing.get_args(ann)[0] if isinstance(part, int) else None
    if origin is dict:
        return typing.get_args(ann)[1] if isinstance(part, str) else None
    model = _schema_model(ann)
    if model is not None and isinstance(part, str) and part in model.model_fields:
        return model.model_fields[part].annotation
    return None


def _schema_model(ann: Any) -> type[BaseModel] | None:
    import typing

    if isinstance(ann, type) and issubclass(ann, BaseModel):
        return ann
    if typing.get_origin(ann) in (list, dict):
        return None
    return next((m for m in map(_schema_model, typing.get_args(ann)) if m is not None), None)


def _clean_loc(loc: Iterable[Any]) -> list[Any]:
    """``loc`` without the names pydantic adds for the members of a union ("AllowEntry",
    "str"): the key path as the policy's author wrote it."""
    return _split_loc(loc)[0]


def _split_loc(raw: Iterable[Any]) -> tuple[list[Any], int, Any]:
    """``(key path, where a union member was named in it, that member's type or None)``.

    The schema says where a union of forms is (pydantic names the member tried
    next in ``loc``), so an entity type such as ``Person`` is never mistaken for
    one.
    """
    import types
    import typing

    loc: list[Any] = []
    depth, member = 0, None
    ann: Any = _PolicyFile
    parts = list(raw)
    i = 0
    while i < len(parts):
        part = parts[i]
        i += 1
        bare = typing.get_args(ann)[0] if typing.get_origin(ann) is Annotated else ann
        forms = [a for a in typing.get_args(bare) if a is not type(None)] \
            if typing.get_origin(bare) in (typing.Union, types.UnionType) else []
        if len(forms) > 1 and isinstance(part, str):
            model = next((f for f in forms if getattr(f, "__name__", None) == part), None)
            ann = model or next((f for f in forms if _schema_model(f) is None), None)
            depth, member = len(loc), ann
            continue
        loc.append(part)
        ann = _schema_step(ann, part) if ann is not None else None
    return loc, depth, member
