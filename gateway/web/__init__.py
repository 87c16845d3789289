"""The Service Tracking System web site: officer screens, accounts and access security."""

from __future__ import annotations

import logging
from datetime import timedelta
from importlib import resources
from pathlib import Path

import aiohttp_jinja2
import jinja2
from aiohttp import web

from gateway.config import Config
from gateway.runtime import account_rules, policy_from
from gateway.web import login, officer, profile, reports, review, staff, telegram_link
from gateway.web.keys import SETTINGS, TEMPLATES, WebSettings
from gateway.web.limits import field_limit, refuse_over_long
from gateway.web.session import setup_sessions

log = logging.getLogger(__name__)
# The style sheets and scripts, shipped in the package (a static route needs a real folder).
STATIC = Path(str(resources.files("gateway.web").joinpath("static")))


def settings_from(config: Config) -> WebSettings:
    """Return the web site's settings from the configuration's [security] and [policy]."""
    security = config.security
    return WebSettings(
        rules=account_rules(config),
        policy=policy_from(config),
        idle_timeout=timedelta(minutes=security.idle_timeout_minutes),
        reauthenticate=timedelta(hours=security.reauthenticate_hours),
        require_mfa_for_officers=security.require_mfa_for_officers,
        secure_cookies=config.server.public_url.startswith("https://"),
    )


def setup(app: web.Application, config: Config) -> None:
    """Add the web site's pages, sessions, security headers and daily account job to the app."""
    settings = settings_from(config)
    app[SETTINGS] = settings
    templates = aiohttp_jinja2.setup(
        app,
        loader=jinja2.PackageLoader("gateway.web", "templates"),
        autoescape=True,  # every value a page shows is HTML-escaped
        undefined=jinja2.StrictUndefined,
        app_key=TEMPLATES,
    )
    templates.globals["limit"] = field_limit  # each form field's maxlength
    setup_sessions(
        app,
        limits=settings.session_limits,
        secret=config.security.session_secret,
        secure=settings.secure_cookies,
    )
    app.middlewares.append(refuse_over_long)  # before any handler reads a value
    add_routes(app.router)


def add_routes(router: web.UrlDispatcher) -> None:
    """Route every page; an identifier has at most 9 digits, so a longer one is a 404 rather
    than a number past the range of the database's integer columns."""
    r = router
    r.add_static("/static/web", STATIC, name="web_static")
    r.add_get("/login", login.login_page)
    r.add_post("/login", login.login)
    r.add_get("/login/mfa", login.mfa_page)
    r.add_post("/login/mfa", login.mfa_code)
    r.add_post("/logout", login.logout)
    r.add_get("/access-request", profile.access_request_page)
    r.add_post("/access-request", profile.access_request_submit)
    r.add_get("/agreement", profile.agreement_page)
    r.add_post("/agreement", profile.agreement_accept)
    r.add_get("/profile", profile.profile_page)
    r.add_get("/profile/password", profile.password_page)
    r.add_post("/profile/password", profile.password_change)
    r.add_get("/profile/mfa", profile.mfa_page)
    r.add_post("/profile/mfa", profile.mfa_enable)
    r.add_post("/profile/telegram", telegram_link.telegram_link)
    r.add_post("/profile/sessions/end", profile.end_all_sessions)
    r.add_get("/", officer.home)
    r.add_get("/cases/{docket}", officer.case_page)
    r.add_get("/cases/{docket}/{action}", officer.entry_form)
    r.add_post("/cases/{docket}/{action}", officer.double_check)
    r.add_post("/cases/{docket}/{action}/submit", officer.submit_entry)
    r.add_get(r"/entries/{entry_id:\d{1,9}}", officer.receipt)
    r.add_get("/my-entries", officer.my_entries)
    r.add_get("/staff/accounts", staff.accounts)
    r.add_get("/staff/accounts/new", staff.new_account_page)
    r.add_post("/staff/accounts/new", staff.new_account)
    r.add_get(r"/staff/accounts/{user_id:\d{1,9}}", staff.account_page)
    r.add_post(r"/staff/accounts/{user_id:\d{1,9}}/reset-password", staff.account_reset)
    r.add_post(r"/staff/accounts/{user_id:\d{1,9}}/active", staff.account_active)
    r.add_post(r"/staff/accounts/{user_id:\d{1,9}}/clear-mfa", staff.account_clear_mfa)
    r.add_post(r"/staff/accounts/{user_id:\d{1,9}}/end-sessions", staff.account_end_sessions)
    r.add_get("/staff/access-requests", staff.access_requests)
    r.add_post(r"/staff/access-requests/{request_id:\d{1,9}}", staff.access_request_decide)
    r.add_get("/staff/review", review.queue)
    r.add_get(r"/staff/review/{item_id:\d{1,9}}", review.item_page)
    r.add_post(r"/staff/review/{item_id:\d{1,9}}/reports/{index:\d{1,9}}", review.decide)
    r.add_post(r"/staff/review/{item_id:\d{1,9}}/defer", review.defer)
    r.add_get(r"/staff/review/{item_id:\d{1,9}}/attachments/{number:\d{1,9}}", review.attachment)
    r.add_post(r"/staff/review/deliveries/{delivery_id:\d{1,9}}/retry", review.retry_delivery)
    r.add_get("/staff/due-soon", reports.due_soon_page)
    r.add_get("/staff/reports/hearing-day", reports.hearing_day_page)
    r.add_get("/staff/reports/compliance", reports.compliance_page)
    r.add_get("/staff/reports/annual", reports.annual_page)
