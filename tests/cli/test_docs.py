"""The documentation says what the code does (issue 17: docs that match behaviour)."""

from __future__ import annotations

import json
import re
import typing
from pathlib import Path

from typer.testing import CliRunner

from redact.cli import app
from redact.policy import Action, EntityRule

REPO = Path(__file__).resolve().parents[2]
DOCS = REPO / "docs"


def test_policy_doc_documents_every_entity_rule_field_and_action() -> None:
    doc = (DOCS / "policy.md").read_text(encoding="utf-8")
    for field in EntityRule.model_fields:
        assert f"| `{field}` |" in doc, f"docs/policy.md: entity rule field `{field}`"
    for action in typing.get_args(Action):
        assert f"`{action}`" in doc, f"docs/policy.md: action `{action}`"
    assert "in their 30s" in doc and "March 2019" in doc  # what generalize does


def test_json_summary_goes_to_stderr_when_the_statement_goes_to_stdout(tmp_path: Path,
                                                                     redactor: object) -> None:
    """docs/cli.md says so; the command does so."""
    assert "its JSON summary goes to stderr" in (DOCS / "cli.md").read_text(encoding="utf-8")
    r = CliRunner().invoke(app, ["file", "-", "--json"], input="Zarema Khasanova wrote.\n")
    assert r.exit_code == 0, r.output
    assert "Zarema" not in r.stdout and "Person A" in r.stdout
    assert json.loads(r.stderr)["output"] == "<stdout>"


def test_file_help_tells_the_truth_about_encodings() -> None:
    """decode_text detects UTF-8, BOMs and a few legacy code pages; nothing else."""
    text = " ".join(CliRunner().invoke(app, ["file", "--help"]).stdout.split())
    assert "any common encoding" not in text
    for claim in ("UTF-8", "UTF-16/32 with a BOM", "Windows-1252", "UTF-16 without a BOM"):
        assert claim in text, claim


def test_readme_says_what_make_test_needs() -> None:
    readme = " ".join((REPO / "README.md").read_text(encoding="utf-8").split())
    assert "Python 3.11" in readme and "`make`" in readme
    # the optional system tools, each named, and what installs them in CI
    assert "Three system tools are optional" in readme and "Tesseract" in readme
    assert "chromium-driver" in readme and re.search(r"Node\.js with npm", readme)
    assert "`.ci/run` installs the first two" in readme
    assert "--runslow" in readme and "huge" in readme
    assert "docs/first-hour.md" in readme
