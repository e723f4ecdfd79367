"""Build tests/corpus/statement.docx: a witness statement with identifiers in every hiding place.

Run ``python tests/corpus/make_docx.py`` to regenerate the committed file (the
tests also build it afresh with :func:`build_statement`). Built with
python-docx; what python-docx has no API for (tracked changes, footnotes,
hyperlinks, text boxes, custom and extended properties) is added as XML.

All names, numbers and addresses are invented.
"""

from __future__ import annotations

import datetime as dt
import io
import struct
import sys
import zipfile
import zlib
from pathlib import Path

import docx
from docx.enum.text import WD_COLOR_INDEX
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Inches, Pt

HERE = Path(__file__).resolve().parent
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def tiny_png() -> bytes:
    """A valid 8x8 grey PNG (an embedded 'photo')."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return (struct.pack(">I", len(body)) + kind + body
                + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF))
    raw = b"".join(b"\x00" + b"\x80" * 8 for _ in range(8))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 8, 8, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def _hyperlink(paragraph, url: str, text: str) -> None:
    r_id = paragraph.part.relate_to(url, RT.HYPERLINK, is_external=True)
    paragraph._p.append(parse_xml(
        f'<w:hyperlink {nsdecls("w", "r")} r:id="{r_id}" w:tooltip="Write to Islam Bakaev">'
        f'<w:r><w:rPr><w:u w:val="single"/></w:rPr><w:t>{text}</w:t></w:r></w:hyperlink>'))


def _tracked(paragraph) -> None:
    """A tracked insertion and a tracked deletion, by the lawyer."""
    paragraph._p.append(parse_xml(
        f'<w:del {nsdecls("w")} w:id="101" w:author="Zarema Dudayeva" '
        f'w:date="2024-05-15T10:00:00Z"><w:r><w:delText xml:space="preserve">'
        f'together with his brother Adlan Bakaev </w:delText></w:r></w:del>'))
    paragraph._p.append(parse_xml(
        f'<w:ins {nsdecls("w")} w:id="102" w:author="Zarema Dudayeva" '
        f'w:date="2024-05-15T10:01:00Z"><w:r><w:t xml:space="preserve">'
        f'with his neighbour Said Umarov </w:t></w:r></w:ins>'))
    paragraph.add_run("and two other men from the street.")


def _text_box(paragraph) -> None:
    paragraph._p.append(parse_xml(
        f'<w:r {nsdecls("w")} xmlns:v="urn:schemas-microsoft-com:vml"><w:pict>'
        f'<v:shape id="tb1" style="width:200pt;height:40pt" type="#_x0000_t202">'
        f'<v:textbox><w:txbxContent><w:p><w:r><w:t xml:space="preserve">Interpreter: '
        f'Luiza Ismailova, +7 938 002-11-45</w:t></w:r></w:p></w:txbxContent></v:textbox>'
        f'</v:shape></w:pict></w:r>'))


def _footnote_ref(paragraph, fid: int) -> None:
    paragraph._p.append(parse_xml(
        f'<w:r {nsdecls("w")}><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
        f'<w:footnoteReference w:id="{fid}"/></w:r>'))


FOOTNOTES = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:footnotes xmlns:w="{W}">'
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/>'
    '</w:r></w:p></w:footnote>'
    '<w:footnote w:id="1"><w:p><w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
    '<w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> Interview recorded at the flat of '
    'Kheda Bakaeva, 27 Mira Street, Grozny; her number is +7 928 744-19-03.</w:t></w:r></w:p>'
    '</w:footnote></w:footnotes>')

CUSTOM = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"'
    ' xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
    '<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="Witness">'
    '<vt:lpwstr>Islam Bakaev</vt:lpwstr></property>'
    '<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="3" name="WitnessEmail">'
    '<vt:lpwstr>islam.bakaev95@mail.ru</vt:lpwstr></property>'
    '<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="4" name="Interviewer">'
    '<vt:lpwstr>Zarema Dudayeva</vt:lpwstr></property>'
    '</Properties>')


def build_statement() -> bytes:
    """The corpus statement as .docx bytes (deterministic apart from zip timestamps)."""
    d = docx.Document()
    sec = d.sections[0]
    sec.header.paragraphs[0].text = "CONFIDENTIAL - Statement of Islam Bakaev - case file 17"
    sec.footer.paragraphs[0].text = ("Prepared by Zarema Dudayeva, lawyer, "
                                     "zarema.dudayeva@protonmail.com")

    d.add_heading("Witness statement", level=1)
    p = d.add_paragraph("My name is Islam Bakaev. I was born in the village of Gekhi and I "
                        "lived in Grozny until March 2023. My mobile number was "
                        "+7 928 311-45-67.")
    _footnote_ref(p, 1)

    p = d.add_paragraph("On 2 March my friend ")
    # a name split across three runs with different formatting
    r = p.add_run("Ru")
    r.bold = True
    r = p.add_run("sl")
    r.italic = True
    r = p.add_run("an Temirov")
    r.font.highlight_color = WD_COLOR_INDEX.YELLOW
    p.add_run(" called me and asked me to meet him near the central market.")

    p = d.add_paragraph("Two men in black uniforms took me to a basement in Argun, ")
    _tracked(p)

    p = d.add_paragraph("An officer who called himself Major Alkhanov asked about my cousin "
                        "Magomed Bakaev. ")
    anchor = p.add_run("He said Magomed had spoken to foreign journalists.")
    d.add_comment(anchor, text="Confirm with Magomed Bakaev, +49 1577 3902261, before filing.",
                  author="Zarema Dudayeva", initials="ZD")

    p = d.add_paragraph("After my release I left for Moscow and then for Berlin. You can ")
    _hyperlink(p, "mailto:islam.bakaev95@mail.ru", "write to me")
    p.add_run(" or see my page ")
    _hyperlink(p, "https://vk.com/islam.bakaev95", "on VKontakte")
    p.add_run(".")

    p = d.add_paragraph("The people who helped me:")
    t = d.add_table(rows=3, cols=3)
    for row, cells in zip(t.rows, [("Name", "Role", "Contact"),
                                   ("Kheda Bakaeva", "sister", "+7 928 744-19-03"),
                                   ("Said Umarov", "neighbour", "umarov.said@gmail.com")],
                          strict=True):
        for cell, value in zip(row.cells, cells, strict=True):
            cell.text = value

    p = d.add_paragraph()
    _text_box(p)
    d.add_paragraph("Photo of the basement entrance, taken by Said Umarov:")
    d.add_picture(io.BytesIO(tiny_png()), width=Inches(0.5))
    d.add_paragraph("I confirm that this statement is true. Signed in Berlin on 14 May 2024.")
    for para in d.paragraphs:
        for run in para.runs:
            if run.font.size is None:
                run.font.size = Pt(11)

    cp = d.core_properties
    cp.author = "Zarema Dudayeva"
    cp.last_modified_by = "Islam Bakaev"
    cp.title = "Statement of Islam Bakaev"
    cp.subject = "Detention of Islam Bakaev in Argun"
    cp.keywords = "Bakaev; Temirov; Gekhi; torture"
    cp.comments = "Witness contact: islam.bakaev95@mail.ru"
    cp.category = "Bakaev case"
    cp.created = dt.datetime(2024, 5, 14, 9, 0)
    cp.modified = dt.datetime(2024, 5, 15, 10, 5)

    buf = io.BytesIO()
    d.save(buf)
    return _post_process(buf.getvalue())


def _post_process(data: bytes) -> bytes:
    """Add the footnotes part, custom properties and app.xml company/manager."""
    zin = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            blob = zin.read(info)
            name = info.filename
            if name == "[Content_Types].xml":
                blob = blob.replace(b"</Types>", (
                    b'<Override PartName="/word/footnotes.xml" ContentType="application/'
                    b'vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/>'
                    b'<Override PartName="/docProps/custom.xml" ContentType="application/'
                    b'vnd.openxmlformats-officedocument.custom-properties+xml"/></Types>'))
            elif name == "word/_rels/document.xml.rels":
                blob = blob.replace(b"</Relationships>", (
                    b'<Relationship Id="rIdFn1" Type="http://schemas.openxmlformats.org/'
                    b'officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/>'
                    b"</Relationships>"))
            elif name == "_rels/.rels":
                blob = blob.replace(b"</Relationships>", (
                    b'<Relationship Id="rIdCustom" Type="http://schemas.openxmlformats.org/'
                    b'officeDocument/2006/relationships/custom-properties" '
                    b'Target="docProps/custom.xml"/></Relationships>'))
            elif name == "docProps/app.xml":
                blob = blob.replace(b"</Properties>", (
                    b"<Manager>Magomed Bakaev</Manager><Company>Dudayeva and Partners, "
                    b"Grozny</Company></Properties>"))
            zout.writestr(info, blob)
        zout.writestr("word/footnotes.xml", FOOTNOTES.encode())
        zout.writestr("docProps/custom.xml", CUSTOM.encode())
    return out.getvalue()


# What must not survive anywhere in the redacted .docx (every XML part, unzipped),
# and what must (the story still reads).
MUST_GO = ["Islam", "Bakaev", "Bakaeva", "Ruslan", "Temirov", "Zarema", "Dudayeva", "Magomed",
           "Adlan", "Said Umarov", "Umarov", "Luiza", "Ismailova", "Kheda", "Gekhi",
           "Mira Street", "311-45-67", "744-19-03", "3902261", "002-11-45",
           "islam.bakaev95", "zarema.dudayeva", "umarov.said", "vk.com"]
MUST_STAY = ["Moscow", "Berlin", "Witness statement", "basement", "uniforms",
             "I confirm that this statement is true"]


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "statement.docx"
    target.write_bytes(build_statement())
    print(f"wrote {target}")
