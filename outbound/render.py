"""Render outbound messages from replaceable templates (outbound/templates/*.j2)."""

from __future__ import annotations

from typing import Any

import jinja2

from outbound.transport import TransportError
from outbound.update import ServiceUpdate, when

# NCIC: the MIS field holds at most 500 characters; a whole message stays well under this.
MAX_MESSAGE = 600


class Templates:
    """Templates from a deployment's folder first, then the shipped defaults."""

    def __init__(self, override_dir: str = "") -> None:
        shipped = jinja2.PackageLoader("outbound", "templates")
        loaders = [jinja2.FileSystemLoader(override_dir), shipped] if override_dir else [shipped]
        # Plain text, not HTML: autoescaping would corrupt apostrophes in names.
        self.env = jinja2.Environment(  # noqa: S701
            loader=jinja2.ChoiceLoader(loaders),
            undefined=jinja2.StrictUndefined,
            keep_trailing_newline=False,
        )
        self.env.globals["when"] = when

    def render(self, name: str, update: ServiceUpdate, **extra: Any) -> str:
        """Return the template's text for the update, stripped of surrounding blank space."""
        return self.env.get_template(f"{name}.j2").render(u=update, **extra).strip()

    def message(self, name: str, update: ServiceUpdate) -> str:
        """Render a switch message and check it can travel as one ASCII line."""
        text = self.render(name, update)
        if "\n" in text or not text.isascii() or len(text) > MAX_MESSAGE:
            raise TransportError(
                f"{name} message is not one ASCII line of at most {MAX_MESSAGE} characters",
                permanent=True,
            )
        return text
