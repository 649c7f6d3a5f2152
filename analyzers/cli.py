"""`hanil analyze`: show the terms an analyzer makes, like Elasticsearch's _analyze."""

from __future__ import annotations

import json
import sys

import click

from . import LANGS, analyzer


def analyze_rows(text: str, lang: str, mode: str) -> list[dict]:
    """Return one dict per token: term, position, offsets, the original text, the path."""
    rows = []
    for t in analyzer(lang)(text, positions=True, chars=True, mode=mode):
        rows.append(
            {
                "token": t.text,
                "position": t.pos,
                "start": t.startchar,
                "end": t.endchar,
                "original": text[t.startchar : t.endchar],
                "path": t.path,
            }
        )
    return rows


@click.command("analyze")
@click.option("--lang", type=click.Choice(LANGS), default="auto", show_default=True)
@click.option("--mode", type=click.Choice(("index", "query")), default="index", show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@click.argument("text")
def analyze_command(text: str, lang: str, mode: str, as_json: bool) -> None:
    """Print the tokens of TEXT (read stdin when TEXT is -)."""
    if text == "-":
        text = sys.stdin.read()
    rows = analyze_rows(text, lang, mode)
    if as_json:
        click.echo(json.dumps({"tokens": rows}, ensure_ascii=False, indent=2))
        return
    if not rows:
        click.echo("(no tokens)")
        return
    width = max(len(r["token"]) for r in rows)
    click.echo(f"{'pos':>4}  {'start':>6} {'end':>6}  {'token':<{width}}  {'path':<10} original")
    for r in rows:
        click.echo(
            f"{r['position']:>4}  {r['start']:>6} {r['end']:>6}  {r['token']:<{width}}  "
            f"{r['path']:<10} {r['original']}"
        )
