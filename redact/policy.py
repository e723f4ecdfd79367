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
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from redact._internal.policy_files import read_yaml, validate
from redact._internal.policy_schema import (
    Action,
    AllowEntry,
    DenyEntry,
    EntityRule,
    PatternSpec,
    PolicyFile,
    RecognizerSpec,
    UnexplainedAction,
    UnexplainedSettings,
    VerifySettings,
)
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
    "UnexplainedAction",
    "Policy",
    "shipped_policy_dir",
    "DEFAULT_POLICY",
]

DEFAULT_POLICY = "testimony.yaml"


def shipped_policy_dir() -> Path:
    """The folder holding the policies shipped with redact (``testimony.yaml``, ``strict.yaml``)."""
    return Path(__file__).resolve().parent / "policies"


_BASE_DEFAULT = EntityRule(action="redact", threshold=0.5, mask_char="*",
                           keep_large_places=False, keep_public_bodies=False,
                           large_place_population=1_000_000,
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
        pf = validate(data, name, None)
        chain: list[tuple[str, PolicyFile]] = []
        if pf.extends:
            parent = _resolve_path(pf.extends, Path(base_dir) if base_dir else None)
            chain = _load_chain(parent, seen=[])
        chain.append((name, pf))
        return cls._from_files(chain)

    @classmethod
    def _from_files(cls, files: list[tuple[str, PolicyFile]]) -> Policy:
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

    def derived(self, mapping: Mapping[str, Any], *, name: str = "<mapping>",
                base_name: str = "<base>") -> Policy:
        """This policy extended by ``mapping`` (the keys of a policy file), as if a file
        holding ``mapping`` said ``extends:`` this policy: its entity settings override
        field by field, its ``allow``, ``deny`` and ``recognizers`` are appended.

        ``name`` and ``base_name`` are what problems and :attr:`sources` call the mapping
        and this policy. ``extends`` is refused (the base is this policy). Raises
        :class:`redact.errors.PolicyError` naming every problem of the mapping.
        """
        child = validate(dict(mapping), name, None)
        if child.extends is not None:
            raise PolicyError("a derived policy may not set 'extends': its base is given",
                              path=name, key="extends")
        base = validate(self.to_dict(), base_name, None)
        return Policy._from_files([(base_name, base), (name, child)])

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
            lines.append(f"places kept: countries, continents, capitals and cities of "
                         f"{loc.large_place_population:,}+ inhabitants")
        if self.rule("ORGANIZATION").keep_public_bodies:
            lines.append("organisations kept: public bodies (courts, ministries, commissions, "
                         "forces) whose every word is explained")
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


def _load_chain(path: Path, seen: list[Path]) -> list[tuple[str, PolicyFile]]:
    if path in seen:
        raise PolicyError("policy extends itself (a cycle of `extends`)", path=str(path),
                          key="extends")
    if len(seen) > 16:
        raise PolicyError("`extends` chain is too deep (more than 16 files)", path=str(path))
    data, lines = read_yaml(path)
    pf = validate(data, str(path), lines)
    chain: list[tuple[str, PolicyFile]] = []
    if pf.extends:
        try:
            parent = _resolve_path(pf.extends, path.parent)
        except PolicyError as exc:
            raise PolicyError(exc.what, exc.todo, path=str(path), key="extends",
                              line=lines.get(("extends",))) from None
        chain = _load_chain(parent, seen + [path])
    chain.append((str(path), pf))
    return chain
