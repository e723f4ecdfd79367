"""Fuzz targets shared by the CI tests (``tests/properties/test_fuzz_targets.py``, a few
hundred inputs each) and the long driver (``tests/tools/fuzz_long.py``, ten thousand or more each).

Each target is a hypothesis strategy and a check function. The rule for every target:
only redact's own errors (:class:`redact.errors.RedactError`) may come out, and no input
may take more than :data:`MAX_SECONDS`. Where a well-formed input is generated, the check
also asserts the right answer (a correctly sealed payload opens to its plaintext, an
unchanged document renders back to its bytes).
"""

from __future__ import annotations

import atexit
import io
import json
import os
import shutil
import tempfile
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from redact import seal as S
from redact._internal.age.header import Stanza, b64encode_raw
from redact._internal.age.reader import Reader
from redact._internal.age.stream import CHUNK_SIZE, decrypt_stream, payload_key
from redact.errors import AgeError, AgePayloadError, RedactError

MAX_SECONDS = 2.0


class SlowInput(AssertionError):
    """An input took longer than MAX_SECONDS."""


@dataclass
class Target:
    name: str
    strategy: st.SearchStrategy[Any]
    check: Callable[[Any], None]
    calls: int = 0
    slowest: float = 0.0
    own_errors: int = 0
    errors: dict[str, int] = field(default_factory=dict)

    def run(self, value: Any) -> None:
        self.calls += 1
        t0 = time.perf_counter()
        try:
            self.check(value)
        except RedactError as exc:
            self.own_errors += 1
            name = type(exc).__name__
            self.errors[name] = self.errors.get(name, 0) + 1
        finally:
            dt = time.perf_counter() - t0
            self.slowest = max(self.slowest, dt)
        if dt > MAX_SECONDS:
            raise SlowInput(f"{self.name}: one input took {dt:.2f} s (limit {MAX_SECONDS} s)")


_WORK = Path(tempfile.mkdtemp(prefix="redact-fuzz-"))
# fuzzed policies and identity files: gone when the run ends, not left in the temp folder
atexit.register(shutil.rmtree, _WORK, ignore_errors=True)


def _tmpfile(name: str, data: bytes, mode: int = 0o600) -> Path:
    p = _WORK / f"{os.getpid()}-{name}"
    p.write_bytes(data)
    os.chmod(p, mode)
    return p


# ---------------------------------------------------------------------------------------
# policy loader
# ---------------------------------------------------------------------------------------

from redact.policy import Policy, shipped_policy_dir  # noqa: E402

_SHIPPED = (shipped_policy_dir() / "testimony.yaml").read_text(encoding="utf-8")

_yaml_atoms = st.sampled_from([
    "entities:", "\n", "  ", "PERSON:", "DEFAULT:", "{action: redact, threshold: 0.5}",
    "action:", "threshold:", " 0.5", " -1", " 1e309", " .nan", " pseudonymize", " keep",
    "allow:", "deny:", "- ", "{text: Ramzan Kadyrov, variants: [Kadyrov], entity: PERSON}",
    "recognizers:", "name: r1", "patterns:", "regex: '(a+)+$'", "regex: '['", "score: 0.7",
    "extends: testimony.yaml", "extends: strict.yaml", "extends: nowhere.yaml",
    "extends: ../../../../etc/passwd", "verify:", "deep: true", "model: en_core_web_sm",
    "language: xx", "&a ", "*a", "!!python/object:os.system", "!!binary AAAA", "? ", ": ",
    "[", "]", "{", "}", ",", "'", '"', "#", "%YAML 1.1\n", "---\n", "...\n", "\t", "\x00",
    "label: Person", "mask_char: '*'", "label: " + "x" * 50, "keep_large_places: true",
    "keep_public_bodies: true",
])

_scalar = st.one_of(st.none(), st.booleans(), st.integers(-10, 10**6),
                    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=20),
                    st.sampled_from(["redact", "mask", "replace", "pseudonymize", "generalize",
                                     "keep", "PERSON", "testimony.yaml", "(a|b", "\\d{3}"]))
