"""Where the index lives: generations in one folder, switched atomically.

    INDEX_DIR/current -> gen-20261121T201500-1234   (a symlink, replaced atomically)
    INDEX_DIR/gen-.../                               (a whole Whoosh index + meta.json)

A full rebuild writes a new generation beside the live one and switches the link only
after its commit, so a reader sees the old index or the new one, and a rebuild killed at
any moment leaves the old one in place. The previous generation is kept until the next
switch, for readers that still have it open.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import time
from contextlib import contextmanager
from pathlib import Path

from whoosh import index as whoosh_index

from .schema import SCHEMA_VERSION, build_schema

CURRENT = "current"
META = "meta.json"
INDEX_DIR_ENV = "HANIL_INDEX_DIR"
_CHECKOUT = Path(__file__).resolve().parent.parent


def default_index_dir() -> Path:
    """Where the index lives unless told: instance/index beside the project in a checkout,
    else under the working folder (an installed hanil has no project folder)."""
    base = _CHECKOUT if (_CHECKOUT / "pyproject.toml").exists() else Path.cwd()
    return base / "instance" / "index"


class IndexMissing(Exception):
    """There is no index in the folder yet, or none that can be read (IndexDamaged)."""


class IndexDamaged(IndexMissing, FileNotFoundError):
    """A file of the live index is gone: the index cannot be served as it is, and says how
    to rebuild it (web: 503 with the message; CLI: the message)."""


def current_dir(root: Path) -> Path | None:
    """Return the live generation's folder, or None when there is none."""
    link = Path(root) / CURRENT
    if not link.is_symlink() and not link.is_dir():
        return None
    target = link.resolve()
    return target if whoosh_index.exists_in(str(target)) else None


def current_link(root: Path) -> str | None:
    """Return where the `current` link points (one system call), or None: a cheap test of
    whether the live generation changed since it was opened."""
    try:
        return os.readlink(Path(root) / CURRENT)
    except OSError:
        return None


def open_current(root: Path):
    """Open the live index with hanil's schema (no unpickling, no model load)."""
    gen = current_dir(root)
    if gen is None:
        raise IndexMissing(f"no index in {root}: run `hanil reindex` first")
    return whoosh_index.open_dir(str(gen), schema=build_schema(analyzer_kind(gen)))


def is_compatible(gen: Path, kind: str) -> bool:
    """Tell whether a generation can be updated in place: same schema, same analyzer."""
    meta = read_meta(gen)
    return meta.get("schema_version") == SCHEMA_VERSION and analyzer_kind(gen) == kind


def analyzer_kind(gen: Path) -> str:
    """The analyzer a generation was built with (morph unless `hanil eval` chose another)."""
    return read_meta(gen).get("analyzer", "morph")


def new_generation(root: Path, kind: str = "morph") -> Path:
    """Create and return an empty generation folder (not live yet)."""
    root.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%dT%H%M%S")
    gen = root / f"gen-{stamp}-{os.getpid()}-{time.monotonic_ns() % 1_000_000}"
    gen.mkdir()
    whoosh_index.create_in(str(gen), build_schema(kind))
    write_meta(gen, analyzer=kind, schema_version=SCHEMA_VERSION)
    return gen


def switch_to(root: Path, gen: Path) -> None:
    """Make gen the live generation atomically; drop all but it and the previous one."""
    previous = current_dir(root)
    tmp = root / f".{CURRENT}.{os.getpid()}"
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    tmp.symlink_to(gen.name)
    os.replace(tmp, root / CURRENT)
    keep = {gen.name, previous.name if previous else None}
    for old in root.glob("gen-*"):
        if old.name not in keep:
            shutil.rmtree(old, ignore_errors=True)


@contextmanager
def build_lock(root: Path):
    """Hold the folder's build lock: one reindex at a time."""
    root.mkdir(parents=True, exist_ok=True)
    with open(root / ".build.lock", "w") as f:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise BuildBusy(f"another reindex is running on {root}") from exc
        yield


class BuildBusy(Exception):
    """Another reindex holds the build lock."""


def read_meta(gen: Path) -> dict:
    try:
        return json.loads((gen / META).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def write_meta(gen: Path, **values) -> None:
    meta = read_meta(gen) | values
    tmp = gen / f".{META}.tmp"
    tmp.write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, gen / META)


def size_bytes(gen: Path) -> int:
    return sum(p.stat().st_size for p in gen.iterdir() if p.is_file())
