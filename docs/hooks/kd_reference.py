"""Reference pages generated from the code: the command line (from the click commands), the
validation layers (kordata.validation.report.LAYERS), the exit codes (kordata.cli.options) and
the export formats (kordata.exports.FORMATS)."""

from __future__ import annotations

import click
from kd_common import esc

EXIT_MEANINGS = {  # what each exit-code constant of kordata.cli.options stands for
    "EXIT_OK": "success",
    "EXIT_INVALID": "the package is invalid (validation found failures)",
    "EXIT_USAGE": "bad input or a usage mistake: one line on stderr names the file and the problem",
    "EXIT_INTERNAL": "an internal error (a bug): run again with --debug for the traceback",
}


def _commands():
    from kordata.cli import cli

    return cli, dict(sorted(cli.commands.items()))


def exit_codes() -> list[tuple[int, str, str]]:
    from kordata.cli import options

    codes = [(getattr(options, n), n) for n in dir(options) if n.startswith("EXIT_") and isinstance(getattr(options, n), int)]
    return [(code, n, EXIT_MEANINGS.get(n, n.removeprefix("EXIT_").lower().replace("_", " "))) for code, n in sorted(codes)]


def exit_codes_markdown() -> str:
    return "\n".join(f"- `{code}`: {meaning}" for code, _, meaning in exit_codes())


def default_engine() -> str:
    option = _engine_option()
    return str(option.default) if option is not None else "kordata"


def command_list() -> str:
    _, commands = _commands()
    return "\n".join(f"- [`kordata {name}`](cli.md#{name}): {esc(cmd.get_short_help_str(200))}" for name, cmd in commands.items())


def _param(param: click.Parameter) -> str:
    if isinstance(param, click.Argument):
        return f"<dt><code>{esc(param.human_readable_name)}</code></dt><dd>argument{'' if param.required else ', optional'}</dd>"
    names = ", ".join(f"<code>{esc(o)}</code>" for o in param.opts + param.secondary_opts)
    if isinstance(param.type, click.Choice):
        kind = "one of " + ", ".join(f"<code>{esc(c)}</code>" for c in param.type.choices)
    elif getattr(param, "is_flag", False):
        kind = "a flag"
    else:
        kind = f"<code>{esc(getattr(param, 'metavar', None) or param.type.name.upper())}</code>"
    default = param.default if not callable(param.default) else None
    shown = "" if default in (None, False, (), []) or getattr(param, "is_flag", False) else f"; default <code>{esc(default)}</code>"
    extra = "; may be repeated" if getattr(param, "multiple", False) else ""
    return f'<dt>{names}</dt><dd>{esc(getattr(param, "help", "") or "")} <span class="kd-muted">({kind}{shown}{extra})</span></dd>'


def cli_page() -> str:
    cli, commands = _commands()
    out = [
        "# Command line",
        "",
        "Generated from kordata's click commands when the site is built: what `kordata COMMAND --help` prints, laid out to read.",
        "",
        "Every command works on the installed package (or the copy `-p` names), except the maintainer tools of "
        "`kordata curate`, which compile the curator's files into the tables: they run in a folder that holds those "
        "files, such as the unpacked [source archive](downloads.md#source-archive).",
        "",
        esc(cli.help or ""),
        "",
        "## Exit codes",
        "",
        "Every command exits with:",
        "",
        exit_codes_markdown(),
        "",
        "## Commands",
        "",
        command_list(),
        "",
    ]
    for name, cmd in commands.items():
        ctx = click.Context(cmd, info_name=f"kordata {name}", parent=click.Context(cli, info_name="kordata"))
        usage = " ".join(cmd.collect_usage_pieces(ctx))
        params = [p for p in cmd.get_params(ctx) if not (isinstance(p, click.Option) and p.name == "help")]
        help_text = (cmd.help or "").strip()
        paragraphs = [esc(p.strip()) for p in help_text.split("\n\n") if p.strip()]
        out += [f"### `kordata {name}` {{ #{name} }}", "", "\n\n".join(paragraphs), "", "```text", f"kordata {name} {usage}", "```", ""]
        if params:
            out += ['<dl class="kd-params">' + "".join(_param(p) for p in params) + "</dl>", ""]
    return "\n".join(out)


def layers() -> list[tuple[int, str]]:
    from kordata.validation.report import LAYERS

    return sorted(LAYERS.items())


def _engine_option():
    _, commands = _commands()
    return next((p for p in commands["validate"].params if p.name == "engine"), None) if "validate" in commands else None


def layers_table() -> str:
    """The layers (kordata.validation.report.LAYERS) and, for the layer the --engine option names in
    its help ("Layer 1: ..."), who runs it: the default engine and the others."""
    option = _engine_option()
    help_text = (getattr(option, "help", "") or "") if option is not None else ""
    engine_layer = help_text.split(":", 1)[0].strip() if help_text.startswith("Layer ") else ""
    rows = []
    for n, what in layers():
        run_by = ""
        if engine_layer == f"Layer {n}" and isinstance(getattr(option, "type", None), click.Choice):
            others = [c for c in option.type.choices if c != option.default]
            run_by = (
                f"<br>Run by the <code>{esc(option.default)}</code> engine unless <code>--engine</code> names another ("
                + ", ".join(f"<code>{esc(c)}</code>" for c in others)
                + f"): {esc(help_text.split(':', 1)[1].strip())}"
            )
        rows.append(f'<tr><th scope="row" data-label="layer">{n}</th><td data-label="what it checks">{esc(what)}{run_by}</td></tr>')
    return (
        '<table class="kd-structure"><thead><tr><th scope="col">layer</th><th scope="col">what it checks</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def validation_page() -> str:
    out = [
        "# Validation",
        "",
        f"`kordata validate` checks a copy of the package in {len(layers())} layers; each failure names the table, the row "
        "(its line in the CSV file, header = 1), the row id, the column and the rule. This page is generated from "
        "`kordata.validation.report.LAYERS` and the command's options.",
        "",
        "## Layers",
        "",
        layers_table(),
        "",
        "The test suite checks that both engines flag the same rows.",
        "",
        "## Exit codes",
        "",
        exit_codes_markdown(),
        "",
        "```bash",
        "kordata validate                 # the installed copy, every layer",
        "kordata validate path/to/copy    # another copy",
        "kordata validate --json          # the report as JSON, for machines",
        "kordata validate --layer 1       # one layer only",
        "```",
        "",
    ]
    return "\n".join(out)


def export_formats() -> str:
    from kordata.exports import FORMATS

    lines = ["```bash"] + [f"kordata export {name} --out out/" for name in FORMATS] + ["```", ""]
    lines += [f"- `{f.name}`: {esc(f.description)}" for f in FORMATS.values()]
    return "\n".join(lines)