_entity_rule = st.dictionaries(
    st.sampled_from(["action", "threshold", "label", "mask_char", "keep_large_places",
                     "keep_public_bodies",
                     "large_place_population", "bogus"]), _scalar, max_size=4)
_policy_dict = st.fixed_dictionaries({}, optional={
    "extends": st.sampled_from(["testimony.yaml", "strict.yaml", "missing.yaml", 3]),
    "language": _scalar,
    "model": _scalar,
    "entities": st.one_of(st.dictionaries(
        st.sampled_from(["DEFAULT", "PERSON", "LOCATION", "lower", "X_Y", ""]),
        st.one_of(_entity_rule, _scalar), max_size=4), _scalar),
    "allow": st.lists(st.one_of(st.text(max_size=15), st.fixed_dictionaries(
        {"text": _scalar}, optional={"variants": st.lists(_scalar, max_size=3),
                                     "entity": _scalar})), max_size=4),
    "deny": st.lists(st.one_of(st.text(max_size=15), st.fixed_dictionaries(
        {"text": _scalar}, optional={"entity": _scalar})), max_size=4),
    "recognizers": st.lists(st.dictionaries(
        st.sampled_from(["name", "entity", "patterns", "context", "score", "regex", "words"]),
        st.one_of(_scalar, st.lists(st.dictionaries(
            st.sampled_from(["name", "regex", "score"]), _scalar, max_size=3), max_size=2))),
        max_size=3),
    "verify": st.one_of(st.dictionaries(st.sampled_from(["deep", "reanalyze", "bogus"]),
                                        _scalar, max_size=2), _scalar),
})


def _load_policy_text(text: str) -> None:
    p = _tmpfile("policy.yaml", text.encode("utf-8", "surrogatepass"))
    Policy.load(p)


def check_policy_text(text: str) -> None:
    _load_policy_text(text)


def check_policy_tokens(parts: list[str]) -> None:
    _load_policy_text("".join(parts))


def check_policy_dict(data: dict[str, Any]) -> None:
    pol = Policy.from_dict(data)
    pol.summary()
    pol.sha256()


def check_policy_mutated(edit: tuple[int, int, str]) -> None:
    pos, cut, insert = edit
    pos %= len(_SHIPPED)
    _load_policy_text(_SHIPPED[:pos] + insert + _SHIPPED[pos + cut:])


# ---------------------------------------------------------------------------------------
# age: header, stanzas, armor, STREAM, key files
# ---------------------------------------------------------------------------------------

X = S.generate_identity("x25519")
PQ = S.generate_identity("pq")
IDENTITIES: list[S.Identity] = [X, PQ, S.ScryptIdentity("pw", max_work_factor=10)]
PLAIN = b"fuzz me " * 40
SEALED = {
    "x25519": S.seal_bytes(PLAIN, [X.recipient]),
    "pq": S.seal_bytes(PLAIN, [PQ.recipient]),
    "scrypt": S.seal_bytes(PLAIN, [S.ScryptRecipient("pw", 4)]),
    "armored": S.seal_bytes(PLAIN, [X.recipient], armor=True),
    "two": S.seal_bytes(PLAIN, [PQ.recipient, S.generate_identity("pq").recipient]),
}


def _open(data: bytes, armor: bool | None = None) -> bytes:
    return S.open_bytes(data, IDENTITIES, armor=armor)


def check_age_bytes(data: bytes) -> None:
    try:
        _open(data)
    finally:
        try:
            _open(b"age-encryption.org/v1\n" + data)
        except AgeError:
            pass


_header_atoms = st.sampled_from(
    [b"age-encryption.org/v1\n", b"-> ", b"X25519 ", b"scrypt ", b"mlkem768x25519 ", b"--- ",
     b"\n", b"\r\n", b" ", b"=", b"A" * 43, b"A" * 64, b"AAAA", b"10", b"-", b"\x00", b"\xff",
     b"age-encryption.org/v2\n", b"-----BEGIN AGE ENCRYPTED FILE-----\n",
     b"-----END AGE ENCRYPTED FILE-----\n", b"\t", b"x" * 70])


