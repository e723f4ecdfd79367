"""Policy files: loading, extends, defaults, and errors that name file, key path and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from redact import Policy, PolicyError
from redact._internal.policy_files import keys_at


def write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_shipped_policies_load_with_defaults_filled() -> None:
    t = Policy.load("testimony.yaml")
    s = Policy.load("strict.yaml")
    assert t.action("PERSON") == "pseudonymize"
    assert t.action("DATE_TIME") == "keep"
    assert s.action("DATE_TIME") == "replace"
    assert s.verify.deep is True and t.verify.deep is False
    # strict extends testimony: fields it does not set are inherited.
    assert s.action("PERSON") == "pseudonymize"
    assert s.threshold("PERSON") == 0.3
    assert s.rule("LOCATION").keep_large_places is False
    assert t.rule("LOCATION").keep_large_places is True
    assert t.rule("ORGANIZATION").keep_public_bodies is True
    assert s.rule("ORGANIZATION").keep_public_bodies is False
    # an entity no policy names falls back to DEFAULT
    assert t.action("SOMETHING_NEW") == "redact"
    assert s.sources[0].endswith("testimony.yaml") and s.sources[-1].endswith("strict.yaml")


def test_extends_appends_lists_and_overrides_fields(tmp_path: Path) -> None:
    p = write(tmp_path, "case.yaml", """
extends: testimony.yaml
entities:
  PERSON: {action: replace}
allow: [Ramzan Kadyrov]
deny:
  - {text: Tarzan, entity: PERSON}
""")
    pol = Policy.load(p)
    base = Policy.load("testimony.yaml")
    assert pol.action("PERSON") == "replace"
    assert pol.threshold("PERSON") == base.threshold("PERSON")
    assert len(pol.allow) == len(base.allow) + 1
    assert [d.text for d in pol.deny] == ["Tarzan"]


def test_relative_extends_resolves_beside_the_file(tmp_path: Path) -> None:
    write(tmp_path, "base.yaml", "entities:\n  PERSON: {action: mask}\n")
    child = write(tmp_path, "child.yaml", "extends: base.yaml\n")
    assert Policy.load(child).action("PERSON") == "mask"


def test_unknown_key_names_file_key_and_line(tmp_path: Path) -> None:
    p = write(tmp_path, "bad.yaml", "language: en\nentities:\n  PERSON:\n    acton: keep\n")
    with pytest.raises(PolicyError) as ei:
        Policy.load(p)
    e = ei.value
    assert e.path == str(p) and e.line == 4 and e.key == "entities.PERSON.acton"
    assert "unknown key" in e.what and "bad.yaml:4" in e.diagnostic


def test_wrong_type_and_bad_regex_are_errors(tmp_path: Path) -> None:
    p = write(tmp_path, "t.yaml", "entities:\n  PERSON:\n    threshold: high\n")
    with pytest.raises(PolicyError) as ei:
        Policy.load(p)
    assert ei.value.key == "entities.PERSON.threshold" and ei.value.line == 3
    p2 = write(tmp_path, "r.yaml", """recognizers:
  - name: badge
    entity: ID_NUMBER
    patterns:
      - regex: "BADGE-([0-9"
""")
    with pytest.raises(PolicyError) as ei2:
        Policy.load(p2)
    assert "invalid regular expression" in ei2.value.what
    assert ei2.value.key == "recognizers.0.patterns.0.regex" and ei2.value.line == 5


def test_bad_action_unknown_top_key_yaml_syntax_cycle_and_missing(tmp_path: Path) -> None:
    with pytest.raises(PolicyError, match="must be one of: redact, mask"):
        Policy.load(write(tmp_path, "a.yaml", "entities:\n  PERSON: {action: delete}\n"))
    with pytest.raises(PolicyError) as ei:
        Policy.load(write(tmp_path, "k.yaml", "entitys: {}\n"))
    assert ei.value.key == "entitys" and ei.value.line == 1
    with pytest.raises(PolicyError, match="YAML syntax"):
        Policy.load(write(tmp_path, "s.yaml", "entities: [\n"))
    write(tmp_path, "c1.yaml", "extends: c2.yaml\n")
    write(tmp_path, "c2.yaml", "extends: c1.yaml\n")
    with pytest.raises(PolicyError, match="cycle"):
        Policy.load(tmp_path / "c1.yaml")
    with pytest.raises(PolicyError, match="not found"):
        Policy.load(tmp_path / "nope.yaml")
    with pytest.raises(PolicyError, match="upper case"):
        Policy.load(write(tmp_path, "l.yaml", "entities:\n  person: {action: keep}\n"))


def test_a_key_written_twice_is_refused_not_silently_dropped(tmp_path: Path) -> None:
    # YAML keeps the second of two equal keys: a first "unexplained: remove" or a first
    # PERSON rule would vanish without a word
    with pytest.raises(PolicyError, match="'unexplained' is written twice") as ei:
        Policy.load(write(tmp_path, "d.yaml", "unexplained: remove\nentities: {}\n"
                          "unexplained: keep\n"))
    assert ei.value.line == 3
    with pytest.raises(PolicyError, match="'PERSON' is written twice"):
        Policy.load(write(tmp_path, "e.yaml", "entities:\n  PERSON: {action: redact}\n"
                          "  PERSON: {action: keep}\n"))
    for shipped in ("testimony.yaml", "strict.yaml"):  # the shipped files say each key once
        Policy.load(shipped)


def test_summary_and_fingerprint() -> None:
    t = Policy.load("testimony.yaml")
    lines = t.summary()
    assert any(line.startswith("pseudonymize: PERSON") for line in lines)
    assert t.sha256() == Policy.load("testimony.yaml").sha256()
    assert t.sha256() != Policy.load("strict.yaml").sha256()


SEVERAL_MISTAKES = """extend: testimony.yaml
entities:
  PERSON:
    action: pseudonymise
    threshold: 1.5
