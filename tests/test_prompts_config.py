from __future__ import annotations

from pathlib import Path

import pytest

from summarizer import prompts
from summarizer.config import load_settings
from summarizer.errors import ConfigError, PromptError


def test_prompts_load_render_and_keep_the_article_out_of_the_shared_prefix():
    for prompt in prompts.available():
        messages = prompt.render(article="ARTICLE-TEXT", article_id="x", sentences=[], areas=[("trade", "t")])
        assert messages[-1]["role"] == "user"
        assert all("ARTICLE-TEXT" not in m["content"] for m in messages[:-1])
    v3 = prompts.load("brief@v3")
    assert v3.shape == "meetings" and "invitations" in v3.follow_ups
    assert v3.settings["temperature"] == 0


def test_bad_prompt_files_are_refused_clearly(tmp_path: Path):
    (tmp_path / "brief").mkdir()
    (tmp_path / "brief" / "v1.md").write_text("no front matter")
    with pytest.raises(PromptError, match="front matter"):
        prompts.load("brief@v1", tmp_path)
    (tmp_path / "brief" / "v2.md").write_text("---\nid: brief\nversion: 3\ndescription: d\nshape: full\n---\n[user]\nx\n")
    with pytest.raises(PromptError, match="front matter says brief@v3"):
        prompts.load("brief@v2", tmp_path)
    with pytest.raises(PromptError, match="id@vN"):
        prompts.parse_ref("brief-1")


def test_settings_layering(tmp_path: Path):
    config = tmp_path / "config.toml"
    config.write_text('model = "from-file"\ntimeout = 5.0\nprompt = "brief@v1"\n')
    env = {"SUMMARIZER_CONFIG": str(config), "OPENAI_BASE_URL": "http://127.0.0.1:9/v1", "SUMMARIZER_MODEL": "from-env"}
    s = load_settings(env=env)
    assert (s.model, s.timeout, s.prompt, s.resolved_backend) == ("from-env", 5.0, "brief@v1", "openai")
    assert load_settings(env=env, model="from-flag").model == "from-flag"
    assert load_settings(env={"SUMMARIZER_CONFIG": str(tmp_path / "none.toml")}).resolved_backend == "local"


def test_bad_config_is_a_clear_error(tmp_path: Path):
    config = tmp_path / "config.toml"
    config.write_text("colour = 'blue'\n")
    with pytest.raises(ConfigError, match="unknown key"):
        load_settings(env={"SUMMARIZER_CONFIG": str(config)})
    with pytest.raises(ConfigError, match="mode must be one of"):
        load_settings(env={"SUMMARIZER_CONFIG": str(tmp_path / "x.toml")}, mode="telepathy")