def check_age_tokens(parts: list[bytes]) -> None:
    check_age_bytes(b"".join(parts))


_b64_arg = st.binary(max_size=1200).map(lambda b: b64encode_raw(b).decode())
_arg = st.one_of(_b64_arg, st.sampled_from(["10", "4", "22", "99", "-1", "0", "x", "A" * 43]),
                 st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=1,
                         max_size=20))
_stanza = st.builds(
    lambda t, args, body: Stanza((t, *args), body),
    st.sampled_from(["X25519", "mlkem768x25519", "scrypt", "ssh-ed25519", "piv-p256", "x"]),
    st.lists(_arg, max_size=3), st.binary(max_size=1200))


def check_age_stanzas(value: tuple[list[Stanza], bytes, bytes]) -> None:
    """Well-formed header syntax, random stanzas and MAC, random payload."""
    stanzas, mac, payload = value
    from redact._internal.age.header import Header

    try:
        head = Header(tuple(stanzas), (mac + bytes(32))[:32]).encode() if stanzas else \
            b"age-encryption.org/v1\n--- " + b64encode_raw((mac + bytes(32))[:32]) + b"\n"
    except ValueError:
        return
    _open(head + payload)


def check_age_mutated(value: tuple[str, list[tuple[int, int]], int]) -> None:
    """A real sealed file with bytes changed and/or cut: either the original, or an AgeError."""
    kind, edits, cut = value
    data = bytearray(SEALED[kind])
    for pos, byte in edits:
        data[pos % len(data)] = byte
    data = data[: len(data) - cut % 40]
    try:
        out = _open(bytes(data))
    except AgeError:
        raise
    assert out == PLAIN, "a damaged sealed file opened to something else"


def _armor_lines(data: bytes) -> list[bytes]:
    return data.split(b"\n")


def check_armor(value: tuple[list[tuple[int, str, bytes]], bool]) -> None:
    """Line-level edits of a valid armored file (whitespace, CRLF, padding, lengths)."""
    edits, crlf = value
    lines = _armor_lines(SEALED["armored"])
    for pos, op, junk in edits:
        i = pos % len(lines)
        if op == "drop":
            del lines[i]
        elif op == "dup":
            lines.insert(i, lines[i])
        elif op == "append":
            lines[i] = lines[i] + junk
        elif op == "trim":
            lines[i] = lines[i][:-1]
        elif op == "insert":
            lines.insert(i, junk)
        if not lines:
            lines = [b""]
    data = (b"\r\n" if crlf else b"\n").join(lines)
    try:
        out = _open(data, armor=True)
    except AgeError:
        return
    assert out == PLAIN


_FILE_KEY = bytes(range(16))
_NONCE = bytes(range(16, 32))


def check_stream(value: tuple[list[tuple[int, bool, int]], bytes]) -> None:
    """STREAM chunks built with the real key: full/short chunks, final flags, damaged tags.

    The payload opens exactly when it is well formed (every chunk but the last full and
    not final, the last final and non-empty unless alone, no damage, no trailing bytes).
    """
    from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

    from redact._internal.age.stream import _nonce

    chunks, trailer = value
    aead = ChaCha20Poly1305(payload_key(_FILE_KEY, _NONCE))
    payload, plain = bytearray(), bytearray()
    well_formed = bool(chunks) and not trailer
    for i, (size_code, last, damage) in enumerate(chunks):
        size = [CHUNK_SIZE, 0, 1, CHUNK_SIZE - 1, 100][size_code % 5]
        data = bytes([i % 251]) * size
        ct = bytearray(aead.encrypt(_nonce(i, last), data, None))
        if damage % 7 == 0:
            ct[damage % len(ct)] ^= 1
            well_formed = False
        payload += ct
        plain += data
        is_end = i == len(chunks) - 1
        if is_end != last or (not is_end and size != CHUNK_SIZE) or (
                is_end and size == 0 and i > 0) or (is_end and size == CHUNK_SIZE and not last):
            well_formed = False
    payload += trailer
    out = io.BytesIO()
    try:
        decrypt_stream(_FILE_KEY, _NONCE, Reader(io.BytesIO(bytes(payload))), out)
    except AgePayloadError:
        assert not well_formed, "a well-formed STREAM payload was refused"
        raise
    assert out.getvalue() == bytes(plain)
    assert well_formed, "a malformed STREAM payload was accepted"


