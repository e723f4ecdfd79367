"""A small corpus of statements (txt, md, jsonl, csv, docx) with planted unique identifiers.

Every canary is an identifier the shipped testimony policy removes (a person's name
in a clear context, a phone number, an e-mail address), spelled so that it occurs
nowhere else: if one shows up anywhere but inside a sealed file, it leaked.
"""

from __future__ import annotations

import io
from pathlib import Path

#: The planted identifiers (their distinctive parts are what the scans look for).
CANARY_PEOPLE = ["Ruslan Qzarkhanov", "Islam Vtemirovich", "Zaura Khaptsaeva",
                 "Adlan Prozgumov", "Malika Yurchevskaya"]
CANARY_PHONES = ["+7 928 744-19-03", "+7 938 512-66-87"]
CANARY_EMAILS = ["qzark.ruslan@example.org", "vtemir.i@example.net"]

#: Byte strings searched for (case-insensitively) in every place a leak could hide.
NEEDLES = ["Qzarkhanov", "Vtemirovich", "Khaptsaeva", "Prozgumov", "Yurchevskaya",
           "744-19-03", "7441903", "512-66-87", "5126687", "qzark.ruslan", "vtemir.i"]

TXT = (
    "Statement of witness W-1.\n\n"
    "My name is Ruslan Qzarkhanov. I was detained on 3 March 2019 together with my "
    "cousin Islam Vtemirovich. Mr Qzarkhanov is what the officers called me.\n"
    "Later Islam Vtemirovich phoned my sister on +7 928 744-19-03 and wrote to "
    "qzark.ruslan@example.org.\n"
)
MD = (
    "# Interview notes\n\n"
    "The witness, **Zaura Khaptsaeva**, said that her neighbour Adlan Prozgumov "
    "was taken away. Contact: [write](mailto:vtemir.i@example.net) or call "
    "+7 938 512-66-87.\n\nMrs Khaptsaeva asked us not to publish her name.\n"
)
JSONL = (
    '{"id": 1, "text": "Malika Yurchevskaya said that Adlan Prozgumov was beaten."}\n'
    '{"id": 2, "text": "Zaura Khaptsaeva can be reached at +7 938 512-66-87."}\n'
)
CSV = (
    "id,witness,note\n"
    '1,Malika Yurchevskaya,"She saw Islam Vtemirovich at the checkpoint."\n'
    '2,Ruslan Qzarkhanov,"His e-mail is qzark.ruslan@example.org."\n'
)


def docx_bytes() -> bytes:
    """A .docx with canaries in the body, a header, a comment and the core properties."""
    import docx

    d = docx.Document()
    d.core_properties.author = "Malika Yurchevskaya"
    d.core_properties.title = "Statement of Adlan Prozgumov"
    d.sections[0].header.paragraphs[0].text = "Witness: Adlan Prozgumov"
    p = d.add_paragraph("My name is Adlan Prozgumov and my wife is Malika Yurchevskaya. ")
    p.add_run("Call me on +7 928 744-19-03.")
    try:
        d.add_comment(p.runs[0], text="Check with Zaura Khaptsaeva", author="Islam Vtemirovich")
    except AttributeError:  # python-docx without comments support
        pass
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def write_corpus(folder: Path) -> list[Path]:
    """Write the corpus into ``folder``; return the files in sorted order."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "a-statement.txt").write_text(TXT, encoding="utf-8")
    (folder / "b-notes.md").write_text(MD, encoding="utf-8")
    (folder / "c-records.jsonl").write_text(JSONL, encoding="utf-8")
    (folder / "d-log.csv").write_text(CSV, encoding="utf-8")
    (folder / "e-letter.docx").write_bytes(docx_bytes())
    return sorted(folder.iterdir())
