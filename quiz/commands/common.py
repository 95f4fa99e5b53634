"""What every command of the ``quiz`` CLI shares: exit statuses, the one-line error,
the import summary. The command modules import this one, never each other."""

from __future__ import annotations

from typing import NoReturn

import click

from ..services.library.sheets import ImportReport

# Exit status for bad input (a sheet the pipeline rejects), as click uses for usage errors.
EXIT_BAD_INPUT = 2
EXIT_FAILURE = 1


def fail(message: str, exit_code: int) -> NoReturn:
    """Print ``error: message`` as one line on stderr and exit with ``exit_code``."""
    one_line = " ".join(message.split())
    click.echo(f"error: {one_line}", err=True)
    raise click.exceptions.Exit(exit_code)


def report_lines(report: ImportReport, database: str) -> list[str]:
    """The import summary: one line per kind of row."""
    lines = [f"Imported into {database}:" if report.changed else f"Up to date: {database}"]
    for kind, tally in report.tallies():
        counts = f"{tally.added} added, {tally.updated} updated, {tally.unchanged} unchanged"
        if tally.removed:
            counts += f", {tally.removed} removed"
        if tally.retired:
            counts += f", {tally.retired} retired"
        lines.append(f"  {kind + ':':<12}{counts}")
    return lines
