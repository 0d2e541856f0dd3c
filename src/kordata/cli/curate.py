"""``kordata curate``: the maintainer's commands on the curation source (curation/*.toml) of a
repository checkout: scaffold a new document, compile the tables, find a quote's span.

They need the repository (curation/ beside datapackage.json), not the installed package: run
them in the checkout (or a folder inside it), or name it with -p/--package (alias --root).
"""

from __future__ import annotations

import json

import click

from . import cli

root_option = click.option(
    "-p",
    "--package",
    "--root",
    "root",
    metavar="DIR",
    default=None,
    help="Repository root (holds curation/ and datapackage.json). Default: this folder or its nearest parent that has curation/.",
)


@cli.group()
def curate() -> None:
    """Maintainer tools for curation/*.toml: new, compile, find.

    Example: kordata curate find "Kim said" --doc doc-0001
    """


@curate.command()
@click.argument("seed")
@click.option("--id", "document_id", required=True, metavar="doc-XXXX", help="Id of the new document; the file is curation/<id>.toml.")
@click.option("--language", default=None, metavar="TAG", help="Language of the text as a BCP 47 tag (en); left empty if not given.")
@root_option
def new(seed, document_id, language, root) -> None:
    """Scaffold curation/<id>.toml for SEED, a text already copied (byte for byte) into seeds/."""
    from ..build.scaffold import new_document

    target = new_document(root, seed, document_id, language)
    click.echo(f"wrote {target}")
    click.echo(f"next: fill in [document], annotate, then `kordata curate compile` (spans: `kordata curate find TEXT --doc {document_id}`)")


@curate.command("compile")
@click.argument("root_argument", metavar="[ROOT]", required=False)
@root_option
def compile_(root_argument, root) -> None:
    """Compile curation/*.toml into data/*.csv (all tables or none); same as python -m kordata.build.curation.

    Then run `python -m kordata.build.refresh` for the bytes and hashes in datapackage.json."""
    from ..build.curation import curation_root, write_tables

    if root_argument and root and root_argument != root:
        raise click.UsageError("name the repository once: ROOT or -p/--package")
    counts = write_tables(curation_root(root_argument or root))
    documents = counts.get("documents", 0)
    click.echo(f"compiled {documents} document{'s' if documents != 1 else ''}: " + ", ".join(f"{name} {n}" for name, n in counts.items()))


@curate.command()
@click.argument("text")
@click.option("--doc", "document_id", default=None, metavar="doc-XXXX", help="Search only this document (default: every curated document).")
@click.option("--context", default=30, show_default=True, type=click.IntRange(0, 1000), help="Characters of text shown on each side.")
@click.option("--json", "as_json", is_flag=True, help="Print the occurrences as JSON.")
@root_option
def find(text, document_id, context, as_json, root) -> None:
    """Every occurrence of TEXT in the seeds, with its offsets and the span that picks it uniquely.

    TEXT may mark the quote inside context with [[ ]] ('[[Kim]] said')."""
    from ..build.curation import curation_root
    from ..build.quotes import describe, find, seeds
    from ..errors import KordataError

    repository = curation_root(root)
    hits = find(repository, text, document_id)
    if as_json:
        click.echo(json.dumps([hit.__dict__ for hit in hits], indent=1, ensure_ascii=False))
    if not hits:
        searched = document_id or "any curated document"
        raise KordataError(f"{text!r} does not occur in {searched}")
    if as_json:
        return
    texts = {seed.document_id: seed.text for seed in seeds(repository, document_id)}
    for hit in hits:
        click.echo(describe(hit, texts[hit.document_id], context))
    documents = len({hit.document_id for hit in hits})
    click.echo(f"{len(hits)} occurrence{'s' if len(hits) != 1 else ''} in {documents} document{'s' if documents != 1 else ''}")
