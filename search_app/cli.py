"""The `hanil` command: one click group, subcommands from each package."""

from __future__ import annotations

import json
import os
from html import unescape
from pathlib import Path

import click

from analyzers import KINDS, load_models
from analyzers.cli import analyze_command
from indexer.cli import (
    eval_facets_command,
    eval_pages_command,
    optimize_command,
    reindex_command,
    stats_command,
)
from indexer.store import INDEX_DIR_ENV, BuildBusy, IndexMissing, current_dir, default_index_dir

from . import serving
from .search import MAX_PER_PAGE, SORTS, BadRequest, SearchIndex, SearchRequest


@click.group()
@click.version_option(package_name="hanil")
@click.option(
    "--index-dir",
    type=click.Path(file_okay=False, path_type=Path),
    envvar=INDEX_DIR_ENV,
    default=default_index_dir,
    show_default=f"${INDEX_DIR_ENV} or instance/index",
    help="Folder holding the index.",
)
@click.pass_context
def main(ctx: click.Context, index_dir: Path) -> None:
    """hanil: full-text search for Korean and Japanese news."""
    ctx.obj = {
        "index_dir": index_dir,
        "index_dir_given": ctx.get_parameter_source("index_dir")
        is not click.core.ParameterSource.DEFAULT,
    }


main.add_command(analyze_command)
main.add_command(reindex_command)
main.add_command(stats_command)
main.add_command(eval_pages_command)
main.add_command(eval_facets_command)
main.add_command(optimize_command)


@main.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option("--threads", type=click.IntRange(1, 256), default=8, show_default=True)
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=os.cpu_count() or 1,
    show_default="the number of CPUs",
    help="Server processes (each with --threads threads); over 1 runs gunicorn.",
)
@click.option(
    "--timeout",
    type=click.IntRange(1),
    default=serving.ServeConfig.timeout,
    show_default=True,
    help="Seconds before a stuck worker is replaced (several workers).",
)
@click.option(
    "--max-requests",
    type=click.IntRange(0),
    default=serving.ServeConfig.max_requests,
    show_default=True,
    help="Requests before a worker is recycled, with 10% jitter (several workers; 0: never).",
)
@click.pass_obj
def serve_command(obj, host, port, threads, workers, timeout, max_requests) -> None:
    """Serve the search page and the JSON API."""
    from .web import create_app

    index_dir = obj["index_dir"]
    try:
        serving.check_listen(host, port)
    except OSError as exc:
        raise click.UsageError(f"cannot listen on {host}:{port}: {exc.strerror}") from exc
    click.echo("loading Kiwi and Sudachi ...", err=True)
    load_models()  # once, before the workers fork: they share them
    if current_dir(index_dir) is None:
        click.echo(f"no index in {index_dir} yet: run `hanil reindex`", err=True)
    click.echo(
        f"serving {index_dir} on http://{host}:{port}/ ({workers} x {threads} threads)", err=True
    )
    config = serving.ServeConfig(host, port, workers, threads, timeout, max_requests)
    serving.run(lambda: create_app({"INDEX_DIR": str(index_dir)}), _open_index, config)


def _open_index(app) -> None:
    """Open the index before the first request (in each worker, after the fork)."""
    try:
        app.extensions["hanil"].view()
    except IndexMissing:
        pass  # said at start; each request answers so until a reindex


@main.command("search")
@click.argument("query", nargs=-1, required=True)
@click.option("--city", multiple=True, help="City id (repeatable).")
@click.option("--event", multiple=True, help="Event value such as ces-2023 (repeatable).")
@click.option("--year", multiple=True, help="Year (repeatable).")
@click.option("--lang", "langs", multiple=True, type=click.Choice(("ko", "ja")))
@click.option("--sort", type=click.Choice(SORTS), default="relevance", show_default=True)
@click.option("--page", type=click.IntRange(1), default=1)
@click.option("--per-page", type=click.IntRange(1, MAX_PER_PAGE), default=10)
@click.option("--json", "as_json", is_flag=True, help="Print the API's JSON envelope.")
@click.option(
    "--xlang/--no-xlang", default=True, help="Also match words in the other language (default)."
)
@click.pass_obj
def search_command(obj, query, city, event, year, langs, sort, page, per_page, as_json, xlang):
    """Search the index from the terminal."""
    req = SearchRequest(
        q=" ".join(query),
        city=list(city),
        event=list(event),
        year=list(year),
        lang=list(langs),
        sort=sort,
        page=page,
        per_page=per_page,
        xlang=xlang,
    )
    try:
        result = SearchIndex(obj["index_dir"]).search(req, "en")
    except (BadRequest, IndexMissing) as exc:
        raise click.ClickException(str(exc)) from exc
    if as_json:
        click.echo(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
        return
    note = " (no article has every word: showing any-word matches)" if result.fallback else ""
    click.echo(f"{result.total} results in {result.took_ms} ms{note}")
    for n, hit in enumerate(result.results, (page - 1) * per_page + 1):
        facets = ", ".join(hit.city + hit.event)
        click.echo(
            f"\n{n}. [{hit.lang}] {hit.title or hit.id}  ({hit.date or 'no date'}; {facets})"
        )
        if hit.xlang_matches:
            click.echo(f"   across languages: {', '.join(hit.xlang_matches)}")
        click.echo(f"   {_terminal(hit.snippet_html)}")


def _terminal(html: str) -> str:
    """Show a snippet in a terminal: marks in bold, entities decoded."""
    bold = str(html).replace("<mark>", "\x1b[1m").replace("</mark>", "\x1b[0m")
    return unescape(bold)


EXISTING_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


@main.command("eval")
@click.option(
    "--corpus",
    type=EXISTING_FILE,
    required=True,
    help="corpus.jsonl[.gz]",
)
@click.option(
    "--queries",
    type=EXISTING_FILE,
    required=True,
    help="queries.jsonl",
)
@click.option(
    "--qrels",
    type=EXISTING_FILE,
    required=True,
    help="qrels.tsv",
)
@click.option(
    "--analyzer",
    "kind",
    type=click.Choice(KINDS),
    default="morph",
    show_default=True,
    help="hanil's analyzer, or a comparison one.",
)
@click.option("--limit", type=click.IntRange(1), default=None, help="Only the first N queries.")
@click.option("--procs", type=click.IntRange(1, 64), default=1, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.pass_obj
def eval_command(obj, corpus, queries, qrels, kind, limit, procs, as_json) -> None:
    """Rank every query with the app's search code; print MRR@10, nDCG@10, recall, latency.

    The corpus is indexed into the --index-dir given to hanil, else into a folder of its
    own under instance/eval (reused while the corpus is unchanged).
    """
    from .evaluate import default_eval_dir, evaluate

    index_dir = obj["index_dir"]
    if not obj["index_dir_given"]:
        index_dir = default_eval_dir(default_index_dir().parent / "eval", corpus, kind)
    try:
        result = evaluate(corpus, queries, qrels, index_dir, kind, limit, procs)
    except (ValueError, BuildBusy) as exc:
        raise click.ClickException(str(exc)) from exc
    if as_json:
        click.echo(json.dumps(result))
        return
    click.echo(f"{corpus} ({result['queries']} queries, analyzer {kind})")
    for key in ("mrr@10", "ndcg@10", "recall@10", "recall@100"):
        click.echo(f"  {key:<11} {result[key]:.4f}")
    click.echo(f"  no hit      {result['no_hit']}")
    click.echo(f"  latency     p50 {result['p50_ms']} ms, p95 {result['p95_ms']} ms")
