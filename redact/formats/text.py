"""Plain text: decoding (BOMs, UTF-8, detected legacy code pages) and encoding back.

Decoding is strict: UTF-8 first (with or without BOM), UTF-16/32 with a BOM,
else an encoding the caller names, else a detection (charset-normalizer)
restricted to text that looks like text. Undecodable input is an
:class:`~redact.errors.InputError`, never mojibake. Line endings are kept as
they are. Output goes back in the input's encoding with its BOM; if a
replacement cannot be encoded there, the output is written as UTF-8 and a
warning says so (unless the caller named the output encoding, then it is an
error).
"""

from __future__ import annotations

import codecs
from collections.abc import Sequence
from dataclasses import dataclass

from redact.errors import InputError, OutputError
from redact.formats.base import Document, Redacted, text_of

__all__ = ["Decoded", "decode_text", "encode_text", "TextDocument", "read_text_document",
           "ENCODING_HELP"]

_BOMS = [  # longest first: the UTF-32-LE BOM starts with the UTF-16-LE one
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
]

#: Legacy encodings accepted from detection (others must be named explicitly).
_DETECTABLE = {"cp1252", "latin_1", "iso8859_15", "cp1251", "koi8_r", "cp1250", "iso8859_2",
               "cp1256", "cp1254", "iso8859_9", "mac_roman", "cp1253", "iso8859_7"}

_LATIN = {"cp1252", "latin_1", "iso8859_15", "cp1250", "iso8859_2", "cp1254", "iso8859_9",
          "mac_roman"}

#: What :func:`decode_text` does when no encoding is named, for the CLI's --encoding help.
ENCODING_HELP = ("The text encoding of text inputs. Default: UTF-8 (with or without BOM), "
                 "UTF-16/32 with a BOM, else a guess among common legacy code pages "
                 "(Windows-1252, Latin-1, Windows-1251, KOI8-R, ...), refused if unsure; "
                 "UTF-16 without a BOM and any other encoding must be named here.")

#: Largest piece of text given to the redactor as one segment.
MAX_SEGMENT_CHARS = 200_000


@dataclass(frozen=True)
class Decoded:
    """Decoded text and how to write it back: ``encoding`` (a Python codec) and ``bom``."""

    text: str
    encoding: str
    bom: bytes
    detected: bool = False


def _control_ratio(text: str) -> float:
    if not text:
        return 0.0
    bad = sum(1 for ch in text if (ord(ch) < 32 and ch not in "\t\n\r\f\v") or ch == "\x7f")
    return bad / len(text)


def decode_text(data: bytes, name: str, encoding: str | None = None) -> Decoded:
    """Decode ``data`` strictly; see the module docstring for the order tried."""
    if encoding:
        return _decode_named(data, name, encoding)
    for b, enc in _BOMS:
        if data.startswith(b):
            try:
                return Decoded(data[len(b):].decode(enc), enc, b)
            except UnicodeDecodeError as exc:
                raise InputError(f"'{name}' starts with a {enc.upper()} byte order mark but "
                                 f"is not valid {enc.upper()} (byte {exc.start + len(b)})",
                                 "The file is damaged or mislabelled; re-export it as "
                                 "UTF-8.") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        if "\x00" in text:
            raise InputError(f"'{name}' contains NUL bytes: it is binary or UTF-16 without a "
                             "byte order mark", "Name the encoding (e.g. utf-16-le), or convert "
                             "the file to UTF-8.")
        return Decoded(text, "utf-8", b"")
    return _detect(data, name)


def _decode_named(data: bytes, name: str, encoding: str) -> Decoded:
    try:
        codec = codecs.lookup(encoding).name
    except LookupError:
        raise InputError(f"'{name}': unknown encoding {encoding!r}",
                         "Name a Python codec, e.g. utf-8, cp1252, latin-1, utf-16.") from None
    bom, enc = b"", codec
    family = codec.replace("-sig", "").removesuffix("-le").removesuffix("-be")
    for b, bom_enc in _BOMS:
        if data.startswith(b) and bom_enc.startswith(family):
            bom, enc = b, bom_enc
            break
    else:
        if codec == "utf-8-sig":
            enc = "utf-8"
        elif codec in ("utf-16", "utf-32"):
            enc = codec + "-le"
    try:
        text = data[len(bom):].decode(enc)
    except UnicodeDecodeError as exc:
        raise InputError(f"'{name}' is not valid {encoding} text (byte {exc.start + len(bom)})",
                         "Check the file's encoding and name the right one.") from None
    return Decoded(text, enc, bom)


