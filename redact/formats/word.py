"""Word (.docx): every place in the package where text hides, as segments.

The package is opened as a zip and every XML part parsed with lxml (with
entities and network access off); python-docx opens it first as a sanity
check and opens the output again in the tests. Segments, in a stable order
(zip order of parts, then document order):

- one per paragraph (``w:p``, and DrawingML ``a:p`` in shapes and charts) in
  *every* part — body and tables, headers and footers, footnotes and
  endnotes, comments, text boxes, the glossary — made of its runs' text
  (``w:t``) *and* tracked deletions (``w:delText``: deleted text is still in
  the file), so a name split over several runs is seen whole;
- field codes (``w:instrText``, ``w:fldSimple/@w:instr``: HYPERLINK targets);
- attributes that carry people or descriptions: authors and initials of
  tracked changes and comments, ``w15:person`` authors and user ids, image
  descriptions and titles, hyperlink tooltips, watermark text, document
  variables;
- external relationship targets (hyperlinks, ``mailto:`` addresses,
  attached template paths);
- document properties: core (author, last modified by, title, subject,
  keywords, comments, category, ...), app (company, manager, ...), custom
  properties, and string values in custom XML parts and chart caches.

A redacted paragraph is written back into its runs: the replacement goes into
the first run the redacted stretch touches, and the replaced characters are
removed from the other runs, so formatting around a replacement is kept.

Images, embedded objects, charts and "alt chunks" cannot be checked. With
``embedded="remove"`` (default) they are dropped with their parts and
relationships, leaving a visible "[image removed]" marker, and the thumbnail
is deleted; with ``"keep"`` they stay and a warning says so.
"""

from __future__ import annotations

import io
import lzma
import posixpath
import re
import zipfile
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

from lxml import etree

from redact.errors import InputError
from redact.formats.base import Document, Piece, Redacted, distribute, edits_for, join_pieces

__all__ = ["DocxDocument", "read_docx_document", "MARKER_IMAGE", "MARKER_OBJECT"]

MARKER_IMAGE = "[image removed]"
MARKER_OBJECT = "[embedded object removed]"

_NS = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    "v": "urn:schemas-microsoft-com:vml",
    "o": "urn:schemas-microsoft-com:office:office",
    "c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
    "vt": "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes",
    "pr": "http://schemas.openxmlformats.org/package/2006/relationships",
    "ct": "http://schemas.openxmlformats.org/package/2006/content-types",
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
    "ep": "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties",
}


def _q(prefix: str, local: str) -> str:
    return f"{{{_NS[prefix]}}}{local}"


W_P, W_T, W_DEL_TEXT, W_INSTR = _q("w", "p"), _q("w", "t"), _q("w", "delText"), _q("w", "instrText")
W_R, W_DEL, W_TAB, W_BR, W_CR = _q("w", "r"), _q("w", "del"), _q("w", "tab"), _q("w", "br"), \
    _q("w", "cr")
W_NBH, W_DRAWING, W_PICT, W_OBJECT = _q("w", "noBreakHyphen"), _q("w", "drawing"), \
    _q("w", "pict"), _q("w", "object")
W_ALTCHUNK, W_TXBX = _q("w", "altChunk"), _q("w", "txbxContent")
A_P, A_T, A_BR, A_BLIP = _q("a", "p"), _q("a", "t"), _q("a", "br"), _q("a", "blip")
MC_ALT = _q("mc", "AlternateContent")
V_IMAGEDATA, V_TEXTBOX = _q("v", "imagedata"), _q("v", "textbox")
C_STRCACHE, C_V = _q("c", "strCache"), _q("c", "v")
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"

_PARAGRAPHS = {W_P, A_P}
_TEXTS = {W_T, W_DEL_TEXT, A_T}
_SEPARATORS = {W_TAB: "\t", W_BR: "\n", W_CR: "\n", W_NBH: "-", A_BR: "\n"}
#: attribute local names that carry people, descriptions or link text
_ATTRS = {"author", "initials", "userId", "descr", "title", "tooltip", "instr",
          "string", "alt"}