def check_identity_file(data: bytes) -> None:
    p = _tmpfile("identity.txt", data)
    S.load_identity_file(p, passphrase="pw")


_key_atoms = st.sampled_from([
    "AGE-SECRET-KEY-1", "AGE-SECRET-KEY-PQ-1", "age1", "age1pq1", str(X), str(PQ),
    str(X.recipient), str(PQ.recipient)[:80], "q", "p", "z", "\n", "# c\n", " ", "\r",
    "AGE-PLUGIN-YUBIKEY-1", "-----BEGIN AGE ENCRYPTED FILE-----\n"])


def check_key_strings(parts: list[str]) -> None:
    text = "".join(parts)
    for parse in (S.parse_identity, S.parse_recipient):
        try:
            parse(text)
        except RedactError:
            pass
    check_identity_file(text.encode("utf-8", "surrogatepass"))


# ---------------------------------------------------------------------------------------
# format readers
# ---------------------------------------------------------------------------------------

from redact.formats import FormatOptions, read_document  # noqa: E402
from redact.formats.jsondoc import parse_selector  # noqa: E402


def _read_render(data: bytes, name: str, options: FormatOptions | None = None,
                 roundtrip: bool = False) -> None:
    doc = read_document(data, name, options=options)
    out = doc.render(doc.segments)
    assert isinstance(out, bytes)
    if roundtrip:
        assert out == data, f"{name}: an unchanged document did not render back to its bytes"


_BOMS = [b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\xff\xfe\x00\x00"]


def check_text(value: tuple[bytes, int, str]) -> None:
    data, bom, name = value
    _read_render(_BOMS[bom % len(_BOMS)] + data, name)


def check_text_utf8(text: str) -> None:
    data = text.encode("utf-8", "surrogatepass")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return
    _read_render(data, "s.txt", roundtrip="\x00" not in text)


_MD_ATOMS = ["**", "*", "_", "`", "[", "]", "(", ")", "<", ">", "![", "](", "\\", "&amp;",
             "\n", "\n\n", "    ", "> ", "- ", "# ", "|", "---", "```", "Islam Bakaev",
             "mailto:a@b.c", "http://x.org/a_b", " ", "\"t\"", "[r]: http://y.org", "&#42;",
             "<a href='x'>", "</a>", "<!--", "-->", "1. ", "~~~", "$$", "\t", "\r\n", "[^1]",
             "[^1]: note", "<mailto:q@x.org>", "| a | b |\n|---|---|\n", "&#x0;", "\u200b"]


def check_markdown(parts: list[str]) -> None:
    _read_render("".join(parts).encode("utf-8"), "s.md", roundtrip=True)


_json_leaf = st.one_of(st.none(), st.booleans(), st.integers(-10**12, 10**12),
                       st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=30),
                       st.sampled_from(["Islam Bakaev", "+7 928 744-19-03", "\u2028", "\ud800"]))
_json_value = st.recursive(_json_leaf, lambda kids: st.one_of(
    st.lists(kids, max_size=4), st.dictionaries(st.text(max_size=8), kids, max_size=4)),
    max_leaves=25)
_SELECTORS = ["$.text", "$..text", "text", "$.items[*].text", "$[0]", "$.a.b", "$['x y']",
              "$..", "", "$.[", "$[*]", "a..b"]


def check_json(value: tuple[Any, bool, int, list[int], list[str] | None]) -> None:
    obj, lines, indent, edits, fields = value
    try:
        if lines:
            items = obj if isinstance(obj, list) else [obj]
            text = "\n".join(json.dumps(x, ensure_ascii=bool(indent % 2)) for x in items)
        else:
            text = json.dumps(obj, indent=(indent % 4) or None, ensure_ascii=bool(indent % 2))
    except ValueError:
        return
    data = bytearray(text.encode("utf-8", "surrogatepass"))
    for e in edits:
        if data:
            data[e % len(data)] = e % 256
    opts = FormatOptions(fields=fields) if fields is not None else None
    _read_render(bytes(data), "s.jsonl" if lines else "s.json", opts,
                 roundtrip=not edits and fields is None and "\ud800" not in text)


