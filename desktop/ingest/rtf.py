"""The RTF reader (also for .doc files that are RTF inside): paragraphs, \\'xx bytes in the document's code page, \\uN letters."""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace

from desktop.ingest.document import Extracted, Refused, SourceFile
from desktop.ingest.meta import file_date_hint, meaningful_author, meaningful_title
from desktop.ingest.structure import Hints

#: groups nested deeper than this are not a document Word or LibreOffice wrote
MAX_DEPTH = 500
_TOKEN = re.compile(rb"\\([a-zA-Z]{1,32})(-?\d{1,10})? ?|\\'([0-9a-fA-F]{2})|\\(.)|([{}])|([^\\{}\r\n]+)|[\r\n]+", re.DOTALL)
# destinations that hold no text of the story (fonts, styles, pictures, fields' codes, page headers and footers)
_SKIPPED = frozenset(
    {
        "fonttbl",
        "colortbl",
        "stylesheet",
        "listtable",
        "listoverridetable",
        "revtbl",
        "rsidtbl",
        "generator",
        "pict",
        "object",
        "objdata",
        "themedata",
        "colorschememapping",
        "datastore",
        "latentstyles",
        "xmlnstbl",
        "mmathPr",
        "fldinst",
        "header",
        "headerl",
        "headerr",
        "headerf",
        "footer",
        "footerl",
        "footerr",
        "footerf",
        "pgdsctbl",
        "bkmkstart",
        "bkmkend",
        "nonshppict",
        "shppict",
        "shpinst",
        "sp",
        "sn",
        "sv",
        "template",
        "filetbl",
        "listpicture",
        "pnseclvl",
        "userprops",
        "docvar",
        "listtext",
        "pntext",
        "pntxta",
        "pntxtb",
        "upr",
    }
)
_INFO_FIELDS = frozenset({"title", "author", "operator", "subject", "keywords", "comment", "company", "doccomm"})
# \fcharset numbers -> Python codecs (Vietnamese 163 is Windows-1258); 0 (ANSI) and 1 (default) mean the document's \ansicpg
_CHARSETS = {128: "cp932", 129: "cp949", 134: "gbk", 136: "big5", 161: "cp1253", 162: "cp1254", 163: "cp1258",
             177: "cp1255", 178: "cp1256", 186: "cp1257", 204: "cp1251", 222: "cp874", 238: "cp1250"}  # fmt: skip
_HEADING_NAME = re.compile(r"^(?:title|heading\s*1|heading)$", re.IGNORECASE)