_CHECKED_ATTRS = _ATTRS | {"Target"}
_VT_STRINGS = {_q("vt", "lpwstr"), _q("vt", "lpstr"), _q("vt", "bstr")}
_VT_NUMBERS = {_q("vt", n) for n in ("i1", "i2", "i4", "i8", "int", "ui1", "ui2", "ui4", "ui8",
                                     "uint", "decimal", "r4", "r8")}
_CORE_KEEP = {_q("dcterms", "created"), _q("dcterms", "modified"), _q("cp", "revision"),
              _q("cp", "lastPrinted")}
_APP_TEXT = {_q("ep", n) for n in ("Company", "Manager", "HyperlinkBase", "Template")}
_REMOVED_REL_TYPES = ("/image", "/oleObject", "/package", "/chart", "/diagramData",
                      "/diagramLayout", "/diagramQuickStyle", "/diagramColors",
                      "/diagramDrawing", "/aFChunk", "/thumbnail", "/video", "/audio", "/media",
                      "/control", "/ctrlProp", "/chartUserShapes", "/oleObject")

#: Limits against zip bombs (a statement is never this large). The whole package is held
#: in memory several times over (parts, python-docx's check, the output and its re-check):
#: peak RSS is about five times the unpacked size, so 256 MiB keeps it near 1.5 GB.
MAX_PARTS = 10_000
MAX_UNCOMPRESSED = 256 * 1024 * 1024
MAX_PART = 256 * 1024 * 1024


@dataclass(frozen=True)
class _Ref:
    """Where a piece of text lives: element number ``idx`` of ``part``; ``attr`` or its text."""

    part: str
    idx: int
    attr: str | None = None


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False,
                           remove_blank_text=False, load_dtd=False)


def _is_xml(name: str) -> bool:
    return name.endswith((".xml", ".rels", ".vml"))


_STANDARD_PART = re.compile(
    r"(\[Content_Types\]\.xml|_rels/\.rels"
    r"|docProps/(core|app|custom)\.xml|docProps/thumbnail\.[a-z]{3,4}"
    r"|(word|customXml)/(_rels/)?(glossary/)?(document|styles|stylesWithEffects|settings"
    r"|webSettings|fontTable|numbering|footnotes|endnotes|comments|commentsExtended"
    r"|commentsIds|commentsExtensible|people|header\d*|footer\d*|theme/theme\d*|item\d*"
    r"|itemProps\d*|vbaData|vbaProject)\.(xml|bin)(\.rels)?"
    r"|word/(media|embeddings)/(image|oleObject|Microsoft_\w+)\d*\.\w{1,5})")


def _part_label(name: str) -> str:
    """A part's name for messages: standard names as they are, others not quoted.

    A crafted file can name a part after a person ("customXml/<name>.xml"), and
    messages, reports and manifests must never carry text from the file.
    """
    if _STANDARD_PART.fullmatch(name):
        return name
    ext = posixpath.splitext(name)[1][:8]
    return f"a non-standard {ext or 'extensionless'} part"