def check_json_deep(value: tuple[int, str]) -> None:
    depth, kind = value
    o, c = {"list": ("[", "]"), "dict": ('{"a":', "}"), "mixed": ('[{"a":', "}]")}[kind]
    _read_render((o * depth + '"x"' + c * depth).encode(), "s.json")


_CSV_ATOMS = [",", ";", "\t", '"', '""', "\n", "\r\n", "\r", " ", "a", "Islam Bakaev",
              "+7 928 744-19-03", "id", "name", "\x00", "é", "=cmd()", "'", "|", "\\"]


def check_csv(value: tuple[list[str], bool, dict[str, str] | None]) -> None:
    parts, tab, columns = value
    opts = FormatOptions(columns=columns) if columns else None  # type: ignore[arg-type]
    _read_render("".join(parts).encode("utf-8"), "s.tsv" if tab else "s.csv", opts)


_XML_ATOMS = ["<w:p>", "</w:p>", "<w:r>", "</w:r>", "<w:t>", "</w:t>", "<w:t xml:space='preserve'>",
              "<w:delText>", "</w:delText>", "<w:del w:id='1' w:author='Islam Bakaev'>",
              "</w:del>", "<w:ins w:id='2' w:author='A'>", "</w:ins>", "<w:tab/>", "<w:br/>",
              "<w:instrText>", "</w:instrText>", "<w:fldSimple w:instr='HYPERLINK x'>",
              "</w:fldSimple>", "<w:commentReference w:id='0'/>", "Islam Bakaev", " ", "&amp;",
              "&lt;", "<w:drawing/>", "<w:pict/>", "<w:object/>", "<w:txbxContent>",
              "</w:txbxContent>", "<a:p>", "</a:p>", "<a:t>", "</a:t>", "<w:noBreakHyphen/>",
              "<mc:AlternateContent>", "</mc:AlternateContent>", "<!--c-->", "<![CDATA[x]]>",
              "<?pi x?>", "<w:body>", "</w:body>", "<w:tbl><w:tr><w:tc>", "</w:tc></w:tr></w:tbl>",
              "&#0;", "&bogus;", "<!DOCTYPE x [<!ENTITY e 'Islam'>]>", "&e;"]
_DOC_HEAD = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
             '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
             ' xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"'
             ' xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
             ' xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
             '<w:body>')
_DOC_TAIL = "</w:body></w:document>"


def _base_docx() -> bytes:
    import docx

    d = docx.Document()
    d.add_paragraph("Statement of Islam Bakaev.")
    d.core_properties.author = "Islam Bakaev"
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


DOCX = _base_docx()
_PARTS = ["word/document.xml", "docProps/core.xml", "word/_rels/document.xml.rels",
          "[Content_Types].xml", "word/styles.xml", "docProps/app.xml", "customXml/item1.xml"]


def check_docx_xml(value: tuple[list[str], str, bool]) -> None:
    parts, target, embedded_keep = value
    body = "".join(parts)
    blob = (_DOC_HEAD + body + _DOC_TAIL) if target == "word/document.xml" else body
    src = zipfile.ZipFile(io.BytesIO(DOCX))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for info in src.infolist():
            z.writestr(info.filename, blob.encode() if info.filename == target
                       else src.read(info))
        if target not in src.namelist():
            z.writestr(target, blob.encode())
    _read_render(out.getvalue(), "s.docx",
                 FormatOptions(embedded="keep" if embedded_keep else "remove"))


def check_docx_bytes(value: tuple[list[tuple[int, int]], int]) -> None:
    edits, cut = value
    data = bytearray(DOCX)
    for pos, byte in edits:
        data[pos % len(data)] = byte
    _read_render(bytes(data[: len(data) - cut % 200]), "s.docx")


def check_any_reader(value: tuple[bytes, str]) -> None:
    data, name = value
    _read_render(data, name)


