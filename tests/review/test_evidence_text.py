"""The text read, cut into highlighted runs: each field's span, however spans overlap (issue 13)."""

from __future__ import annotations

import random
from typing import Any

from registry.review_item import read_evidence, segment

LINE = "1. HHD-FA-26-6012345-S  Respondent: Robert Jones\n"


def joined(runs: list[tuple[str, tuple[Any, ...]]]) -> str:
    return "".join(text for text, _ in runs)


def test_text_without_spans_is_one_unmarked_run() -> None:
    assert segment(LINE, []) == [(LINE, ())]


def test_empty_text_has_no_runs_and_ignores_every_span() -> None:
    assert segment("", [(0, 0, "a"), (0, 1, "b"), (-1, 2, "c")]) == []


def test_a_docket_inside_its_line_is_a_run_under_both_innermost_first() -> None:
    start = LINE.index("HHD")
    end = start + len("HHD-FA-26-6012345-S")

    runs = segment(LINE, [(0, len(LINE) - 1, "line"), (start, end, "docket")])

    assert runs == [
        ("1. ", ("line",)),
        ("HHD-FA-26-6012345-S", ("docket", "line")),
        ("  Respondent: Robert Jones", ("line",)),
        ("\n", ()),
    ]


def test_overlapping_spans_split_into_three_runs_and_join_back() -> None:
    runs = segment("abcdefghij", [(1, 6, "a"), (4, 9, "b")])

    assert runs == [("a", ()), ("bcd", ("a",)), ("ef", ("a", "b")), ("ghi", ("b",)), ("j", ())]


def test_two_fields_from_the_same_words_share_one_run_in_the_order_given() -> None:
    runs = segment("moved out per landlord", [(0, 9, "reason_code"), (0, 9, "reason")])

    assert runs[0] == ("moved out", ("reason_code", "reason"))


def test_adjacent_spans_stay_apart() -> None:
    assert segment("in hand", [(0, 2, "a"), (2, 7, "b")]) == [("in", ("a",)), (" hand", ("b",))]


def test_empty_reversed_out_of_range_and_malformed_spans_are_ignored() -> None:
    text = "Served in hand"
    bad: list[tuple[Any, Any, str]] = [
        (3, 3, "empty"),
        (9, 2, "reversed"),
        (-1, 4, "negative"),
        (0, 15, "past the end"),
        (0.0, 4, "float"),
        ("0", "4", "text"),
        (None, 4, "none"),
        (True, 4, "bool"),
        (7, 14, "good"),
    ]

    runs = segment(text, bad)

    assert runs == [("Served ", ()), ("in hand", ("good",))]


def test_offsets_count_characters_so_accents_and_emoji_highlight_whole() -> None:
    text = "Respondent: Zoë Lefèvre 🚓 — served 7:10 PM"
    spans = [(text.index(word), text.index(word) + len(word), word) for word in ("Zoë", "🚓 —")]
    spans.append((text.index("Lefèvre"), text.index("Lefèvre") + len("Lefèvre"), "last"))

    runs = segment(text, spans)

    assert [run for run in runs if run[1]] == [
        ("Zoë", ("Zoë",)),
        ("Lefèvre", ("last",)),
        ("🚓 —", ("🚓 —",)),
    ]
    assert joined(runs) == text


def test_every_run_lists_exactly_the_spans_over_it_for_any_spans() -> None:
    """Random spans, seeded: the runs join back to the text and name exactly their spans."""
    rng = random.Random(13)
    text = "Registry — two from last night.\n1. HHD-FA-26-6012345-S served in hand\n"
    for _ in range(200):
        spans = []
        for key in range(rng.randint(0, 6)):
            start = rng.randint(-2, len(text) + 2)
            spans.append((start, start + rng.randint(-3, 30), key))
        runs = segment(text, spans)
        assert joined(runs) == text
        at = 0
        for run, keys in runs:
            covering = {k for s, e, k in spans if 0 <= s < e <= len(text) and s <= at < e}
            assert set(keys) == covering
            lengths = [next(e - s for s, e, k in spans if k == key) for key in keys]
            assert lengths == sorted(lengths)
            at += len(run)