class DocxDocument(Document):
    """A Word document: the parsed package and the map from segments back into it."""

    def __init__(self, name: str, data: bytes, embedded: str = "remove") -> None:
        super().__init__(name=name, kind="docx")
        self._infos, self._raw = self._unzip(data)
        self._trees: dict[str, etree._ElementTree] = {}
        for info in self._infos:
            if _is_xml(info.filename):
                try:
                    self._trees[info.filename] = etree.parse(io.BytesIO(
                        self._raw[info.filename]), _parser())
                except etree.XMLSyntaxError:
                    raise InputError(f"'{name}': {_part_label(info.filename)} is not "
                                     "well-formed XML",
                                     "The Word file is damaged; open and save it again in "
                                     "Word or LibreOffice.") from None
        if "word/document.xml" not in self._trees and not any(
                n.endswith("document.xml") for n in self._trees):
            raise InputError(f"'{name}' has no main document part", "Is it really a .docx?")
        self._removed: set[str] = set()
        self._changed: set[str] = set()
        self._embedded(embedded)
        self._pieces: list[list[Piece]] = []
        self._numeric: set[int] = set()  # segments that are numeric property values
        for part in [i.filename for i in self._infos if i.filename in self._trees]:
            if part not in self._removed:
                self._collect(part)
        self.segments = [join_pieces(p) for p in self._pieces]

    # ---- package ---------------------------------------------------------------------------

    def _unzip(self, data: bytes) -> tuple[list[zipfile.ZipInfo], dict[str, bytes]]:
        try:
            zf = zipfile.ZipFile(io.BytesIO(data))
            infos = zf.infolist()
            if len(infos) > MAX_PARTS:
                raise InputError(f"'{self.name}' has more than {MAX_PARTS} parts",
                                 "This is not an ordinary Word file.")
            total = 0
            raw: dict[str, bytes] = {}
            for info in infos:
                if info.is_dir():
                    continue
                total += info.file_size
                if info.file_size > MAX_PART or total > MAX_UNCOMPRESSED:
                    raise InputError(f"'{self.name}' unpacks to more than "
                                     f"{MAX_UNCOMPRESSED // 2**20} MiB",
                                     "This is not an ordinary Word file.")
                if info.filename in raw:
                    raise InputError(f"'{self.name}' holds {_part_label(info.filename)} twice",
                                     "The Word file is damaged or crafted.")
                with zf.open(info) as fh:
                    blob = fh.read(MAX_PART + 1)
                if len(blob) > MAX_PART:
                    raise InputError(f"'{self.name}' has a part larger than "
                                     f"{MAX_PART // 2**20} MiB", "This is not an ordinary "
                                     "Word file.")
                raw[info.filename] = blob
            return [i for i in infos if not i.is_dir()], raw
        except InputError:
            raise
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError,
                NotImplementedError, RuntimeError, KeyError, IndexError, OverflowError,
                zlib.error, lzma.LZMAError) as exc:
            raise InputError(f"'{self.name}' is not a readable Word file "
                             f"({type(exc).__name__})",
                             "The file is damaged or not a .docx; open and save it again in "
                             "Word or LibreOffice.") from None

    def _rels_name(self, part: str) -> str:
        d, b = posixpath.split(part)
        return posixpath.join(d, "_rels", b + ".rels")

    def _rel_target(self, rels_part: str, target: str) -> str:
        # word/_rels/document.xml.rels + media/x.png -> word/media/x.png
        base = posixpath.dirname(posixpath.dirname(rels_part))
        if target.startswith("/"):
            return target.lstrip("/")
        return posixpath.normpath(posixpath.join(base, target))

    def _embedded(self, mode: str) -> None:
        images = objects = 0
        if mode == "keep":
            for tree in self._trees.values():
                root = tree.getroot()
                images += sum(1 for _ in root.iter(W_DRAWING, W_PICT))
                objects += sum(1 for _ in root.iter(W_OBJECT, W_ALTCHUNK))
            media = sum(1 for i in self._infos if "/media/" in i.filename
                        or "/embeddings/" in i.filename)
            if images or objects or media:
                self.warnings.append(f"{images + objects} embedded image(s)/object(s) and "
                                     f"{media} media part(s) were kept: their content cannot "
                                     "be checked for identifiers")
            return
        for part, tree in self._trees.items():
            root = tree.getroot()
            if root.tag != _q("w", "document") and not part.startswith("word/"):
                continue
            for el in list(root.iter(W_DRAWING, W_PICT, W_OBJECT, W_ALTCHUNK)):
                if el.getparent() is None or not _attached(el, root):
                    continue
                if el.tag in (W_DRAWING, W_PICT) and _has_text_box(el):
                    for blip in el.iter(A_BLIP, V_IMAGEDATA):  # keep the box, drop its picture
                        for att in list(blip.attrib):
                            if att.startswith(f"{{{_NS['r']}}}"):
                                del blip.attrib[att]
                                self._changed.add(part)
                    continue
                marker = MARKER_IMAGE if el.tag in (W_DRAWING, W_PICT) else MARKER_OBJECT
                if el.tag == W_ALTCHUNK:
                    el.getparent().remove(el)
                else:
                    target = el
                    parent = el.getparent()
                    while parent is not None and parent.tag in (_q("mc", "Choice"),
                                                                _q("mc", "Fallback"), MC_ALT):
                        target, parent = parent, parent.getparent()
                    if parent is None:
                        continue
                    t = etree.Element(W_T)
                    t.text = marker
                    t.set(XML_SPACE, "preserve")
                    if parent.tag == W_R:
                        parent.replace(target, t)
                    else:  # not inside a run: wrap the marker in one
                        r = etree.Element(W_R)
                        r.append(t)
                        parent.replace(target, r)
                if marker == MARKER_IMAGE:
                    images += 1
                else:
                    objects += 1
                self._changed.add(part)
        # drop relationships no longer referenced, and the parts they pointed to
        self._prune_relationships()
        if images or objects:
            self.warnings.append(f"{images} image(s) and {objects} embedded object(s) were "
                                 "removed (their content cannot be checked); markers show where")

    def _prune_relationships(self) -> None:
        """Remove every image/object relationship, the attributes naming it, and its part."""
        r_ns = f"{{{_NS['r']}}}"
        for rels_part, tree in list(self._trees.items()):
            if not rels_part.endswith(".rels") or rels_part in self._removed:
                continue
            gone: set[str] = set()
            for rel in list(tree.getroot()):
                if not rel.get("Type", "").endswith(_REMOVED_REL_TYPES):
                    continue
                tree.getroot().remove(rel)
                gone.add(rel.get("Id", ""))
                self._changed.add(rels_part)
                if rel.get("TargetMode") != "External":
                    self._drop_part(self._rel_target(rels_part, rel.get("Target", "")))
            owner = self._owner_of(rels_part)
            if gone and owner in self._trees:
                for el in self._trees[owner].getroot().iter():
                    for k in [k for k, v in el.attrib.items() if k.startswith(r_ns)
                              and v in gone]:
                        del el.attrib[k]
                        self._changed.add(owner)

    def _owner_of(self, rels_part: str) -> str | None:
        d, b = posixpath.split(rels_part)
        if posixpath.basename(d) != "_rels":
            return None
        return posixpath.join(posixpath.dirname(d), b[:-len(".rels")])

    def _drop_part(self, part: str) -> None:
        names = {i.filename for i in self._infos}
        if part not in names or part in self._removed:
            return
        referenced = False
        for rels_part, tree in self._trees.items():
            if rels_part.endswith(".rels") and rels_part not in self._removed:
                for rel in tree.getroot():
                    if rel.get("TargetMode") != "External" and self._rel_target(
                            rels_part, rel.get("Target", "")) == part:
                        referenced = True
        if referenced:
            return
        self._removed.add(part)
        rels = self._rels_name(part)
        if rels in names:
            self._removed.add(rels)
            for rel in self._trees[rels].getroot() if rels in self._trees else []:
                if rel.get("TargetMode") != "External":
                    self._drop_part(self._rel_target(rels, rel.get("Target", "")))
        ct = self._trees.get("[Content_Types].xml")
        if ct is not None:
            for ov in list(ct.getroot()):
                if ov.get("PartName", "").lstrip("/") == part:
                    ct.getroot().remove(ov)
                    self._changed.add("[Content_Types].xml")

    # ---- segments --------------------------------------------------------------------------

    def _collect(self, part: str) -> None:
        root = self._trees[part].getroot()
        elements = list(root.iter())  # keeps the proxies alive, so id() is stable
        index = {id(el): i for i, el in enumerate(elements)}

        def ref(el: etree._Element, attr: str | None = None) -> _Ref:
            return _Ref(part, index[id(el)], attr)

        def add(pieces: list[Piece], numeric: bool = False) -> None:
            if any(ch.isalnum() for p in pieces for ch in p.text):
                if numeric:
                    self._numeric.add(len(self._pieces))
                self._pieces.append(pieces)

        paragraphs: list[list[Piece]] = []
        current: list[list[Piece]] = []
        deleted_state: list[bool | None] = []

        def walk(el: etree._Element, in_del: bool) -> None:
            tag = el.tag
            if not isinstance(tag, str):  # comments, processing instructions
                return
            if tag in _PARAGRAPHS:
                if current:
                    current[-1].append(Piece("\n"))
                current.append([])
                deleted_state.append(None)
                for child in el:
                    walk(child, in_del)
                paragraphs.append(current.pop())
                deleted_state.pop()
                return
            if tag in _TEXTS and current:
                text = el.text or ""
                now = in_del or tag == W_DEL_TEXT
                prev = deleted_state[-1]
                pieces = current[-1]
                if (prev is not None and prev != now and pieces and pieces[-1].text
                        and not pieces[-1].text[-1].isspace() and text
                        and not text[0].isspace()):
                    pieces.append(Piece(" "))  # keep deleted and inserted words apart
                deleted_state[-1] = now
                pieces.append(Piece(text, ref(el)))
            elif tag in _TEXTS or tag in _VT_STRINGS or (tag == C_V and _in(el, C_STRCACHE)):
                if el.text:
                    add([Piece(el.text, ref(el))])
            elif tag in _VT_NUMBERS and el.text and part.startswith("docProps/"):
                add([Piece(el.text, ref(el))], numeric=True)
            elif tag == W_INSTR and el.text:
                add([Piece(el.text, ref(el))])
            elif tag in _SEPARATORS and current:
                current[-1].append(Piece(_SEPARATORS[tag]))
            for k, v in el.attrib.items():
                if v and etree.QName(k).localname in _ATTRS - {"initials"}:
                    add([Piece(v, ref(el, k))])
            if tag == _q("w", "docVar") and el.get(_q("w", "val")):
                add([Piece(el.get(_q("w", "val"), ""), ref(el, _q("w", "val")))])
            child_del = in_del or tag == W_DEL or tag == _q("w", "moveFrom")
            for child in el:
                walk(child, child_del)

        if part.endswith(".rels"):
            for rel in root:
                if rel.get("TargetMode") == "External" and rel.get("Target"):
                    add([Piece(rel.get("Target", ""), ref(rel, "Target"))])
            return
        if part == "docProps/core.xml":
            for el in root:
                if el.tag not in _CORE_KEEP and el.text and len(el) == 0:
                    add([Piece(el.text, ref(el))])
            return
        if part == "docProps/app.xml":
            for el in root.iter():
                if el.text and (el.tag in _APP_TEXT or el.tag in _VT_STRINGS):
                    add([Piece(el.text, ref(el))])
            return
        walk(root, False)
        # paragraphs come out innermost-first; restore document order of their first piece
        order = {id(p): i for i, p in enumerate(paragraphs)}
        paragraphs.sort(key=lambda p: (_first_idx(p), order[id(p)]))
        for p in paragraphs:
            add(p)

    # ---- rendering -------------------------------------------------------------------------

    def render(self, redacted: Sequence[Redacted]) -> bytes:
        self._check_len(redacted)
        todo: dict[str, list[tuple[_Ref, str]]] = {}
        retype: set[_Ref] = set()
        for i, (pieces, seg, red) in enumerate(zip(self._pieces, self.segments, redacted,
                                                   strict=True)):
            edits = edits_for(seg, red)
            if not edits:
                continue
            for p, text in zip(pieces, distribute(pieces, edits), strict=True):
                if p.ref is not None and text is not None and text != p.text:
                    todo.setdefault(p.ref.part, []).append((p.ref, text))
                    if i in self._numeric:
                        retype.add(p.ref)
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
            for info in self._infos:
                name = info.filename
                if name in self._removed:
                    continue
                if name in todo or name in self._changed:
                    tree = self._trees[name]
                    root = etree.fromstring(etree.tostring(tree.getroot()), _parser())
                    elements = list(root.iter())
                    for r, text in todo.get(name, []):
                        el = elements[r.idx]
                        if r.attr is not None:
                            el.set(r.attr, text)
                            if etree.QName(r.attr).localname == "author":
                                _set_initials(el, text)
                        else:
                            el.text = text
                            if el.tag in (W_T, W_DEL_TEXT, W_INSTR):
                                el.set(XML_SPACE, "preserve")
                            if r in retype:
                                el.tag = _q("vt", "lpwstr")
                    standalone = tree.docinfo.standalone
                    blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                          standalone=standalone)
                else:
                    blob = self._raw[name]
                zi = zipfile.ZipInfo(name, date_time=info.date_time)
                zi.compress_type = zipfile.ZIP_DEFLATED
                zi.external_attr = info.external_attr
                zf.writestr(zi, blob)
        return out.getvalue()

    def reread_options(self) -> dict[str, object]:
        return {}

    def output_texts(self, output: bytes) -> list[tuple[str, str]]:
        """Every text node of every XML part, the text-bearing attributes, other parts as text.

        Structural attribute values (style ids, font names, sizes) are left out:
        they are not document text and would only raise false alarms.
        """
        out: list[tuple[str, str]] = []
        with zipfile.ZipFile(io.BytesIO(output)) as zf:
            # part names are text too (a part can be named after a person)
            out.append(("part names", "\n".join(i.filename for i in zf.infolist())))
            for info in zf.infolist():
                blob = zf.read(info)
                where = _part_label(info.filename)
                if not _is_xml(info.filename):
                    out.append((where, blob.decode("utf-8", "replace")))
                    continue
                root = etree.fromstring(blob, _parser())
                texts = []
                for el in root.iter():
                    if isinstance(el.tag, str):
                        if el.text and el.text.strip():
                            texts.append(el.text)
                        texts.extend(v for k, v in el.attrib.items()
                                     if etree.QName(k).localname in _CHECKED_ATTRS)
                    if el.tail and el.tail.strip():
                        texts.append(el.tail)
                out.append((where, "\n".join(texts)))
        return out