def is_rtf(head: bytes) -> bool:
    """Whether the file starts like RTF (``{\\rtf``), past a byte-order mark or blank lines."""
    return head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{\\rtf")


@dataclass(slots=True)
class _State:
    skip: bool = False
    destination: str = ""  # "" for the story, else the info field, "footnote", "fonttbl" or "stylesheet"
    unicode_skip: int = 1  # \ucN: how many fallback characters follow each \uN
    codec: str = "cp1252"


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.codec = "cp1252"
        self.paragraphs: list[tuple[str, bool]] = []
        self.notes: list[str] = []
        self.current: list[str] = []
        self.note: list[str] = []
        self.info: dict[str, list[str]] = {}
        self.created: dict[str, int] = {}
        self.fonts: dict[int, str] = {}
        self.font_number = 0
        self.styles: dict[int, str] = {}
        self.style_number = 0
        self.style_name: list[str] = []
        self.paragraph_style = 0
        self.outline_zero = False
        self.pending = bytearray()
        self.fallback = 0  # fallback characters still to drop after a \uN

    def run(self) -> None:
        state = _State()
        stack: list[_State] = []
        position = 0
        size = len(self.data)
        while position < size:
            match = _TOKEN.match(self.data, position)
            if match is None:  # a lone backslash at the end, or a control word too long to be one
                position += 1
                continue
            position = match.end()
            word, parameter, hex_byte, symbol, brace, text = match.groups()
            if hex_byte is not None:
                if self.fallback:
                    self.fallback -= 1
                elif not state.skip:
                    self.pending.append(int(hex_byte, 16))
                continue
            self._flush(state)
            if brace == b"{":
                if len(stack) >= MAX_DEPTH:
                    raise ValueError(f"groups nested more than {MAX_DEPTH} deep")
                stack.append(state)
                state = replace(state)
                self.fallback = 0
            elif brace == b"}":
                self._close(state, stack[-1] if stack else state)
                state = stack.pop() if stack else state
                self.fallback = 0
            elif word is not None:
                position = self._word(word.decode("ascii"), int(parameter) if parameter else None, state, position)
            elif symbol is not None:
                self._symbol(symbol, state)
            elif text is not None:
                self._text(text.decode("latin-1"), state)
        self._flush(state)
        self._end_paragraph()

    def _text(self, text: str, state: _State) -> None:
        if self.fallback:
            dropped = min(self.fallback, len(text))
            text, self.fallback = text[dropped:], self.fallback - dropped
        if not state.skip and text:
            self.pending.extend(text.encode("latin-1"))

    def _flush(self, state: _State) -> None:
        if self.pending:
            self._emit(bytes(self.pending).decode(state.codec, "replace"), state)
            self.pending.clear()

    def _emit(self, text: str, state: _State) -> None:
        if state.skip:
            return
        if state.destination == "":
            self.current.append(text)
        elif state.destination == "footnote":
            self.note.append(text)
        elif state.destination == "stylesheet":
            self.style_name.append(text)
        elif state.destination in _INFO_FIELDS:
            self.info.setdefault(state.destination, []).append(text)

    def _close(self, state: _State, outer: _State) -> None:
        if state.destination == "footnote" and outer.destination != "footnote":
            note = _clean("".join(self.note))
            if note:
                self.notes.append(note)
            self.note.clear()
        if state.destination == "stylesheet" and self.style_name:
            self.styles[self.style_number] = "".join(self.style_name).strip().rstrip(";").strip()
            self.style_name.clear()
            self.style_number = 0

    def _word(self, word: str, parameter: int | None, state: _State, position: int) -> int:
        if word == "bin":
            return position + max(parameter or 0, 0)  # binary data: skipped unread
        if word in ("par", "sect", "page", "row", "cell", "pard") and not state.skip and state.destination in ("", "footnote"):
            if word == "pard":
                self.paragraph_style, self.outline_zero = 0, False
            elif state.destination == "footnote":
                self.note.append("\n")
            else:
                self._end_paragraph()
        elif word in ("line", "tab", "emdash", "endash", "bullet", "lquote", "rquote", "ldblquote", "rdblquote", "emspace", "enspace"):
            marks = {"line": "\n", "tab": " ", "emdash": "—", "endash": "–", "bullet": "•", "lquote": "‘", "rquote": "’",
                     "ldblquote": "“", "rdblquote": "”", "emspace": " ", "enspace": " "}  # fmt: skip
            self._emit(marks[word], state)
        elif word == "u" and parameter is not None:
            self._emit(chr(parameter + 65536 if parameter < 0 else parameter), state)
            self.fallback = state.unicode_skip
        elif word == "uc" and parameter is not None:
            state.unicode_skip = max(parameter, 0)
        elif word == "ansicpg" and parameter:
            self.codec = state.codec = _codec(f"cp{parameter}", self.codec)
        elif word == "fcharset" and parameter is not None:
            self.fonts[self.font_number] = _codec(_CHARSETS.get(parameter, ""), self.codec)
        elif word == "f" and parameter is not None:
            if state.destination == "fonttbl":
                self.font_number = parameter
            else:
                state.codec = self.fonts.get(parameter, self.codec)
        elif word == "s" and parameter is not None:
            if state.destination == "stylesheet":
                self.style_number = parameter
            else:
                self.paragraph_style = parameter
        elif word == "outlinelevel" and state.destination == "":
            self.outline_zero = parameter == 0
        elif word in ("yr", "mo", "dy") and state.destination == "creatim" and parameter is not None:
            self.created[word] = parameter
        else:
            self._destination(word, state)
        return position

    def _destination(self, word: str, state: _State) -> None:
        if word in ("fonttbl", "stylesheet"):
            state.destination = word
            state.skip = word != "stylesheet"
        elif word in _SKIPPED:
            state.skip = True
        elif word == "ud":
            state.skip = False  # {\upr{ANSI text}{\*\ud{Unicode text}}}: the Unicode one is read
        elif word in ("footnote", "creatim"):
            state.destination, state.skip = word, False
        elif word in _INFO_FIELDS:
            state.destination = word
            self.info[word] = []  # a field written twice counts once
        elif word == "info":
            state.destination = "info"

    def _symbol(self, symbol: bytes, state: _State) -> None:
        if symbol == b"*":
            state.skip = True  # an optional destination; those this reader knows are named before they are used
        elif symbol in (b"\\", b"{", b"}"):
            self._text(symbol.decode("latin-1"), state)
        elif symbol == b"~":
            self._emit(" ", state)
        elif symbol == b"_":
            self._emit("-", state)
        elif symbol in (b"\n", b"\r") and not state.skip and state.destination == "":
            self._end_paragraph()

    def _end_paragraph(self) -> None:
        text = _clean("".join(self.current))
        self.current.clear()
        if text:
            heading = self.outline_zero or bool(_HEADING_NAME.match(self.styles.get(self.paragraph_style, "")))
            self.paragraphs.append((text, heading))


def _codec(name: str, fallback: str) -> str:
    try:
        return codecs.lookup(name).name if name else fallback
    except LookupError:
        return fallback


def _clean(text: str) -> str:
    text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")  # \uN pairs for letters past U+FFFF
    return "\n".join(" ".join(line.split()) for line in text.split("\n") if line.strip())


def read_rtf(source: SourceFile) -> Iterator[Extracted | Refused]:
    """An RTF file: its paragraphs (footnotes at the end), with \\info's title, author and creation date as hints."""
    data = source.read()
    if not is_rtf(data[:4096]):
        yield Refused("not an RTF file (it does not start with {\\rtf): it may be damaged, or another kind of file")
        return
    reader = _Reader(data)
    try:
        reader.run()
    except ValueError as exc:
        yield Refused(f"a damaged RTF file: {exc}")
        return
    paragraphs = [text for text, _ in reader.paragraphs]
    text = "\n\n".join(paragraphs + reader.notes)
    if not text.strip():
        yield Refused("an empty RTF document: no text in it")
        return
    headline = next((text for text, heading in reader.paragraphs[:3] if heading), None)
    info = {key: _clean("".join(parts)) for key, parts in reader.info.items()}
    created = reader.created
    date = f"{created['yr']:04d}-{created.get('mo', 1):02d}-{created.get('dy', 1):02d}" if created.get("yr") else None
    hints = Hints(
        title=headline or meaningful_title(info.get("title"), text),
        author=meaningful_author(info.get("author")),
        date=file_date_hint(date, text),
    )
    yield Extracted(text, hints, encoding=f"rtf ({reader.codec})")
