"""The policy's recognizers: its deny list and its custom pattern recognizers."""

from __future__ import annotations

import re
from collections.abc import Sequence

from presidio_analyzer import EntityRecognizer, RecognizerResult

from redact.detect.forms import forms_regex
from redact.detect.recognizers import RegexRecognizer, Rule
from redact.policy import Policy

__all__ = ["FormsRecognizer", "policy_recognizers"]


class FormsRecognizer(EntityRecognizer):
    """The policy's deny list: every listed form is reported with score 1.0."""

    def __init__(self, entity: str, forms: Sequence[str]) -> None:
        self._regex = forms_regex(forms)
        super().__init__(supported_entities=[entity], name=f"deny:{entity}",
                         supported_language="en")

    def load(self) -> None:
        pass

    def analyze(self, text, entities, nlp_artifacts=None):  # type: ignore[no-untyped-def]
        if self._regex is None:
            return []
        return [RecognizerResult(self.supported_entities[0], m.start(), m.end(), 1.0,
                                 recognition_metadata={
                                     RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                                     RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
                                     "rule": "deny"})
                for m in self._regex.finditer(text)]


def policy_recognizers(policy: Policy) -> list[EntityRecognizer]:
    """The policy's own recognizers: its ``deny`` list (one per entity type) and its
    custom ``recognizers`` (patterns and word lists)."""
    out: list[EntityRecognizer] = []
    by_entity: dict[str, list[str]] = {}
    for d in policy.deny:
        by_entity.setdefault(d.entity, []).extend(d.forms())
    for entity, forms in sorted(by_entity.items()):
        out.append(FormsRecognizer(entity, forms))
    for spec in policy.recognizers:
        flags = 0 if spec.case_sensitive else re.IGNORECASE
        rules = [Rule(p.name or f"pattern{i}", p.regex, p.score, flags)
                 for i, p in enumerate(spec.patterns)]
        if spec.words:
            rx = forms_regex(spec.words)
            assert rx is not None
            rules.append(Rule("words", rx.pattern, spec.score, flags))
        out.append(RegexRecognizer(f"policy:{spec.name}", spec.entity, rules,
                                   context=spec.context))
    return out
