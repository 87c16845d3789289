"""Cutting a section's text into one block per docket, and a block into labels and prose.

A batch email lists several dockets ("1) KNL-FA-26-6019023-S - Ryan Gallagher / In hand, 9:40
AM"), as paragraphs, as numbered lines or as a table; each docket gets the text that follows it.
Text before the first docket (the preamble: "three services today") is context for every block.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from itertools import pairwise

from parsers import dates
from parsers.docket import DocketMatch, find_dockets
from parsers.fields import (
    LABELS,
    MULTILINE_FIELDS,
    Label,
    activity_cues,
    label_key,
    method_cues,
    read_activity_value,
    read_bare_label,
    read_label,
)
from parsers.htmltext import CELL
from parsers.reasons import attempt_reason_cues

# A paragraph without a docket that speaks of every report ("No police on any of these") is
# context for all the blocks, not part of the last one.
_ALL_OF_THEM = re.compile(
    r"\b(?:(?:any|all|each|both|either|none)\s+of\s+(?:these|them|the\s+above)|all\s+(?:three|"
    r"four|five|two|of\s+today'?s)|each\s+(?:one|service|of)|for\s+(?:all|both)|on\s+(?:all|both)"
    r"|(?:either|each|every|any)\s+(?:time|try|attempt|visit)|both\s+(?:times|tries|attempts|visits))\b",
    re.IGNORECASE | re.ASCII,
)


def said_of_all(text: str) -> str:
    """The sentences of a text that speak of every report in it ("No police either time.")."""
    sentences = re.split(r"(?<=[.!?])\s+|\n", text)
    return " ".join(sentence for sentence in sentences if _ALL_OF_THEM.search(sentence))


_PIPE_ROW = re.compile(r"^\s*\|?(?:[^|]+\|)+[^|]*$")
_RULE_ROW = re.compile(r"^[\s|:+-]*$")


@dataclass(frozen=True)
class Block:
    """The text about one docket (`docket` None when the message names none)."""

    docket: DocketMatch | None
    text: str


@dataclass(frozen=True)
class Labelled:
    """A block read as its "label: value" lines and the prose around them."""

    labels: tuple[Label, ...]
    prose: str

    def values(self, field: str) -> list[str]:
        return [label.value for label in self.labels if label.field == field and label.value]


def docket_key(match: DocketMatch) -> str:
    """Two spellings of one docket are one docket; an invalid one is keyed by its characters."""
    return match.canonical or re.sub(r"[^A-Z0-9]", "", match.text.upper())


def untable(text: str) -> str:
    """Rewrite table rows as label lines: a header row over data rows gives one record per row."""
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        run = _table_run(lines, i)
        if not run:
            out.append(lines[i])
            i += 1
            continue
        rows = [_cells(line) for line in lines[i : i + run] if not _RULE_ROW.match(line)]
        if len(rows) > 1 and _is_header(rows[0]):
            out.extend(_records(rows))
        else:
            out.extend(_pairs(rows))
        i += run
    return "\n".join(out)


def _table_run(lines: list[str], i: int) -> int:
    n = 0
    while i + n < len(lines) and _is_row(lines[i + n]):
        n += 1
    return n


def _is_row(line: str) -> bool:
    return CELL in line.strip() or (_PIPE_ROW.match(line) is not None and line.count("|") >= 2)


def _cells(line: str) -> list[str]:
    parts = re.split(r"\t|\|", line.strip().strip("|")) if "|" in line else line.split(CELL)
    return [part.strip() for part in parts]


def _is_header(cells: list[str]) -> bool:
    filled = [cell for cell in cells if cell]
    known = [cell for cell in filled if label_key(cell) in LABELS]
    return len(known) >= 2 and 2 * len(known) >= len(filled)


def _records(rows: list[list[str]]) -> list[str]:
    header = rows[0]
    out: list[str] = []
    for row in rows[1:]:
        out.append("")
        for n, cell in enumerate(row):
            if not cell:
                continue
            out.append(f"{header[n]}: {cell}" if n < len(header) and header[n] else cell)
    out.append("")
    return out


def _pairs(rows: list[list[str]]) -> list[str]:
    out = []
    for row in rows:
        filled = [cell for cell in row if cell]
        if len(filled) >= 2 and all(read_label(cell) is not None for cell in filled):
            out.extend(filled)  # "DOCKET: X<TAB>RESPONDENT: Y": a label and value per cell
        elif len(filled) >= 2 and label_key(filled[0]) in LABELS:
            out.append(f"{filled[0].rstrip(' :')}: {' '.join(filled[1:])}")
        else:
            out.append("   ".join(filled))
    return out


def split_blocks(text: str, limit: int) -> tuple[str, list[tuple[str, str]]]:
    """Return the preamble and (docket key, text) per docket, in the order the text gives them.

    Text after the first `limit` + 1 dockets is not read (the caller reports the cut).
    """
    matches = find_dockets(text)
    keys = list(dict.fromkeys(docket_key(m) for m in matches))
    if len(keys) > limit + 1:
        cut = next(m.start for m in matches if docket_key(m) == keys[limit + 1])
        text, keys = text[:cut], keys[: limit + 1]
    if len(keys) <= 1:
        return "", [(keys[0], text)] if keys else []
    pieces: list[tuple[tuple[str, ...], str]] = []
    for paragraph in re.split(r"\n[ \t]*\n", text):
        pieces.extend(_pieces(paragraph))
    preamble: list[str] = []
    blocks: dict[str, list[str]] = {}
    last: tuple[str, ...] = ()
    listed: tuple[str, ...] = ()  # a run of bare docket lines: a list the text around is about
    after_docket = False
    for piece_keys, piece in pieces:
        if piece_keys:
            run = listed if after_docket else ()
            listed = (*run, *piece_keys) if _is_bare(piece) else ()
            last = piece_keys
        after_docket = bool(piece_keys)
        if not last or (not piece_keys and _ALL_OF_THEM.search(piece)):
            preamble.append(piece)
            continue
        # "Waterbury PD present." after a list of dockets is about each of them; an activity
        # ("the second one I transferred") stays with the last.
        about = listed if not piece_keys and len(listed) > 1 and not activity_cues(piece) else last
        for key in about:
            blocks.setdefault(key, []).append(piece)
    out = []
    for key, parts in blocks.items():
        if preamble and _is_bare(parts[0]):
            parts = [*preamble, *parts]  # "Received two orders at 9:05 AM today:" over a list
        out.append((key, "\n\n".join(parts)))
    return "\n\n".join(preamble), out


def _is_bare(piece: str) -> bool:
    """A docket line with at most a name beside it: it says nothing of what was done."""
    rest = piece
    for docket in reversed(find_dockets(piece)):
        rest = rest[: docket.start] + " " + rest[docket.end :]
    rest = re.sub(r"\([^)]*\)", " ", rest)
    return len(rest.split()) <= 4 and not activity_cues(rest) and not method_cues(rest)


def _pieces(paragraph: str) -> list[tuple[tuple[str, ...], str]]:
    """A paragraph about one docket stays whole; one listing several is cut at docket lines."""
    keys = tuple(dict.fromkeys(docket_key(m) for m in find_dockets(paragraph)))
    if len(keys) <= 1:
        return [(keys, paragraph)]
    pieces: list[tuple[tuple[str, ...], list[str]]] = [((), [])]
    for line in paragraph.split("\n"):
        line_keys = tuple(dict.fromkeys(docket_key(m) for m in find_dockets(line)))
        if line_keys:
            pieces.append((line_keys, [line]))
        else:
            pieces[-1][1].append(line)
    return [(k, "\n".join(lines)) for k, lines in pieces if k or any(x.strip() for x in lines)]


def read_labels(text: str) -> Labelled:
    """Split a block into label lines (with values wrapped onto later lines) and prose."""
    lines = text.split("\n")
    labels: list[Label] = []
    prose: list[str] = []
    i = 0
    while i < len(lines):
        label, i_next = _label_at(lines, i)
        if label is None:
            prose.append(lines[i])
            i += 1
            continue
        if label.field == "note":
            prose.append(lines[i])
        value = label.value
        while (
            label.field in MULTILINE_FIELDS
            and i_next < len(lines)
            and lines[i_next].strip()
            and _label_at(lines, i_next)[0] is None
            and not find_dockets(lines[i_next])
        ):
            value = f"{value} {lines[i_next].strip()}".strip()
            prose.append(lines[i_next])
            i_next += 1
        labels.append(replace(label, value=value))
        i = i_next
    return Labelled(tuple(labels), "\n".join(prose))


def _label_at(lines: list[str], i: int) -> tuple[Label | None, int]:
    """Read the label on line i; a label alone on its line takes the next line as its value."""
    label = read_label(lines[i])
    if label is not None:
        return label, i + 1
    bare = read_bare_label(lines[i])
    if bare is None:
        return None, i + 1
    for j in range(i + 1, min(i + 3, len(lines))):
        if not lines[j].strip():
            continue
        if read_label(lines[j]) is not None or read_bare_label(lines[j]) is not None:
            break
        return replace(bare, value=lines[j].strip()), j + 1
    return None, i + 1


def activity_segments(text: str) -> list[str]:
    """Cut a block about one docket where it moves to another activity, one piece per report.

    "I received the process at 8:30 ... and served him in hand at 2:10" and a table with
    "Received" and "Served" rows are two reports; each piece runs from the words or line that
    say the activity to the next. Several mentions of one activity stay one report.
    """
    logged = [m.start() for m in _LOG_LINE.finditer(text)]
    if len(logged) > 1:  # one line per try: "Mon 11/16 at 6:05 PM - no answer"
        return _cut(text, logged)
    marks = _activity_marks(text)
    if len({kind for _, kind in marks}) <= 1:
        return [text]
    starts: list[int] = []
    last: tuple[int, str] | None = None
    for at, kind in marks:
        if last is None or kind != last[1]:
            starts.append(_segment_start(text, last[0] if last else 0, at))
        last = (at, kind)
    return _cut(text, starts)


def _cut(text: str, starts: list[int]) -> list[str]:
    """Cut text at each start but the first (what comes before it belongs to the first piece)."""
    bounds = [0, *starts[1:], len(text)]
    return _with_own_moments([text[a:b] for a, b in pairwise(bounds)])


def _with_own_moments(segments: list[str]) -> list[str]:
    """Keep apart only the pieces that say when they happened; the rest explain a neighbour.

    "He was not home so I left the papers with his wife" tells how an abode service was made,
    it is no attempt of its own: a piece naming no day and no time joins the one before it.
    """
    kept: list[str] = []
    for segment in segments:
        if kept and not _names_a_moment(segment):
            kept[-1] += segment
        else:
            kept.append(segment)
    return kept


def _names_a_moment(text: str) -> bool:
    for docket in find_dockets(text):
        text = text[: docket.start] + " " * (docket.end - docket.start) + text[docket.end :]
    return bool(dates.find_times(text) or dates.find_dates(text, _ANY_DAY))


_ANY_DAY = date(2000, 1, 1)  # only whether a day is named matters here, not which


# A line that opens with its own day or time, as a log of tries is written.
_LOG_LINE = re.compile(
    r"^[ \t]*(?:[-*\u2022][ \t]*|\d{1,2}[.)][ \t]+)?"
    r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?[ \t]+)?"
    r"(?:\d{1,2}/\d{1,2}(?:/\d{2,4})?|\d{1,2}:\d\d|\d{1,2}[ \t]*[ap]\.?m\b)"
    r"(?=[^\n]*[a-z]{3})",
    re.IGNORECASE | re.MULTILINE,
)
_SENTENCE_END = re.compile(r"[.;!?](?=\s)|\n")
_JOIN = re.compile(r",\s|\s(?:and|then|but)\s|\s[-\u2013\u2014]\s", re.IGNORECASE)


def _segment_start(text: str, previous: int, at: int) -> int:
    """Where the words about the activity said at `at` begin: its sentence, or its clause.

    "Returned at 2 PM with Groton PD and served him" is all about the service: the time and
    the police before the word "served" are its own, not the earlier activity's.
    """
    ends = [m.end() for m in _SENTENCE_END.finditer(text, previous, at)]
    if ends:
        return ends[-1]
    joins = [m.start() for m in _JOIN.finditer(text, previous, at)]
    return joins[-1] if joins else at


def _activity_marks(text: str) -> list[tuple[int, str]]:
    """Where each activity is said: a Status label, a label named for it, or a sentence."""
    marks: list[tuple[int, str]] = []
    offset = 0
    for line in text.split("\n"):
        label = read_label(line)
        if label is not None and label.field == "activity" and label.value:
            marks += [(offset, cue.kind) for cue in read_activity_value(label.value)[:1]]
        elif label is not None and label.field == "when" and label.implied_activity:
            if not re.match(r"\W*(?:no|not|n/a)\b", label.value, re.IGNORECASE):
                marks.append((offset, label.implied_activity))
        elif label is None:
            marks += [(offset + at, kind) for at, kind in _sentence_marks(line)]
        offset += len(line) + 1
    return marks


# "Went back at 4:20 PM" or "first went at 9:15": a visit, which the words after it make an
# attempt ("no answer") or a service ("so abode service").
VISIT = re.compile(
    r"\b(?:went|go|stopped|came|drove|arrived|returned|knocked)\s+(?:back\s+)?(?:to|by|at|on|out)\b"
    r"|\bvisited\b|\bknocked\b|\bwent\s+back\b",
    re.IGNORECASE | re.ASCII,
)


def _sentence_marks(line: str) -> list[tuple[int, str]]:
    """What each sentence of a line says was done: its words, or a visit and what came of it."""
    marks: list[tuple[int, str]] = []
    start = 0
    for sentence in re.split(r"(?<=[.!?])\s+", line):
        at = line.find(sentence, start)
        start = at + len(sentence)
        cues = activity_cues(sentence)
        if cues:
            marks += [(at + cue.start, cue.kind) for cue in cues]
        elif VISIT.search(sentence) and method_cues(sentence):
            marks.append((at, "service"))
        elif VISIT.search(sentence) and attempt_reason_cues(sentence):
            marks.append((at, "attempt"))
    return marks
