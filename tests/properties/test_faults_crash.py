"""Crash consistency of ``redact batch`` (kill -9 mid-run, then rerun): a small CI version of
``tests/tools/crash_batch.py``, which runs 50+ trials. After each rerun every output and
sealed original is complete, verifies, and equals the uninterrupted run's; no temporary
file remains.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from tools import crash_batch


def test_kill_minus_nine_then_rerun(capsys: pytest.CaptureFixture[str]) -> None:
    code = crash_batch.main(["--trials", "2", "--copies", "1", "--seed", "3"])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "0 failed trial(s)" in out


def test_names_of_labels_allocated_before_a_kill_are_sealed_by_the_rerun(
        tmp_path: Path, redactor: object) -> None:
    """A run killed after its labels reached the index, before their real names were sealed:
    the next run that meets those names seals them, so `reveal --pseudonyms` lacks none."""
    from tools.attack_common import PASS

    from redact import seal as S
    from redact.case import Case

    ident = S.generate_identity()
    Case.init(tmp_path / "case", [ident.recipient], passphrase=PASS, work_factor=10)
    text = ("Ruslan Qzarkhanov and his cousin Islam Vtemirovich were taken to Gekhi. "
            "Later Qzarkhanov saw Zaura Khaptsaeva there.\n")
    killed = Case.open(tmp_path / "case")
    killed.unlock(passphrase=PASS)
    first = killed.redactor().redact(text)  # labels appended to the index...
    del killed  # ...and the process dies: the names pending in memory are gone
    assert Case.open(tmp_path / "case").pseudonym_table([ident]) == {}
    rerun = Case.open(tmp_path / "case")
    rerun.unlock(passphrase=PASS)
    with rerun:
        again = rerun.redactor().redact(text)
        rerun.add_statement("s1", text.encode(), again.text, again.to_report())
    assert again.text == first.text
    table = Case.open(tmp_path / "case").pseudonym_table([ident])
    labels = {s.replacement for s in again.spans if s.entity == "PERSON"}
    assert labels and labels <= set(table), (labels, table)
    forms = {f for e in table.values() for f in e["forms"] + e["parts"]}
    assert {"ruslan qzarkhanov", "islam vtemirovich", "zaura khaptsaeva"} <= forms, forms
    # a later statement does not seal them a third time
    n_files = len(list((tmp_path / "case" / "pseudonyms" / "names").glob("*.age")))
    rerun2 = Case.open(tmp_path / "case")
    rerun2.unlock(passphrase=PASS)
    with rerun2:
        res = rerun2.redactor().redact(text)
        rerun2.add_statement("s2", text.encode(), res.text, res.to_report())
    assert len(list((tmp_path / "case" / "pseudonyms" / "names").glob("*.age"))) == n_files
