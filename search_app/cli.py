"""The `hanil` command: one click group, subcommands from each package."""

from __future__ import annotations

import click

from analyzers.cli import analyze_command
from indexer.cli import reindex_command, stats_command


@click.group()
@click.version_option(package_name="hanil")
def main() -> None:
    """hanil: full-text search for Korean and Japanese news."""


main.add_command(analyze_command)
main.add_command(reindex_command)
main.add_command(stats_command)