allow:
  - {text: Ramzan Kadyrov, variant: [Kadyrov]}
  - 5
deny:
  - {text: Tarzan, entity: person}
verify:
  deep: maybe
"""


def test_every_mistake_at_once_in_the_authors_words(tmp_path: Path) -> None:
    p = write(tmp_path, "case.yaml", SEVERAL_MISTAKES)
    with pytest.raises(PolicyError) as ei:
        Policy.load(p)
    e = ei.value
    found = {(x.line, x.key): x.message for x in e.problems}
    assert found == {
        (1, "extend"): "unknown key 'extend' (did you mean 'extends'?); the keys here are: "
                       + ", ".join(keys_at([])),
        (4, "entities.PERSON.action"): "must be one of: redact, mask, replace, pseudonymize, "
                                       "generalize, keep (did you mean 'pseudonymize'?)",
        (5, "entities.PERSON.threshold"): "must be at most 1.0",
        (7, "allow.0.variant"): "unknown key 'variant' (did you mean 'variants'?); the keys "
                                "here are: text, variants, entity",
        (8, "allow.1"): "must be a name (text) or a mapping with the keys text, variants, entity",
        (10, "deny.0.entity"): "entity types are upper case, e.g. PERSON, LOCATION",
        (12, "verify.deep"): "must be true or false",
    }
    assert all(x.path == str(p) for x in e.problems)
    assert e.what.startswith(f"7 problems in the policy file {p}:")
    for internal in ("DenyEntry", "AllowEntry", "str", "function-after", "Input should",
                     "Value error", "Extra inputs", "Kadyrov", "Tarzan"):
        assert internal not in e.what.replace("string", ""), internal
    assert f"{p}:12 at 'verify.deep'" in e.what  # file, line and key path on every line


def test_misspelt_top_level_key_suggests_the_right_one(tmp_path: Path) -> None:
    p = write(tmp_path, "k.yaml", "extend: testimony.yaml\n")
    with pytest.raises(PolicyError) as ei:
        Policy.load(p)
    assert ei.value.line == 1 and ei.value.key == "extend"
    assert "did you mean 'extends'?" in ei.value.what and len(ei.value.problems) == 1


def test_derived_is_extends_by_a_mapping(tmp_path: Path) -> None:
    base = Policy.load("testimony.yaml")
    got = base.derived({"entities": {"PERSON": {"action": "replace"}},
                        "deny": [{"text": "Zarema"}], "allow": ["Ministry of Health"]},
                       name="<request>", base_name="<server>")
    # the same as a file that extends the base: fields override, lists append
    p = write(tmp_path, "child.yaml", """
extends: testimony.yaml
entities:
  PERSON: {action: replace}
deny: [{text: Zarema}]
allow: [Ministry of Health]
""")
    assert got.to_dict() == Policy.load(p).to_dict()
    assert got.action("PERSON") == "replace" and got.threshold("PERSON") == base.threshold("PERSON")
    assert got.sources == ["<server>", "<request>"]
    assert base.derived({}).sha256() == base.sha256()  # nothing added, nothing changed
    assert base.action("PERSON") == "pseudonymize"  # the base is left as it was


def test_derived_names_the_mapping_in_problems_and_refuses_extends() -> None:
    base = Policy.load("testimony.yaml")
    with pytest.raises(PolicyError) as exc:
        base.derived({"entities": {"PERSON": {"action": "erase"}}}, name="<request>")
    assert exc.value.problems[0].path == "<request>"
    assert exc.value.problems[0].key == "entities.PERSON.action"
    with pytest.raises(PolicyError) as exc:
        base.derived({"extends": "strict.yaml"}, name="<request>")
    assert exc.value.key == "extends"
