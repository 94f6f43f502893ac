"""Versioned prompts: ``prompts/<id>/v<N>.md`` files addressed as ``id@vN``.

A prompt file is YAML front matter (id, version, description, shape, settings)
followed by a Jinja body cut into messages by lines ``[system]``, ``[user]`` and
``[assistant]`` (a worked example is a user/assistant pair before the last
user message). Sections ``[follow-up NAME]`` at the end are later questions in
the same conversation, asked when the response shape wants them. Only the last user message may depend on the article: all before
it is the shared prefix that a local model keeps evaluated between articles.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
import yaml

from .errors import PromptError

_REF = re.compile(r"^(?P<id>[a-z0-9_\-]+)@v(?P<version>\d+)$")
_PART = re.compile(r"^\[(system|user|assistant)\]\s*$", re.MULTILINE)
_FOLLOW_UP = re.compile(r"^\[follow-up ([a-z_]+)\]\s*$", re.MULTILINE)
_ENV = jinja2.Environment(undefined=jinja2.StrictUndefined, keep_trailing_newline=False,
                          trim_blocks=True, lstrip_blocks=True)


@functools.lru_cache(maxsize=64)
def _compiled(template: str) -> jinja2.Template:
    return _ENV.from_string(template)  # compiling costs more than rendering: once per template


def default_prompts_dir() -> Path:
    env = os.environ.get("SUMMARIZER_PROMPTS_DIR")
    if env:
        return Path(env)
    return Path(__file__).resolve().parent.parent / "prompts"


@dataclass(frozen=True)
class Prompt:
    id: str
    version: int
    description: str
    shape: str
    settings: dict[str, Any]
    messages: tuple[tuple[str, str], ...]  # (role, Jinja template) in order
    follow_ups: dict[str, str]  # name -> template of a later user turn in the same conversation
    sha256: str
    path: Path
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def ref(self) -> str:
        return f"{self.id}@v{self.version}"

    def render(self, **variables: Any) -> list[dict[str, str]]:
        try:
            return [{"role": role, "content": _compiled(template).render(**variables).strip()}
                    for role, template in self.messages]
        except jinja2.TemplateError as exc:
            raise PromptError(f"{self.path}: cannot render {self.ref}: {exc}") from exc

    def render_follow_up(self, name: str, **variables: Any) -> dict[str, str]:
        try:
            return {"role": "user", "content": _compiled(self.follow_ups[name]).render(**variables).strip()}
        except jinja2.TemplateError as exc:
            raise PromptError(f"{self.path}: cannot render follow-up {name!r} of {self.ref}: {exc}") from exc


def parse_ref(ref: str) -> tuple[str, int]:
    match = _REF.match(ref.strip())
    if not match:
        raise PromptError(f"{ref!r} is not a prompt reference; write it as id@vN, e.g. brief@v1")
    return match["id"], int(match["version"])


def load_file(path: Path) -> Prompt:
    try:
        raw = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PromptError(f"{path}: cannot read prompt: {exc.strerror}") from exc
    if not raw.startswith("---\n"):
        raise PromptError(f"{path}: prompt must start with YAML front matter between '---' lines")
    try:
        _, front, body = raw.split("---\n", 2)
        meta = yaml.safe_load(front) or {}
    except (ValueError, yaml.YAMLError) as exc:
        raise PromptError(f"{path}: malformed front matter: {exc}") from exc
    missing = [k for k in ("id", "version", "description", "shape") if k not in meta]
    if missing:
        raise PromptError(f"{path}: front matter lacks {', '.join(missing)}")
    body, *rest = _FOLLOW_UP.split(body)  # rest: [name, template, name, template, ...]
    follow_ups = dict(zip(rest[0::2], rest[1::2], strict=True))
    parts = _PART.split(body)  # [preamble, role, text, role, text, ...]
    messages = tuple(zip(parts[1::2], parts[2::2], strict=True))
    if not messages or messages[-1][0] != "user" or parts[0].strip():
        raise PromptError(f"{path}: body must be [system]/[user]/[assistant] sections ending with [user]")
    return Prompt(
        id=str(meta["id"]), version=int(meta["version"]), description=str(meta["description"]).strip(),
        shape=str(meta["shape"]), settings=dict(meta.get("settings") or {}),
        messages=messages, follow_ups=follow_ups,
        sha256=hashlib.sha256(raw.encode()).hexdigest(), path=path, meta=meta,
    )


def available(prompts_dir: Path | None = None) -> list[Prompt]:
    root = prompts_dir or default_prompts_dir()
    found = [load_file(p) for p in sorted(root.glob("*/v*.md"))]
    return sorted(found, key=lambda p: (p.id, p.version))


def load(ref: str, prompts_dir: Path | None = None) -> Prompt:
    prompt_id, version = parse_ref(ref)
    root = prompts_dir or default_prompts_dir()
    path = root / prompt_id / f"v{version}.md"
    if not path.is_file():
        known = ", ".join(p.ref for p in available(root)) or "none"
        raise PromptError(f"no prompt {ref} (looked for {path}); available: {known}")
    prompt = load_file(path)
    if (prompt.id, prompt.version) != (prompt_id, version):
        raise PromptError(f"{path}: front matter says {prompt.ref}, file name says {ref}")
    return prompt
