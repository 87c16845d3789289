"""The labelled email corpus is well-formed, so bench/parser_accuracy.py measures what it claims.

These tests read the labels and the messages with the standard library only, never with the
parser: the corpus is the measuring stick for the parser, not something the parser decides.
"""

from __future__ import annotations

import html
import json
import re
from collections import Counter
from datetime import datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

import pytest

from parsers.docket import normalize_docket
from parsers.reasons import ATTEMPT_REASONS, OTHER_REASONS

EMAILS = Path(__file__).parent.parent / "data" / "emails"
STYLES = EMAILS / "styles"
LABELS = sorted(EMAILS.rglob("*.json"))
NAMES = [str(path.relative_to(EMAILS).with_suffix("")) for path in LABELS]
REPORT_KEYS = {
    "docket_number", "activity", "method", "occurred_at", "police_assistance", "reason_code",
    "reason", "transferred_to", "officer_name", "respondent_first_name", "respondent_last_name",
}  # fmt: skip
ACTIVITIES = {"service", "attempt", "received", "transferred", "other"}
STYLE_BLOCK = re.compile(r"<style.*?</style>", re.DOTALL | re.IGNORECASE)
TAG = re.compile(r"<[^>]+>")
ATTEMPT_TERMS = {term for term, _ in ATTEMPT_REASONS}
OTHER_TERMS = {term for term, _ in OTHER_REASONS}


def label(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((EMAILS / f"{name}.json").read_text(encoding="utf-8"))
    return data


def message(name: str) -> EmailMessage:
    raw = (EMAILS / f"{name}.eml").read_bytes()
    parsed = message_from_bytes(raw, policy=policy.default)
    assert isinstance(parsed, EmailMessage)
    return parsed


def readable_text(msg: EmailMessage) -> str:
    """Every text part decoded, HTML tags dropped, spacing collapsed: what a reader sees."""
    chunks = [str(msg["Subject"] or "")]
    for part in msg.walk():
        if part.get_content_maintype() != "text":
            continue
        text = part.get_content()
        if part.get_content_subtype() == "html":
            text = html.unescape(TAG.sub(" ", STYLE_BLOCK.sub("", text)))
        chunks.append(text)
    return squash(" ".join(chunks))


def squash(text: str) -> str:
    return " ".join(text.replace("\u2019", "'").split()).casefold()


def test_every_message_has_its_label_and_every_label_its_message() -> None:
    messages = {p.with_suffix("") for p in EMAILS.rglob("*.eml")}
    labels = {p.with_suffix("") for p in LABELS}
    assert messages == labels


def test_the_corpus_holds_at_least_150_emails_in_15_styles_of_6_or_more() -> None:
    styles = Counter(label(name)["style"] for name in NAMES)
    assert len(NAMES) >= 150
    assert len(styles) >= 15, styles
    assert min(styles.values()) >= 6, styles


def test_every_style_has_held_out_emails_and_about_a_third_of_the_new_ones_are() -> None:
    splits = {label(name)["split"] for name in NAMES}
    assert splits == {"dev", "holdout"}
    held_out = {label(name)["style"] for name in NAMES if label(name)["split"] == "holdout"}
    assert held_out == {label(name)["style"] for name in NAMES}
    new = [name for name in NAMES if name.startswith("styles/")]
    share = sum(label(name)["split"] == "holdout" for name in new) / len(new)
    assert 0.25 <= share <= 0.45, share


def test_the_older_samples_are_dev_only() -> None:
    # They were written while the parser was tuned, so they cannot measure it unseen.
    top = [name for name in NAMES if "/" not in name]
    assert top and all(label(name)["split"] == "dev" for name in top)


@pytest.mark.parametrize("name", NAMES)
def test_the_label_has_the_agreed_keys(name: str) -> None:
    data = label(name)
    assert {"style", "split", "reports", "expect_problems", "notes"} <= set(data)
    assert isinstance(data["expect_problems"], bool) and data["notes"].strip()
    for report in data["reports"]:
        assert set(report) == REPORT_KEYS, sorted(report)


@pytest.mark.parametrize("name", NAMES)
def test_the_message_is_a_whole_rfc_5322_message(name: str) -> None:
    msg = message(name)
    assert msg["From"] and msg["Message-ID"]
    date = parsedate_to_datetime(str(msg["Date"]))
    assert date.utcoffset() is not None
    if name.startswith("styles/"):
        assert msg["To"] and "registry@por.example.gov" in str(msg["To"])
        assert msg["MIME-Version"] and msg["Subject"] is not None


def test_message_ids_are_unique() -> None:
    ids = Counter(str(message(name)["Message-ID"]).strip() for name in NAMES)
    assert [mid for mid, n in ids.items() if n > 1] == []


@pytest.mark.parametrize("name", NAMES)
def test_dockets_are_canonical_and_real_unless_a_problem_is_expected(name: str) -> None:
    data = label(name)
    for report in data["reports"]:
        docket = report["docket_number"]
        if data["expect_problems"] and (docket is None or docket != _canonical(docket)):
            continue  # a missing or invalid docket is the problem this sample shows
        assert docket is not None and normalize_docket(docket) == docket


def _canonical(docket: str) -> str | None:
    try:
        return normalize_docket(docket)
    except ValueError:
        return None


@pytest.mark.parametrize("name", NAMES)
def test_times_carry_an_offset_and_are_not_after_the_message(name: str) -> None:
    data = label(name)
    sent = parsedate_to_datetime(str(message(name)["Date"]))
    for report in data["reports"]:
        if report["occurred_at"] is None:
            continue
        occurred = datetime.fromisoformat(report["occurred_at"])
        assert occurred.utcoffset() is not None
        assert occurred <= sent or data["expect_problems"], "occurred after the Date header"


@pytest.mark.parametrize("name", NAMES)
def test_fields_hold_only_the_registry_values(name: str) -> None:
    for report in label(name)["reports"]:
        activity = report["activity"]
        assert activity in ACTIVITIES
        assert report["method"] in ({"hand", "abode", None} if activity == "service" else {None})
        assert report["police_assistance"] in (True, False, None)
        if activity not in ("service", "attempt"):
            assert report["police_assistance"] is None
        terms = {"attempt": ATTEMPT_TERMS, "other": OTHER_TERMS}.get(activity, set())
        assert report["reason_code"] in terms | {None}
        if activity != "transferred":
            assert report["transferred_to"] is None
        assert report["officer_name"], "every report has the officer who made it"


@pytest.mark.parametrize("name", NAMES)
def test_the_officers_reason_is_quoted_from_the_message(name: str) -> None:
    reports = label(name)["reports"]
    words = [r["reason"] for r in reports]
    if not any(words):
        return
    text = readable_text(message(name))
    for said in filter(None, words):
        assert squash(said) in text, said
