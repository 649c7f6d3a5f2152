"""`hanil reindex` and `hanil stats`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from . import store
from .build import reindex
from .stats import index_stats

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_INPUT = PROJECT_ROOT / "seeds"


def default_index_dir() -> Path:
    """The instance folder's index: beside the project when run from a checkout."""
    base = PROJECT_ROOT if (PROJECT_ROOT / "pyproject.toml").exists() else Path.cwd()
    return base / "instance" / "index"


index_dir_option = click.option(
    "--index-dir",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="HANIL_INDEX_DIR",
    default=default_index_dir,
    show_default="$HANIL_INDEX_DIR or instance/index",
    help="Folder holding the index.",
)


@click.command("reindex")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@index_dir_option
@click.option("--full", is_flag=True, help="Rebuild from scratch beside the live index.")
@click.option(
    "--procs",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    help="Worker processes for analysis (each loads Kiwi once).",
)
def reindex_command(paths: tuple[Path, ...], index_dir: Path, full: bool, procs: int) -> None:
    """Index PATHS (files or folders; default: the seeds) into the index folder.

    Exit status: 0 when everything was indexed, 1 when some input was skipped (the rest
    is indexed), 2 for usage errors.
    """
    paths = paths or (DEFAULT_INPUT,)
    bar = None
    tty = sys.stderr.isatty()

    def on_collected(n: int) -> None:
        nonlocal bar
        if tty:
            bar = click.progressbar(length=n, label="indexing", file=sys.stderr)
            bar.__enter__()

    def progress(k: int) -> None:
        if bar is not None:
            bar.update(k)

    try:
        summary = reindex(
            paths, index_dir, full=full, procs=procs, progress=progress, on_collected=on_collected
        )
    except store.BuildBusy as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    for skip in summary.skipped:
        click.echo(f"skipped {skip.path}: {skip.reason}", err=True)
    click.echo(
        f"added {summary.added}, updated {summary.updated}, deleted {summary.deleted}, "
        f"unchanged {summary.unchanged}, skipped {len(summary.skipped)} | "
        f"{summary.elapsed:.1f} s, {summary.rate:.1f} articles/s, "
        f"{summary.chars / 1e6 / max(summary.elapsed, 1e-9):.3f} M chars/s | index {index_dir}"
    )
    if summary.skipped:
        sys.exit(1)


@click.command("stats")
@index_dir_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def stats_command(index_dir: Path, as_json: bool) -> None:
    """Show article counts by language and facet, index size and last build time."""
    try:
        info = index_stats(index_dir)
    except store.IndexMissing as exc:
        raise click.ClickException(str(exc)) from exc
    if as_json:
        click.echo(json.dumps(info, ensure_ascii=False, indent=2))
        return
    click.echo(f"index      {info['index']}")
    click.echo(
        f"articles   {info['articles']}  "
        + "  ".join(f"{k}: {v}" for k, v in sorted(info["by_lang"].items()))
    )
    click.echo(f"size       {info['size_bytes'] / 1e6:.1f} MB")
    click.echo(f"built      {info['built_at']}   updated {info['updated_at']}")
    for facet, values in info["facets"].items():
        shown = ", ".join(f"{v} ({c})" for v, c in values)
        click.echo(f"{facet:<10} {info['facet_values'][facet]} values: {shown}")