def parse_result(evidence: Any, text: str = "Docket HHD-FA-26-6012345-S served") -> dict[str, Any]:
    return {
        "text": text,
        "reports": [{"activity": "service", "docket_number": "HHD", "evidence": evidence}],
    }


def test_an_item_stored_before_evidence_has_no_text_read() -> None:
    old = {"message_id": "<x@example.com>", "reports": [{"activity": "service"}]}
    assert read_evidence(old) is None
    assert read_evidence({"reports": []}) is None
    assert read_evidence({"text": None, "reports": []}) is None


def test_evidence_of_the_wrong_shape_is_left_out_and_the_rest_kept() -> None:
    read = read_evidence(
        parse_result(
            {
                "docket_number": {"state": "stated", "span": [7, 26]},
                "activity": {"state": "guessed", "span": [27, 33]},
                "method": "stated",
                "occurred_at": {"state": "inferred", "span": [20, 99]},
                "police_assistance": {"state": "missing", "span": [0, 6]},
                "reason": {"state": "stated", "span": {"start": 0}},
                "made_up_field": {"state": "stated", "span": [0, 6]},
            }
        )
    )

    assert read is not None
    docket = read.field(0, "docket_number")
    assert docket is not None and docket.quote == "HHD-FA-26-6012345-S"
    assert read.field(0, "activity") is None  # an unknown state
    assert read.field(0, "method") is None  # not an object
    occurred = read.field(0, "occurred_at")
    assert occurred is not None and occurred.state == "inferred" and occurred.span is None
    police = read.field(0, "police_assistance")
    assert police is not None and police.span is None  # missing points at nothing
    reason = read.field(0, "reason")
    assert reason is not None and reason.span is None and not reason.needed
    assert [(s.text, [m.key for m in s.marks]) for s in read.segments] == [
        ("Docket ", []),
        ("HHD-FA-26-6012345-S", ["r0-docket_number"]),
        (" served", []),
    ]


def test_bad_evidence_containers_give_the_text_unmarked() -> None:
    for bad in ("nonsense", None, [], {"docket_number": None}):
        read = read_evidence(parse_result(bad))
        assert read is not None and [s.marks for s in read.segments] == [()]
    odd = {
        "activity": ["service"],
        "docket_number": {"a": 1},
        "evidence": {
            "docket_number": {"state": "stated", "span": [0, 6]},
            "method": {"state": "missing", "span": None},
        },
    }
    read = read_evidence({"text": "Docket", "reports": [odd]})
    assert read is not None and [s.text for s in read.segments if s.marks] == ["Docket"]
    method = read.field(0, "method")
    assert method is not None and not method.needed
    read = read_evidence({"text": "x", "reports": ["not a report", 7]})
    assert read is not None and read.reports == [{}, {}] and read.of(5, "docket_number") == []
    read = read_evidence({"text": "x", "reports": "not a list"})
    assert read is not None and read.reports == []


def test_each_form_field_shows_the_evidence_of_its_parsed_fields() -> None:
    text = "Attempted 8:20 PM yesterday - moved out per landlord"
    read = read_evidence(
        {
            "text": text,
            "reports": [
                {"activity": "service", "evidence": {}},
                {
                    "activity": "attempt",
                    "evidence": {
                        "occurred_at": {"state": "inferred", "span": [10, 27]},
                        "reason_code": {"state": "inferred", "span": [30, 39]},
                        "reason": {"state": "stated", "span": [30, 39]},
                    },
                },
            ],
        }
    )

    assert read is not None
    assert [e.key for e in read.of(1, "date")] == ["r1-occurred_at"]
    assert [e.key for e in read.of(1, "time")] == ["r1-occurred_at"]
    assert [e.key for e in read.of(1, "reason")] == ["r1-reason_code", "r1-reason"]
    assert read.of(0, "reason") == []
    shared = next(s for s in read.segments if s.text == "moved out")
    assert [m.key for m in shared.starts] == ["r1-reason_code", "r1-reason"]
    after = read.segments[read.segments.index(shared) + 1]
    assert after.marks == () and after.starts == ()
