"""``kordata --help``: each command on one line, with an example under it.

The example is the command's own: the line of its docstring that starts with ``Example:``, so a
command and its example are written in one place (a test checks that every command has one)."""

from __future__ import annotations

import click

EXAMPLE = "Example:"


def example(command: click.Command) -> str:
    """The command line of a command's ``Example:`` line ('' when it has none)."""
    for line in (command.help or "").splitlines():
        if line.strip().startswith(EXAMPLE):
            return line.strip()[len(EXAMPLE) :].strip()
    return ""


class ExampleGroup(click.Group):
    """A group whose command list shows each command's one-line help and its example."""

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is None or command.hidden:
                continue
            rows.append((name, command.get_short_help_str(limit=max(40, formatter.width - 16))))
            if example(command):
                rows.append(("", f"  $ {example(command)}"))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows, col_spacing=2)
