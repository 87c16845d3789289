"""Typed keys and settings the web site carries from start-up to its handlers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import jinja2
from aiohttp import web

from registry.accounts import AccountRules
from registry.models import Role, User, WebSession
from registry.policy import Policy
from registry.sessions import SessionLimits


@dataclass(frozen=True)
class WebSettings:
    rules: AccountRules
    policy: Policy
    idle_timeout: timedelta
    reauthenticate: timedelta
    require_mfa_for_officers: bool
    secure_cookies: bool

    @property
    def session_limits(self) -> SessionLimits:
        return SessionLimits(idle=self.idle_timeout, absolute=self.reauthenticate)

    def needs_mfa(self, user: User) -> bool:
        """Staff and managers always need MFA; officers when the configuration says so."""
        return user.role is not Role.OFFICER or self.require_mfa_for_officers


SETTINGS = web.AppKey("web_settings", WebSettings)
TEMPLATES = web.AppKey("web_templates", jinja2.Environment)
USER_KEY = web.RequestKey("por_web_user", User)  # the signed-in user
SESSION_ROW = web.RequestKey("por_web_session", WebSession)  # the request's live session
# Why the session a cookie named has ended ("idle", "reauthenticate", "inactive"), if it has.
SESSION_ENDED = web.RequestKey("por_web_session_ended", str)
