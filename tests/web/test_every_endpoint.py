"""No request input can produce a 500 (issue: security under attack, 5).

Every route the application serves is sent over-long and malformed values in every field any
form of the site carries, in its query string and its body, with a valid CSRF token so the
values reach the handler, by a visitor, an officer and a staff member. Path parameters get the
real identifiers, numbers past any column's range and over-long text.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from importlib import resources
from itertools import product
from pathlib import Path

import pytest
from aiohttp import ClientResponse

from gateway.web.limits import DEFAULT, FIELD_LIMITS
from registry.access_requests import AccessRequestForm, submit_access_request
from registry.entries import EntryDraft, record_entry
from registry.models import (
    Activity,
    Case,
    Channel,
    Delivery,
    InboundMessage,
    InboundStatus,
    Method,
    Role,
)
from registry.policy import Policy
from tests.factories import T0, make_case
from tests.review.conftest import emailed_item, sample
from tests.web.conftest import MFA_SECRET, ClientMaker, Site, make_account, open_site

_TEMPLATE_FIELD = re.compile(r'name="([a-z_]+)"')


def _form_fields() -> set[str]:
    """Every field name a page of the site posts, read from the templates themselves."""
    names = set(FIELD_LIMITS)
    for template in Path(str(resources.files("gateway.web").joinpath("templates"))).rglob("*.html"):
        names.update(_TEMPLATE_FIELD.findall(template.read_text()))
    return names - {"csrf_token", "viewport"}


BAD_VALUES = {
    "over-long": "x" * 5000,  # past every field's limit
    "NUL and controls": "a\x00b\x1b[31m\r\nc",
    "invisible direction override": "Marshal\u202egnp.exe",
    "line breaks and tabs": "first line\r\n\tsecond line",
    "letters of every script": "Zoë Łódź שלום مرحبا 李 🚓",
    "past any integer column": "99999999999999999999",
    "negative": "-1",
    "markup and quotes": "<script>alert(1)</script>' OR '1'='1",
    "not a date": "2026-13-45",
}
# What each path parameter is given besides the real identifier.
BAD_PARAMETERS = ["99999999999999999999", "0", "y" * DEFAULT, "y" * 1000]


def _paths(site: Site, real: dict[str, str]) -> list[tuple[str, str]]:
    """Every (method, path) the application routes, with each parameter filled in each way."""
    found = []
    for route in site.client.app.router.routes():
        info = route.resource.get_info() if route.resource else {}
        if route.method not in ("GET", "POST") or "prefix" in info:
            continue  # HEAD mirrors GET; static files are served by aiohttp itself
        template = info.get("formatter") or info.get("path")
        assert template, route
        names = re.findall(r"\{(\w+)\}", template)
        choices = [[real.get(name, "1"), *BAD_PARAMETERS] for name in names]
        for values in product(*choices) if names else [()]:
            found.append((route.method, template.format(**dict(zip(names, values, strict=True)))))
    return found


async def _signed_in(site: Site, role: Role | None) -> str:
    """Sign in with a fresh session for `role` (None: a visitor); return its CSRF token."""
    site.client.session.cookie_jar.clear()
    if role is Role.OFFICER:
        await site.log_in("marshal.doe")
        return await site.token("/profile/password")
    if role is Role.STAFF:
        site.clock.advance(seconds=31)  # a TOTP code is good once: the next login waits a step
        await site.log_in("registry.clerk", secret=MFA_SECRET)
        return await site.token("/profile/password")
    return await site.token("/login")


def _sent_to_login(response: ClientResponse) -> bool:
    return any(r.headers.get("Location", "").startswith("/login") for r in response.history)


DAYBOOK_TOKEN = "a daybook token for the test only"
METRICS_TOKEN = "a metrics token for the test only, long enough"


async def _one_of_everything() -> dict[str, str]:
    """Accounts, a case with a recorded service and its deliveries, an emailed report waiting
    for review and an access request: the real identifier of each path parameter."""
    officer = await make_account("marshal.doe", officer_number="M-101")
    await make_account("registry.clerk", role=Role.STAFF)
    case = await make_case(hearing=date(2026, 11, 20))
    entry = await record_entry(
        EntryDraft(
            case.docket_number,
            Activity.SERVICE,
            occurred_at=T0 - timedelta(minutes=30),
            method=Method.HAND,
            police_assistance=False,
        ),
        officer=officer,
        channel=Channel.WEB,
        policy=Policy(),
        now=T0,
    )
    delivery = await Delivery.filter(entry=entry).first()
    item = await emailed_item(sample("served-in-hand.eml"))
    form = AccessRequestForm(full_name="New Marshal", username="new.marshal",
                             email="new.marshal@example.com", agreed=True)  # fmt: skip
    access = await submit_access_request(form, now=T0, client="192.0.2.7")
    assert delivery is not None
    return {
        "docket": case.docket_number,
        "action": "service",
        "entry_id": str(entry.id),
        "user_id": str(officer.id),
        "request_id": str(access.id),
        "item_id": str(item.id),
        "index": "0",
        "number": "1",
        "delivery_id": str(delivery.id),
    }


@pytest.fixture
async def site(registry_url: str, aiohttp_client: ClientMaker) -> Site:
    """The whole application with every route it has switched on."""
    return await open_site(
        registry_url,
        aiohttp_client,
        POR_SECURITY_DAYBOOK_TOKEN=DAYBOOK_TOKEN,
        POR_SECURITY_METRICS_TOKEN=METRICS_TOKEN,
    )


@pytest.mark.parametrize("role", [None, Role.OFFICER, Role.STAFF], ids=str)
async def test_no_value_sent_to_any_route_is_a_server_error(site: Site, role: Role | None) -> None:
    real = await _one_of_everything()
    fields = _form_fields()
    token = await _signed_in(site, role)
    failures = []
    for method, path in _paths(site, real):
        for kind, value in BAD_VALUES.items():
            # Malformed values fit their fields, so they reach the handler; over-long ones don't.
            values = {
                name: value if kind == "over-long" else value[: FIELD_LIMITS.get(name, DEFAULT)]
                for name in fields
            }
            if method == "GET":
                # Over 8 KiB a URL is refused by the HTTP parser itself (400): stay under it.
                short = {name: text[: DEFAULT + 1] for name, text in values.items()}
                response = await site.client.get(path, params=short)
            else:
                response = await site.client.post(path, data={**values, "csrf_token": token})
            if response.status >= 500:
                failures.append(f"{method} {path[:80]} with {kind} values: {response.status}")
            elif kind == "over-long" and not path.startswith(("/api/", "/telegram/")):
                # Refused before any handler or database work, naming a field.
                if response.status != 400 or "use at most" not in await response.text():
                    failures.append(
                        f"{method} {path[:80]} took over-long values: {response.status}"
                    )
            if _sent_to_login(response) and role is not None:
                token = await _signed_in(site, role)  # the request ended the session
    assert not failures, "\n".join(failures)
    assert await Case.filter(docket_number=real["docket"]).exists()


GOOD_ROW = (
    '{"court": "HHD", "docket": "HHD-FA-26-6012345-S", "order_type": "restraining", '
    '"respondent_first_name": "Robert", "respondent_last_name": "Jones", '
    '"hearing_date": "2026-11-20"}'
)
BAD_DAYBOOKS = {
    "nested 100,000 levels": ("application/x-ndjson", b"[" * 100_000 + b"]" * 100_000),
    "an object nested deep in a row": (
        "application/x-ndjson",
        GOOD_ROW[:-1].encode() + b', "firearms": ' + b"[" * 50_000 + b"]" * 50_000 + b"}",
    ),
    "not UTF-8": ("text/csv", b"court,docket\n\xff\xfe\xfa,\x80\n"),
    "NUL bytes": ("text/csv", b"court,docket\x00\nHHD,\x00\x00\n"),
    "a number where text goes": (
        "application/x-ndjson",
        b'{"court": 7, "docket": 12345678901234567890, "hearing_date": 2026}',
    ),
    "a list for a row": ("application/x-ndjson", b'[1, 2, 3]\n"text"\nnull\n'),
    "a name 100,000 long": (
        "application/x-ndjson",
        GOOD_ROW.replace("Robert", "R" * 100_000).encode(),
    ),
    "a CSV field 200,000 long": ("text/csv", b"court,docket\nHHD," + b"9" * 200_000 + b"\n"),
    "no header": ("text/csv", b""),
    "a date no calendar has": (
        "application/x-ndjson",
        GOOD_ROW.replace("2026-11-20", "99999-99-99").encode(),
    ),
}


@pytest.mark.parametrize("name", BAD_DAYBOOKS)
async def test_a_malformed_daybook_gets_a_clear_answer_and_is_kept(site: Site, name: str) -> None:
    content_type, body = BAD_DAYBOOKS[name]
    response = await site.client.post(
        "/api/daybook",
        data=body,
        headers={"Authorization": f"Bearer {DAYBOOK_TOKEN}", "Content-Type": content_type},
    )
    assert response.status in (200, 400), await response.text()
    answer = await response.json()
    assert answer["reference"].startswith("R-")  # the upload is kept, whatever it held
    kept = await InboundMessage.get(channel=Channel.DAYBOOK)
    assert kept.payload == body
    if response.status == 200:
        assert answer["errors"], "a malformed row must be reported, not imported"
        assert not await Case.exists()
    else:
        assert kept.status is InboundStatus.FAILED and answer["error"]
