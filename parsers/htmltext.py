"""HTML mail bodies as the lines a reader sees: Outlook paragraphs, tables, quoted replies.

A table row whose cells each hold one line comes out as one line with the cells joined by TAB,
so that the report reader can take a two-cell row as "label: value" and a header row over data
rows as one record per row. A cell holding paragraphs (a layout table wrapping a whole message)
comes out as its own lines. A <blockquote> comes out with "> " in front of each line, like a
quoted plain-text reply.
"""

from __future__ import annotations

from html.parser import HTMLParser

CELL = "\t"
_SKIPPED = frozenset({"style", "script", "head", "title", "xml", "template", "noscript"})
_BLOCKS = frozenset(
    """address article aside blockquote center dd div dl dt fieldset figure footer form h1 h2 h3
    h4 h5 h6 header hr li main nav ol p pre section table tbody thead tfoot ul tr""".split()
)
_CELLS = frozenset({"td", "th"})
_ASCII_SPACE = " \t\n\r\f"


class _Table:
    """One open table: the cells read so far in the current row (each a list of lines)."""

    def __init__(self, depth: int) -> None:
        self.depth = depth  # how many line sinks were open when the table started
        self.row: list[list[str]] = []
        self.in_cell = False


class _TextMaker(HTMLParser):
    """Collect visible text as lines; see the module docstring for tables and quotes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self._sinks: list[list[str]] = [[]]  # the body's lines, then one per open cell
        self._line: list[str] = []
        self._touched = False
        self._skip = 0
        self._quote = 0
        self._pre = 0
        self._tables: list[_Table] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED:
            self._skip += 1
        elif tag == "br":
            self._break(force=True)
        elif tag == "table":
            self._break()
            self._tables.append(_Table(len(self._sinks)))
        elif tag == "tr" and self._tables:
            self._end_row()
        elif tag in _CELLS and self._tables:
            self._end_cell()
            self._break()
            self._sinks.append([])
            self._tables[-1].in_cell = True
        elif tag in _BLOCKS:
            self._break()
        if tag == "blockquote":
            self._quote += 1
        elif tag == "pre":
            self._pre += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self._break(force=True)
        elif tag in _BLOCKS:
            self._break()

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self._skip = max(0, self._skip - 1)
        elif tag in _CELLS and self._tables:
            self._end_cell()
        elif tag == "tr" and self._tables:
            self._end_row()
        elif tag == "table" and self._tables:
            self._end_table()
        elif tag in _BLOCKS:
            self._break()
        if tag == "blockquote":
            self._break()
            self._quote = max(0, self._quote - 1)
        elif tag == "pre":
            self._pre = max(0, self._pre - 1)

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        if self._pre:
            for i, piece in enumerate(data.split("\n")):
                if i:
                    self._break(force=True)
                self._line.append(piece)
            self._touched = True
            return
        self._line.append(data)
        if data.strip(_ASCII_SPACE):
            self._touched = True  # a paragraph holding only &nbsp; is a blank line in Outlook

    def finish(self) -> list[str]:
        """Close whatever the markup left open and return the lines."""
        while self._tables:
            self._end_table()
        self._break()
        while len(self._sinks) > 1:
            inner = self._sinks.pop()
            self._sinks[-1].extend(inner)
        return self._sinks[0]

    def _break(self, *, force: bool = False) -> None:
        """End the current line; a forced break (<br>) may end an empty one."""
        if self._line and (self._touched or force):
            self._emit(" ".join("".join(self._line).split()))
        elif force:
            self._emit("")
        self._line = []
        self._touched = False

    def _emit(self, text: str) -> None:
        prefix = "> " * self._quote
        self._sinks[-1].append((prefix + text).rstrip())

    def _end_cell(self) -> None:
        table = self._tables[-1]
        if not table.in_cell:
            return
        self._break()
        while len(self._sinks) > table.depth + 1:  # a cell left open by a nested table
            inner = self._sinks.pop()
            self._sinks[-1].extend(inner)
        table.row.append(self._sinks.pop())
        table.in_cell = False

    def _end_row(self) -> None:
        table = self._tables[-1]
        self._end_cell()
        cells, table.row = table.row, []
        filled = [[line for line in cell if line.strip("> ")] for cell in cells]
        if not any(filled):
            return
        if all(len(cell) <= 1 for cell in filled):
            joined = [cell[0] if cell else "" for cell in filled]
            self._sinks[-1].append(CELL.join(joined).rstrip(CELL) if len(joined) > 1 else joined[0])
            return
        for cell in cells:
            self._sinks[-1].extend(cell)
            self._sinks[-1].append("")

    def _end_table(self) -> None:
        self._end_row()
        table = self._tables.pop()
        while len(self._sinks) > table.depth:
            inner = self._sinks.pop()
            self._sinks[-1].extend(inner)


def html_to_text(markup: str) -> str:
    """Return the visible text of an HTML body, one line per paragraph, row or <br>."""
    maker = _TextMaker()
    try:
        maker.feed(markup)
        maker.close()
    except (AssertionError, ValueError):  # html.parser on broken markup: keep what was read
        pass
    lines = maker.finish()
    return _squeeze_blank_lines("\n".join(line.replace("\xa0", " ").rstrip() for line in lines))


def _squeeze_blank_lines(text: str) -> str:
    out: list[str] = []
    for line in text.split("\n"):
        if line.strip() or (out and out[-1].strip()):
            out.append(line)
    return "\n".join(out).strip("\n")