def _detect(data: bytes, name: str) -> Decoded:
    todo = ("Name the file's encoding (e.g. --encoding cp1252, cp1251, latin-1), or convert "
            "it to UTF-8.")
    if b"\x00" in data:
        raise InputError(f"'{name}' is not UTF-8 text and contains NUL bytes (binary data, or "
                         "UTF-16 without a byte order mark)", todo)
    try:
        from charset_normalizer import from_bytes
        matches = from_bytes(data, cp_isolation=sorted(_DETECTABLE))
        best = matches.best()
        plausible = {m.encoding for m in matches} | {
            e for m in matches for e in m.could_be_from_charset}
    except Exception:  # noqa: BLE001 - a detector failure is just "not detected"
        best, plausible = None, set()
    candidates = []
    # Western European text decodes in several Latin code pages; Windows-1252 is what
    # Word and Windows editors write, so it wins whenever the detector finds it plausible.
    if best is not None and best.encoding in _DETECTABLE - _LATIN:
        candidates.append(best.encoding)
    elif best is not None and "cp1252" not in plausible and best.encoding in _DETECTABLE:
        candidates.append(best.encoding)
    candidates.append("cp1252")
    for enc in candidates:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if _control_ratio(text) > 0.01:
            break
        return Decoded(text, enc, b"", detected=True)
    raise InputError(f"'{name}' is not valid UTF-8 text and its encoding could not be "
                     "detected", todo)


def encode_text(text: str, decoded: Decoded, name: str, output_encoding: str | None,
                warnings: list[str]) -> tuple[bytes, str]:
    """Encode ``text`` for output; returns ``(bytes, python codec used)``."""
    if output_encoding:
        try:
            codec = codecs.lookup(output_encoding).name
        except LookupError:
            raise OutputError(f"unknown output encoding {output_encoding!r}",
                              "Name a Python codec, e.g. utf-8, cp1252, utf-16.") from None
        try:
            body = text.encode(codec)
        except UnicodeEncodeError as exc:
            raise OutputError(f"'{name}': the redacted text has a character at offset "
                              f"{exc.start} that {output_encoding} cannot encode",
                              "Choose an output encoding such as utf-8.") from None
        return body, codec  # utf-16, utf-32 and utf-8-sig write their own BOM
    try:
        return decoded.bom + text.encode(decoded.encoding), decoded.encoding
    except UnicodeEncodeError as exc:
        warnings.append(f"a replacement (offset {exc.start}) cannot be encoded in "
                        f"{decoded.encoding}; the output is written as UTF-8 instead")
        return text.encode("utf-8"), "utf-8"


class TextDocument(Document):
    """A plain-text statement: the text in segments of at most ``MAX_SEGMENT_CHARS``."""

    def __init__(self, name: str, decoded: Decoded, output_encoding: str | None = None,
                 kind: str = "text") -> None:
        super().__init__(name=name, kind=kind)
        self.decoded = decoded
        self.output_encoding = output_encoding
        self.written_encoding: str | None = None
        self.segments = split_text(decoded.text)
        if decoded.detected:
            self.warnings.append(f"encoding detected as {decoded.encoding} (not UTF-8); name "
                                 "it with --encoding if the output looks wrong")

    def render(self, redacted: Sequence[Redacted]) -> bytes:
        self._check_len(redacted)
        text = "".join(text_of(r) for r in redacted)
        data, self.written_encoding = encode_text(text, self.decoded, self.name,
                                                  self.output_encoding, self.warnings)
        return data

    def reread_options(self) -> dict[str, object]:
        return {"encoding": self.written_encoding}

    def output_texts(self, output: bytes) -> list[tuple[str, str]]:
        """The whole output file, decoded."""
        return [("file", decode_text(output, self.name, self.written_encoding).text)]


def split_text(text: str, limit: int = MAX_SEGMENT_CHARS) -> list[str]:
    """Cut ``text`` into consecutive pieces no longer than ``limit``, at blank lines if any.

    ``"".join(split_text(t)) == t``. Short texts are one segment.
    """
    if len(text) <= limit:
        return [text] if text else []
    out, pos = [], 0
    while pos < len(text):
        if len(text) - pos <= limit:
            out.append(text[pos:])
            break
        window = text[pos:pos + limit]
        cut = max(window.rfind("\n\n"), window.rfind("\r\n\r\n"))
        if cut <= 0:
            cut = window.rfind("\n")
        if cut <= 0:
            cut = window.rfind(" ")
        cut = limit if cut <= 0 else cut + 1
        out.append(text[pos:pos + cut])
        pos += cut
    return out


def read_text_document(data: bytes, name: str, encoding: str | None,
                       output_encoding: str | None) -> TextDocument:
    """Read a plain-text statement."""
    return TextDocument(name, decode_text(data, name, encoding), output_encoding)
