"""Tables pasted into a text: a header row names each column, and every cell below takes
the column's meaning.

NGO case logs, detainee trackers and spreadsheets reach a statement as rows of cells
split by ``|``, tabs or commas (quoted cells keep their commas)::

    ID | date | name | age | location | phone | notes
    UA-KH-0412 | 2024-03-11 | Serhii Melnyk | 54 | Kupiansk, vul. Sadova 17 | ... | ...

A bare "54" says nothing in prose, but under an "age" header it is someone's age; the
whole cell under "name" is someone, under "location" or "address" somewhere. The
:class:`TableRecognizer` reads the header, then each row with as many cells, and reports
the cells of the columns it knows: ages (AGE), names (PERSON), places and addresses
(ADDRESS), dates of birth (DATE_OF_BIRTH). Other columns (notes, phone, contact) are left
to the other recognizers and to the sweep. A row with another number of cells ends the
table.

A form pasted as rows of labels and values ("| Name | Ali Hassan | Village | Shali |",
or "Name<TAB>Ali Hassan") is read pair by pair: each value takes its label's meaning, and
the labels are labels, whatever the word lists say ("Phone" is no company).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Sequence

from presidio_analyzer import LocalRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts
from spacy.lang.en.stop_words import STOP_WORDS

from redact.detect.gazetteer import gazetteer
from redact.detect.vocabulary import FIELD_LABELS

__all__ = ["TableRecognizer", "column_entity", "in_header", "table_cells", "table_headers"]

#: Header words, in lower case, and what the cells under them are.
_HEADS: dict[str, str] = {
    **dict.fromkeys("""age age/sex edad idade umur возраст вік سن العمر""".split(), "AGE"),
    **dict.fromkeys("""name names victim victims detainee detainees person complainant
        survivor client deceased nombre nome nama фио имя نام اسم الاسم
        alias aliases nickname nicknames aka a.k.a. apodo apodos alcunha surnom kunya
        callsign call-sign pseudonym прозвище позывной surname surnames apellido apellidos
        sobrenome prénom prenom patronymic отчество фамилия guardian kin""".split(), "PERSON"),
    **dict.fromkeys("""address location residence village city/village village/town
        room cuarto habitación habitacion cell celda quarto chambre
        town/village city/town home barangay district/village dirección direccion endereço
        adresse domicile domicilio kebele woreda адрес colonia barrio vereda aldea
        comunidad localidad municipio mahalla village/district camp block shelter
        tent""".split(), "ADDRESS"),
    **dict.fromkeys("""dob d.o.b. birth born""".split(), "DATE_OF_BIRTH"),
}
#: Header cells of more words: "full name", "date of birth", "last known address".
_HEAD_PHRASES = re.compile(
    r"(?:full|victim'?s?|detainee'?s?|person'?s?|first|given|family|last|father'?s?|"
    r"mother'?s?|husband'?s?|wife'?s?|missing\s+person'?s?)\s+names?|(?:known\s+as|call\s+sign|"
    r"next\s+of\s+kin)|(?:date|place)\s+of\s+birth|(?:home|last\s+known|current|permanent)\s+"
    r"(?:address|location)|age\s*\((?:y|yrs|years)\)", re.IGNORECASE)
_PHRASE_ENTITY = {"name": "PERSON", "names": "PERSON", "as": "PERSON", "sign": "PERSON",
                  "kin": "PERSON", "address": "ADDRESS",
                  "location": "ADDRESS", "birth": "DATE_OF_BIRTH", ")": "AGE"}
#: What a cell holds that names nothing: "n/a", "unknown", "-".
_EMPTY = re.compile(r"(?i)(?:n/?a|none|unknown|not\s+known|anon(?:ymous)?(?:\s*\(\w\))?|-+|"
                    r"\?+|—|–|\.\.\.)")
_AGE = re.compile(r"~?\d{1,3}(?:s|\+)?")
#: A cell under "Sex, age": "M, 34", "F/29".
_SEX_AGE = re.compile(r"(?i:m|f|male|female)[ \t]*[,/][ \t]*(?P<age>\d{1,3})")
_SEPARATOR_ROW = re.compile(r"[ \t]*\|?(?:[ \t]*:?-{2,}:?[ \t]*\|?)+[ \t]*")


def column_entity(header: str) -> str | None:
    """What the cells under the header cell ``header`` are, or None: "age" -> AGE,
    "victim" -> PERSON, "city/village" -> ADDRESS, "date of birth" -> DATE_OF_BIRTH."""
    h = " ".join(header.split()).strip(" :#*").casefold()
    h = re.sub(r"\s*\([^()]{1,20}\)$", "", h) or h  # "Name (Latin)", "Age (years)"
    if h in _HEADS:
        return _HEADS[h]
    m = _HEAD_PHRASES.fullmatch(h)
    if m is None:
        # two labels in one cell: "Sex, age", "Kebele / woreda", "Name/alias"
        parts = {_HEADS.get(p.strip()) for p in re.split(r"[,/]", h)} - {None}
        return next(iter(parts)) if len(parts) == 1 else None
    last = re.findall(r"\w+|\)", h)[-1]
    return "DATE_OF_BIRTH" if "birth" in h else _PHRASE_ENTITY.get(last)


def _split(line: str, sep: str) -> list[str]:
    """A row's cells as written; in a comma- or semicolon-separated row a quoted cell keeps
    its commas ("Aldea El Paraíso, Copán")."""
    if sep not in (",", ";"):
        return line.split(sep)
    parts, cur, quoted = [], [], False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        if ch == sep and not quoted:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    parts.append("".join(cur))
    return parts


def _cells(line: str, start: int, sep: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each cell of a row beginning at offset ``start``, its spaces,
    quotes and the row's outer bars left out."""
    out = []
    pos = 0
    parts = _split(line, sep)
    if sep == "|" and parts and not parts[0].strip():
        pos = len(parts[0]) + 1
        parts = parts[1:]
    if sep == "|" and parts and not parts[-1].strip():
        parts = parts[:-1]
    for part in parts:
        a = len(part) - len(part.lstrip(' \t"'))
        b = len(part.rstrip(' \t"'))
        out.append((start + pos + a, start + pos + max(a, b)))
        pos += len(part) + 1
    return out