def check_selector(text: str) -> None:
    parse_selector(text)


# ---------------------------------------------------------------------------------------
# the list
# ---------------------------------------------------------------------------------------


def all_targets() -> list[Target]:
    """Every target, fresh counters."""
    return [
        Target("policy.yaml_text", st.text(max_size=400), check_policy_text),
        Target("policy.yaml_tokens", st.lists(_yaml_atoms, max_size=40), check_policy_tokens),
        Target("policy.dict", _policy_dict, check_policy_dict),
        Target("policy.mutated_shipped", st.tuples(st.integers(0, 10**6), st.integers(0, 40),
                                                   st.text(max_size=30)), check_policy_mutated),
        Target("age.random_bytes", st.binary(max_size=800), check_age_bytes),
        Target("age.header_tokens", st.lists(_header_atoms, max_size=40), check_age_tokens),
        Target("age.stanzas", st.tuples(st.lists(_stanza, max_size=4), st.binary(max_size=40),
                                        st.binary(max_size=200)), check_age_stanzas),
        Target("age.mutated_files", st.tuples(
            st.sampled_from(sorted(SEALED)), st.lists(st.tuples(st.integers(0), st.integers(
                0, 255)), max_size=4), st.integers(0)), check_age_mutated),
        Target("age.armor", st.tuples(st.lists(st.tuples(
            st.integers(0), st.sampled_from(["drop", "dup", "append", "trim", "insert"]),
            st.sampled_from([b"", b" ", b"\t", b"=", b"==", b"A", b"AAAA", b"-----", b"\r",
                             b"-----END AGE ENCRYPTED FILE-----", b"\x00"])), max_size=3),
            st.booleans()), check_armor),
        Target("age.stream", st.tuples(st.lists(st.tuples(
            st.integers(0, 4), st.booleans(), st.integers(1, 10**6)), max_size=4),
            st.sampled_from([b"", b"", b"", b"x", bytes(16), bytes(CHUNK_SIZE + 16)])),
            check_stream),
        Target("age.key_strings", st.lists(_key_atoms, max_size=12), check_key_strings),
        Target("age.identity_file_bytes", st.binary(max_size=400), check_identity_file),
        Target("formats.any_reader", st.tuples(st.binary(max_size=2048), st.sampled_from(
            ["s.txt", "s.md", "s.json", "s.jsonl", "s.csv", "s.tsv", "s.docx", "s", "s.pdf"])),
            check_any_reader),
        Target("formats.text", st.tuples(st.binary(max_size=2048), st.integers(0, 4),
                                         st.sampled_from(["s.txt", "s", "s.text"])), check_text),
        Target("formats.text_utf8", st.text(max_size=1000), check_text_utf8),
        Target("formats.markdown", st.lists(st.sampled_from(_MD_ATOMS), max_size=50),
               check_markdown),
        Target("formats.json", st.tuples(_json_value, st.booleans(), st.integers(0, 7),
                                         st.lists(st.integers(0), max_size=2),
                                         st.one_of(st.none(), st.lists(
                                             st.sampled_from(_SELECTORS), max_size=2))),
               check_json),
        Target("formats.json_deep", st.tuples(st.integers(1, 200_000),
                                              st.sampled_from(["list", "dict", "mixed"])),
               check_json_deep),
        Target("formats.json_selector", st.text(max_size=40), check_selector),
        Target("formats.csv", st.tuples(st.lists(st.sampled_from(_CSV_ATOMS), max_size=60),
                                        st.booleans(), st.one_of(st.none(), st.dictionaries(
                                            st.sampled_from(["id", "name", "a", "zz"]),
                                            st.sampled_from(["redact", "keep", "drop", "x"]),
                                            max_size=2))), check_csv),
        Target("formats.docx_xml", st.tuples(st.lists(st.sampled_from(_XML_ATOMS), max_size=40),
                                             st.sampled_from(_PARTS), st.booleans()),
               check_docx_xml),
        Target("formats.docx_bytes", st.tuples(st.lists(st.tuples(
            st.integers(0), st.integers(0, 255)), max_size=3), st.integers(0)),
            check_docx_bytes),
    ]
