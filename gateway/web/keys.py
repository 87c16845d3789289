"""Typed keys and settings the web site carries from start-up to its handlers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import jinja2
from aiohttp import web

from registry.accounts import AccountRules
from registry.models import Role, User
from registry.policy import Policy


@dataclass(frozen=True)
class WebSettings:
    rules: AccountRules
    policy: Policy
    idle_timeout: timedelta
    reauthenticate: timedelta
    require_mfa_for_officers: bool
    secure_cookies: bool

    def needs_mfa(self, user: User) -> bool:
        """Staff and managers always need MFA; officers when the configuration says so."""
        return user.role is not Role.OFFICER or self.require_mfa_for_officers


SETTINGS = web.AppKey("web_settings", WebSettings)
TEMPLATES = web.AppKey("web_templates", jinja2.Environment)
USER_KEY = web.RequestKey("por_web_user", User)  # the signed-in user