def _lines(text: str) -> Iterator[tuple[int, str]]:
    pos = 0
    for line in text.split("\n"):
        yield pos, line
        pos += len(line) + 1


def table_cells(text: str) -> list[tuple[int, int, str]]:
    """``(start, end, entity)`` of every known column's cell of every table in ``text``."""
    return [(a, b, entity) for kind, a, b, entity in _parsed(text)
            if kind == "cell" and entity is not None]


def table_headers(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of every table's header row in ``text``: its cells are labels
    (:func:`_label_like`: "case_id", "nombre", "edad"), whatever the word lists say."""
    return [(a, b) for kind, a, b, _ in _parsed(text) if kind == "header"]


def in_header(headers: Sequence[tuple[int, int]], start: int, end: int) -> bool:
    """True if ``start``-``end`` lies inside one of ``headers`` (:func:`table_headers`)."""
    return any(a <= start and end <= b for a, b in headers)


@functools.lru_cache(maxsize=8)
def _parsed(text: str) -> tuple[tuple[str, int, int, str | None], ...]:
    """:func:`_read` once per text: detection, planning and the sweep all ask."""
    return tuple(_read(text))


def _read(text: str) -> Iterator[tuple[str, int, int, str | None]]:
    columns: list[str | None] | None = None
    sep = "|"
    lines = list(_lines(text))
    for k, (start, line) in enumerate(lines):
        if columns is not None:
            if _SEPARATOR_ROW.fullmatch(line) and "-" in line or \
                    not line.strip() and lines[k - 1][1].strip():
                continue  # a Markdown table's rule under its header; one blank line
            cells = _cells(line, start, sep)
            if sep in line and len(cells) == len(columns):
                for (a, b), entity in zip(cells, columns, strict=True):
                    if entity is not None and b > a:
                        for x, y in _cell(text, a, b, entity):
                            yield "cell", x, y, entity
                continue
            columns = None
        pairs = _label_value_row(text, line, start)
        if pairs:
            for (la, lb), (va, vb) in pairs:
                yield "header", la, lb, None  # the label: no one, whatever the lists say
                entity = column_entity(text[la:lb])
                if entity is not None and vb > va:
                    for x, y in _cell(text, va, vb, entity):
                        yield "cell", x, y, entity
            continue
        # a header told in a line of its own: "Column order (template v2): ref, date, name",
        # "... Columns: case ID | name | born | last seen"
        intro = _HEADER_INTRO.search(line)
        row, row_start = (line[intro.end():], start + intro.end()) if intro else (line, start)
        for sep in ("|", "\t", ",", ";"):
            if row.count(sep) < (3 if sep in (",", ";") else 2):
                continue
            heads = [text[a:b] for a, b in _cells(row, row_start, sep)]
            kinds = [column_entity(h) for h in heads]
            # a header: three short cells or more, none a number, one a column we know
            # (not a form's "| Name | Ali Hassan |"), and all of them labels unless a
            # Markdown rule is under it ("| Centro penal |": a first name list holds "Centro")
            # or two of them are columns we know ("| Nome | Idade | ... | Destino |")
            ruled = sep == "|" and k + 1 < len(lines) and "-" in lines[k + 1][1] and \
                _SEPARATOR_ROW.fullmatch(lines[k + 1][1]) is not None or \
                sum(kind is not None for kind in kinds) >= 2
            if len(heads) >= 3 and any(kinds) and all(
                    len(re.findall(r"[^\W\d_]+", h)) <= (3 if sep in (",", ";") else 5)
                    and not re.search(r"\d", h)
                    and (ruled or _label_like(h)) for h in heads):
                columns = kinds
                yield "header", row_start, start + len(line), None
                break


_HEADER_INTRO = re.compile(r"\b(?i:columns?|column\s+order|order|fields|header)\b"
                           r"[^:\n]{0,30}:[ \t]*")


def _label_value_row(text: str, line: str, start: int) -> list[tuple[tuple[int, int],
                                                                      tuple[int, int]]]:
    """A form's row of labels and values split by ``|`` or tabs, label first: "| Name | Ali
    Hassan | Village | Shali |". Each label a field label or a column's name (three words
    at most), and not every value one too (that is a table's header, "| Name | Age | Village
    | Phone |"): ``((label), (value))`` pairs, else none."""
    for sep in ("|", "\t"):
        if line.count(sep) < (2 if sep == "|" else 1):
            continue
        cells = _cells(line, start, sep)
        if len(cells) < 2 or len(cells) % 2:
            continue
        labels, values = cells[0::2], cells[1::2]
        if all(_field_label(text[a:b]) for a, b in labels) and \
                not all(_field_label(text[a:b]) for a, b in values):
            return list(zip(labels, values, strict=True))
    return []


def _field_label(cell: str) -> bool:
    h = " ".join(cell.split()).strip(" :#*")
    return 0 < len(h.split()) <= 3 and not re.search(r"\d", h) and (
        column_entity(h) is not None or all(w.casefold() in FIELD_LABELS for w in h.split()))


#: Column labels of other languages' spreadsheets ("fecha", "notas", "telefono").
_LABEL_WORDS = frozenset("""fecha folio origen telefono teléfono documento notas observaciones
sexo apellido apellidos direccion dirección estado municipio departamento data nome idade
endereço telefone sexe adresse nom prénom âge dokument tarikh jinsia no nr num sl sr sno
s""".split())


def _label_like(cell: str) -> bool:
    """A header cell made of labels only: each word a column's name, a field label, a
    dictionary word, an acronym ("FCN"), a joined label ("case_id", "hkid") or a word of
    another language's sheet ("cédula", "Captura"); never a capitalised first name. "Ali
    Hassan" is no label: a form's "| Name | Ali Hassan | Village | Shali |" is no table's
    header."""
    gaz = gazetteer()
    for w in re.findall(r"[^\W\d_]+", cell):
        low = w.casefold()
        if low in _HEADS or low in _LABEL_WORDS or low in FIELD_LABELS or low in STOP_WORDS:
            continue
        if w[:1].isupper() and low in gaz.first_names:
            return False  # "Ali", "Summer": a person in a row of data
        if not (w.islower() or w.isupper() or w[:1].isupper() and w[1:].islower()):
            return False
    return True


def _cell(text: str, a: int, b: int, entity: str) -> Iterator[tuple[int, int]]:
    value = text[a:b]
    if _EMPTY.fullmatch(value):
        return
    if entity == "AGE":
        m = _AGE.match(value)
        if m is not None and (m.end() == len(value) or not value[m.end()].isdigit()):
            yield a + m.start(), a + m.end()
        elif (m := _SEX_AGE.fullmatch(value)) is not None:
            yield a + m.start("age"), a + m.end("age")  # "M, 34": the age
        return
    yield a, b


class TableRecognizer(LocalRecognizer):
    """The cells of a pasted table's name, age, address and date-of-birth columns
    (:func:`table_cells`)."""

    ENTITIES = ("AGE", "PERSON", "ADDRESS", "DATE_OF_BIRTH")

    def __init__(self, language: str = "en") -> None:
        super().__init__(supported_entities=list(self.ENTITIES), supported_language=language,
                         name="TableRecognizer")

    def load(self) -> None:  # noqa: D102
        pass

    def analyze(self, text: str, entities: list[str],
                nlp_artifacts: NlpArtifacts | None = None) -> list[RecognizerResult]:
        wanted = set(entities) if entities else set(self.ENTITIES)
        return [RecognizerResult(entity_type=entity, start=a, end=b, score=0.9,
                                 recognition_metadata={
                                     RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                                     RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
                                     "rule": f"table:{entity.lower()}"})
                for a, b, entity in table_cells(text) if entity in wanted]
