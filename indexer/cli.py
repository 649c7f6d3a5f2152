"""`hanil reindex` and `hanil stats` (the index folder comes from the `hanil` group)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from . import store
from .build import UnsafeRun, reindex
from .stats import index_stats

# The seeds: the default corpus when hanil runs from a checkout (an installed hanil has none).
SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@click.command("reindex")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--full", is_flag=True, help="Rebuild from scratch beside the live index.")
@click.option(
    "--force",
    is_flag=True,
    help="Delete even when the run would remove over half the index, or rebuild in full "
    "although some input could not be read.",
)
@click.option(
    "--procs",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    help="Worker processes for analysis (each loads Kiwi once).",
)
@click.pass_obj
def reindex_command(obj, paths: tuple[Path, ...], full: bool, force: bool, procs: int) -> None:
    """Index PATHS (files or folders; default: the seeds of a checkout).

    Incremental unless --full: new and changed articles are indexed, and an indexed article
    is deleted only when the file it came from was read whole and no longer holds it, or is
    gone from a folder given. Missing or unreadable inputs delete nothing. A run that would
    delete more than half the index refuses without --force.

    Exit status: 0 when everything was indexed, 1 when some input was skipped (the rest
    is indexed) or the run was refused, 2 for usage errors.
    """
    index_dir = obj["index_dir"]
    if not paths:
        if not SEEDS.is_dir():
            raise click.UsageError(
                "give the files or folders to index: hanil reindex PATH... (pages .txt/.html, "
                "JSONL, WARC, feeds; this installed hanil has no default corpus)"
            )
        paths = (SEEDS,)
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

    summary = None
    try:
        summary = reindex(
            paths,
            index_dir,
            full=full,
            procs=procs,
            progress=progress,
            on_collected=on_collected,
            force=force,
        )
    except (store.BuildBusy, UnsafeRun) as exc:
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
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def stats_command(obj, as_json: bool) -> None:
    """Show article counts by language and facet, index size and last build time."""
    try:
        info = index_stats(obj["index_dir"])
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
    click.echo(f"deleted    {info['deleted']} documents still in segments")
    click.echo(f"size       {info['size_bytes'] / 1e6:.1f} MB")
    click.echo(f"built      {info['built_at']}   updated {info['updated_at']}")
    for facet, values in info["facets"].items():
        shown = ", ".join(f"{v} ({c})" for v, c in values)
        click.echo(f"{facet:<10} {info['facet_values'][facet]} values: {shown}")
