"""`hanil reindex` and `hanil stats` (the index folder comes from the `hanil` group)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from . import store
from .build import Cluster, UnsafeRun, reindex
from .cluster import ClusterUnavailable
from .inputs import list_inputs
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
    help="Worker processes for reading and analysis (models loaded once, shared).",
)
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    help="Analyze on the Dask cluster of this scheduler (tcp://HOST:8786); its workers must "
    "see the index folder at the same path.",
)
@click.option(
    "--dask",
    "local_dask",
    is_flag=True,
    help="Analyze on a local Dask cluster of --procs worker processes.",
)
@click.pass_obj
def reindex_command(
    obj,
    paths: tuple[Path, ...],
    full: bool,
    force: bool,
    procs: int,
    scheduler: str | None,
    local_dask: bool,
) -> None:
    """Index PATHS (files or folders; default: the seeds of a checkout).

    Incremental unless --full: new and changed articles are indexed, and an indexed article
    is deleted only when the file it came from was read whole and no longer holds it, or is
    gone from a folder given. Missing or unreadable inputs delete nothing. A run that would
    delete more than half the index refuses without --force. With --scheduler or --dask the
    analysis runs on a Dask cluster (pip install 'hanil[cluster]'); the result is the same.

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
    bars = _Bars(sys.stderr.isatty())
    summary = None
    try:
        bars.start("reading", len(list_inputs(paths).files))
        summary = reindex(
            paths,
            index_dir,
            full=full,
            procs=procs,
            progress=bars.update,
            on_collected=lambda n: bars.start("indexing", n),
            force=force,
            on_read=bars.update,
            cluster=Cluster(scheduler, procs) if scheduler or local_dask else None,
        )
    except (store.BuildBusy, UnsafeRun, ClusterUnavailable) as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        bars.close()
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


@click.command("optimize")
@click.pass_obj
def optimize_command(obj) -> None:
    """Merge the index into one segment, dropping deleted documents."""
    from .build import optimize

    try:
        dropped = optimize(obj["index_dir"])
    except (store.IndexMissing, store.BuildBusy) as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"optimized {obj['index_dir']}: one segment, {dropped} deleted documents dropped")


@click.command("eval-pages")
@click.argument("pages", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--truth",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    required=True,
    help="truth.json: per page its headline, date, body and boilerplate phrases.",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def eval_pages_command(pages: Path, truth: Path, as_json: bool) -> None:
    """Score extraction from the saved pages in PAGES against a truth file."""
    from .score_pages import score_pages

    try:
        result = score_pages(pages, truth)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise click.ClickException(f"cannot score {truth}: {exc}") from exc
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    for s in result["scores"]:
        marks = "".join(
            (
                "" if s["articles"] == 1 else f" {s['articles']} articles",
                "" if s["title_ok"] else f" TITLE {s['title']!r} (want {s['want_title']!r})",
                "" if s["date_ok"] else f" DATE {s['date']} (want {s['want_date']})",
                f" BODY {s['body_found']}/{s['body_phrases']}"
                if s["body_found"] < s["body_phrases"]
                else "",
                f" BOILERPLATE {s['boilerplate']}" if s["boilerplate"] else "",
                f" JUNK {s['junk']}" if s["junk"] else "",
            )
        )
        click.echo(f"{s['page']:<28} {'ok' if not marks else ''}{marks}")
    n = result["pages"]
    click.echo(
        f"one article {result['one_article']}/{n}, titles {result['titles']}/{n}, "
        f"dates {result['dates']}/{n}, body phrases "
        f"{result['body_phrases']}/{result['body_phrases_all']}, boilerplate phrases "
        f"{result['boilerplate_phrases']}, clean pages {result['clean']}/{n} | "
        f"{result['pages_per_s']} pages/s"
    )


@click.command("eval-facets")
@click.argument("labels", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--errors", "show", type=click.IntRange(0), default=30, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def eval_facets_command(labels: Path, show: int, as_json: bool) -> None:
    """Score the city and event facets against hand-labelled articles (JSONL)."""
    from .score_facets import score_facets

    try:
        result = score_facets(labels)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise click.ClickException(f"cannot score {labels}: {exc}") from exc
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    click.echo(f"{labels}: {result['articles']} articles")
    for name in ("city", "event", "event_lenient"):
        click.echo(f"{name:<14} {_figures(result[name])}")
    for group, figures in result["city_by_group"].items():
        click.echo(f"  city {group:<12} {_figures(figures)}")
    for kind in ("wrong", "missed"):
        for art_id, facet, value, title in result[kind][:show]:
            click.echo(f"{kind:<7} {facet:<6} {value:<22} {art_id[:30]:<30} {title}")


def _figures(f: dict) -> str:
    p = "-" if f["precision"] is None else f"{f['precision']:.3f}"
    r = "-" if f["recall"] is None else f"{f['recall']:.3f}"
    return (
        f"precision {p} ({f['right']}/{f['predicted']})  recall {r} ({f['found']}/{f['required']})"
    )


class _Bars:
    """One progress bar at a time on a terminal (files read, then articles indexed)."""

    def __init__(self, shown: bool):
        self.shown = shown
        self.bar = None

    def start(self, label: str, length: int) -> None:
        self.close()
        if self.shown:
            self.bar = click.progressbar(length=length, label=label, file=sys.stderr)
            self.bar.__enter__()

    def update(self, k: int) -> None:
        if self.bar is not None:
            self.bar.update(k)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


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
    click.echo(
        f"deleted    {info['deleted']} documents still in {info['segments']} segment(s) "
        f"({info['deleted_share']:.1%} of them; `hanil optimize` drops them)"
    )
    click.echo(f"size       {info['size_bytes'] / 1e6:.1f} MB")
    click.echo(f"built      {info['built_at']}   updated {info['updated_at']}")
    for facet, values in info["facets"].items():
        shown = ", ".join(f"{v} ({c})" for v, c in values)
        click.echo(f"{facet:<10} {info['facet_values'][facet]} values: {shown}")
