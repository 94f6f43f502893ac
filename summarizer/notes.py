"""Briefs rendered for people: Markdown briefing notes."""

from __future__ import annotations

import re
from functools import cache

import jinja2

from .schema import Brief


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("summarizer", "templates"),
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )


def render_note(brief: Brief) -> str:
    text = _environment().get_template("note.md.j2").render(brief=brief)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def render_notes(briefs: list[Brief]) -> str:
    return "\n---\n\n".join(render_note(b) for b in briefs)
