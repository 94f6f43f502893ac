"""Settings: defaults < config file < environment < command-line flags.

With no endpoint configured (no ``OPENAI_BASE_URL``, no ``OPENAI_API_KEY``) the
embedded model runs in-process; with either set, the OpenAI-compatible endpoint
is used. The config file is TOML: ``$SUMMARIZER_CONFIG`` or
``$XDG_CONFIG_HOME/summarizer/config.toml``, keys as in :class:`Settings`.
"""

from __future__ import annotations

import dataclasses
import functools
import os
import tomllib
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import platformdirs
from pydantic import TypeAdapter, ValidationError

from .errors import ConfigError

Backend = Literal["local", "openai"]
MODES = ("auto", "tools", "json_schema", "grammar", "json_object_schema", "guided_json", "json", "md_json")  # structured.WAYS
DEFAULT_PROMPT = "brief@v4"
DEFAULT_REMOTE_MODEL = "gpt-4o-mini"


def _xdg(kind: str) -> Path:
    if kind == "cache":
        return Path(platformdirs.user_cache_dir("summarizer", appauthor=False))
    return Path(platformdirs.user_config_dir("summarizer", appauthor=False))


@dataclass
class Settings:
    backend: Backend | None = None  # None: decide from the environment
    base_url: str | None = None
    api_key: str | None = None
    model: str | None = None  # remote model name, or a label for the local file
    model_path: Path | None = None  # a GGUF file for the local backend
    mode: str = "auto"
    prompt: str = DEFAULT_PROMPT
    cache_dir: Path = field(default_factory=lambda: _xdg("cache") / "briefs")
    models_dir: Path = field(default_factory=lambda: _xdg("cache") / "models")
    timeout: float = 120.0  # seconds per request to a remote endpoint
    max_reasks: int = 2  # validation re-asks after the first attempt
    max_transport_retries: int = 4  # timeouts, connection errors, 429, 5xx
    n_ctx: int = 4096  # the embedded model's context window
    context_tokens: int | None = None  # a remote model's context window, when you want it enforced
    n_threads: int | None = None
    use_cache: bool = True
    refresh: bool = False
    concurrency: int = 1  # requests in flight to a remote endpoint; the embedded model runs one at a time
    max_tokens_total: int | None = None  # stop starting new articles past this many tokens
    max_cost: float | None = None  # ... or past this many USD
    prices: dict[str, list[float]] = field(default_factory=dict)  # model -> [input, output] USD per 1M tokens
    # Worker processes that re-derive briefs from stored replies (no model in them); None: one per core (up to 4)
    # on the command line, none through the library (spawned workers need the caller's `__main__` guard).
    replay_processes: int | None = None

    @property
    def replies_dir(self) -> Path:
        """The model's raw replies, beside the briefs derived from them."""
        from .cache import REPLIES

        return self.cache_dir / REPLIES

    @property
    def resolved_backend(self) -> Backend:
        if self.backend:
            return self.backend
        return "openai" if (self.base_url or self.api_key) else "local"

    def with_overrides(self, **overrides: Any) -> Settings:
        known = {f.name for f in dataclasses.fields(self)}
        unknown = set(overrides) - known
        if unknown:
            raise ConfigError(f"unknown setting(s): {', '.join(sorted(unknown))}")
        values = {k: v for k, v in overrides.items() if v is not None}
        return dataclasses.replace(self, **values)


_PATH_KEYS = {"model_path", "cache_dir", "models_dir"}


@functools.cache
def _adapters() -> dict[str, TypeAdapter]:
    return {name: TypeAdapter(hint) for name, hint in typing.get_type_hints(Settings).items()}


def _coerce(name: str, value: Any, where: str | None = None) -> Any:
    """The value as its setting's type; a config-file or environment typo is a ConfigError naming it."""
    if value is None:
        return None
    if name in _PATH_KEYS:
        return Path(value).expanduser()
    adapter = _adapters().get(name)
    if adapter is None:
        return value  # unknown keys are reported by with_overrides
    try:
        return adapter.validate_python(value)
    except ValidationError as exc:
        raise ConfigError(f"{where or name} = {value!r}: {exc.errors()[0]['msg']}") from None


def config_file_path() -> Path:
    return Path(os.environ.get("SUMMARIZER_CONFIG") or _xdg("config") / "config.toml")


def load_settings(env: dict[str, str] | None = None, **overrides: Any) -> Settings:
    env = dict(os.environ if env is None else env)
    settings = Settings()
    known = {f.name for f in dataclasses.fields(Settings)}

    path = Path(env["SUMMARIZER_CONFIG"]) if env.get("SUMMARIZER_CONFIG") else config_file_path()
    if path.is_file():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{path}: not valid TOML: {exc}") from exc
        unknown = set(data) - known
        if unknown:
            raise ConfigError(f"{path}: unknown key(s) {', '.join(sorted(unknown))}")
        settings = settings.with_overrides(**{k: _coerce(k, v, f"{path}: {k}") for k, v in data.items()})

    from_env = {
        "base_url": env.get("OPENAI_BASE_URL"),
        "api_key": env.get("OPENAI_API_KEY"),
        "model": env.get("SUMMARIZER_MODEL"),
        "model_path": env.get("SUMMARIZER_MODEL_PATH"),
        "cache_dir": env.get("SUMMARIZER_CACHE_DIR"),
        "models_dir": env.get("SUMMARIZER_MODELS_DIR"),
        "backend": env.get("SUMMARIZER_BACKEND"),
        "mode": env.get("SUMMARIZER_MODE"),
        "prompt": env.get("SUMMARIZER_PROMPT"),
        "context_tokens": env.get("SUMMARIZER_CONTEXT_TOKENS"),
        "replay_processes": env.get("SUMMARIZER_REPLAY_PROCESSES"),
    }
    env_names = {"base_url": "OPENAI_BASE_URL", "api_key": "OPENAI_API_KEY", "context_tokens": "SUMMARIZER_CONTEXT_TOKENS"}
    settings = settings.with_overrides(**{
        k: _coerce(k, v, env_names.get(k, "SUMMARIZER_" + k.upper()))
        for k, v in from_env.items() if v})
    settings = settings.with_overrides(**{k: _coerce(k, v) for k, v in overrides.items()})
    validate(settings)
    return settings


def validate(settings: Settings) -> None:
    if settings.backend not in (None, "local", "openai"):
        raise ConfigError(f"backend must be 'local' or 'openai', not {settings.backend!r}")
    if settings.mode not in MODES:
        raise ConfigError(f"mode must be one of {', '.join(MODES)}, not {settings.mode!r}")
    if settings.concurrency < 1:
        raise ConfigError(f"concurrency must be 1 or more, not {settings.concurrency}")
    if settings.max_reasks < 0 or settings.max_transport_retries < 0:
        raise ConfigError("max_reasks and max_transport_retries must be 0 or more")
    if settings.resolved_backend == "openai" and not settings.api_key and not settings.base_url:
        raise ConfigError("backend 'openai' needs OPENAI_API_KEY (for OpenAI) or OPENAI_BASE_URL (for a server)")