def _set_initials(el: etree._Element, author: str) -> None:
    """Initials follow a redacted author ("Person B" -> "PB"): they identify too."""
    for k in el.attrib:
        if etree.QName(k).localname == "initials":
            el.set(k, "".join(w[0] for w in author.split() if w[0].isalnum())[:9])


def _first_idx(pieces: list[Piece]) -> int:
    for p in pieces:
        if p.ref is not None:
            return int(p.ref.idx)
    return 1 << 62


def _in(el: etree._Element, tag: str) -> bool:
    return any(a.tag == tag for a in el.iterancestors())


def _attached(el: etree._Element, root: etree._Element) -> bool:
    return any(a is root for a in el.iterancestors()) or el is root


def _has_text_box(el: etree._Element) -> bool:
    return any(True for _ in el.iter(W_TXBX, V_TEXTBOX))


def read_docx_document(data: bytes, name: str, embedded: str = "remove") -> DocxDocument:
    """Read a Word document (also opened once with python-docx, which must accept it)."""
    doc = DocxDocument(name, data, embedded)
    try:
        import docx
        docx.Document(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 - python-docx raises many types on bad input
        raise InputError(f"'{name}' cannot be opened as a Word document "
                         f"({type(exc).__name__})",
                         "Open and save it again in Word or LibreOffice.") from None
    return doc
