"""A two-document package, built with the maintainer tools, passes every check.

The shipped curation source plus the fictional document of tests/fixtures/fictional are compiled
in a temporary repository (kordata curate compile, then python -m kordata.build.refresh), and the
result goes through what the shipped package goes through: kordata validate (all layers), ids
unique across documents, sentence coverage per document, every export format (each naming both
documents), frictionless validate, and mkdocs build --strict of the docs with this package."""

import csv
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, run_kordata
from test_curation import FICTIONAL_ID, make_repository

import kordata
from kordata.exports import FORMATS, export
from kordata.package import Package
from kordata.segment import sentences
from kordata.validation import coverage

DOCS_PARTS = ("docs", "mkdocs.yml", "CHANGELOG.md", "releases")  # a repository with a ledger has its manifests
BIN = Path(sys.executable).parent


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> Path:
    root = make_repository(tmp_path_factory.mktemp("two") / "repo", fictional=True)
    for part in DOCS_PARTS:  # the docs are built inside this repository, from its package
        src = ROOT / part
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, root / part)
    compiled = run_kordata("curate", "compile", str(root))
    assert compiled.returncode == 0, compiled.stderr
    _as_next_version(root)
    refreshed = subprocess.run([sys.executable, "-m", "kordata.build.refresh", str(root)], capture_output=True, text=True, timeout=300)
    assert refreshed.returncode == 0, refreshed.stderr
    return root


def _as_next_version(root: Path) -> None:
    """A second document is new data: the repository becomes the next minor version, unreleased, with a changelog
    entry naming every table (a released version's data never changes)."""
    descriptor = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    major, minor, _ = descriptor["version"].split(".")
    version = descriptor["version"] = f"{major}.{int(minor) + 1}.0"
    (root / "datapackage.json").write_text(json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    changelog = (root / "CHANGELOG.md").read_text(encoding="utf-8")
    tables = ", ".join(f"`{r['name']}`" for r in descriptor["resources"])
    entry = f"## [{version}] - Unreleased\n\n### Added\n- The fictional document `{FICTIONAL_ID}`: rows in {tables}.\n\n"
    at = changelog.index("## [")
    (root / "CHANGELOG.md").write_text(changelog[:at] + entry + changelog[at:], encoding="utf-8")


@pytest.fixture(scope="module")
def tables(repo) -> dict:
    return kordata.load_all(repo)


@pytest.fixture(scope="module")
def texts(repo, tables) -> dict[str, str]:
    pkg = Package.open(repo)
    return {d.document_id: pkg.file(d.path, "seed").read_text(encoding="utf-8") for d in tables["documents"].itertuples()}


def test_the_package_has_both_documents(tables):
    assert set(tables["documents"]["document_id"]) == {"doc-0001", FICTIONAL_ID}
    assert tables["documents"].set_index("document_id").loc[FICTIONAL_ID, "title"].startswith("Fictional text written for kordata's tests")


def test_kordata_validate_passes_every_layer(repo):
    result = run_kordata("validate", str(repo), "--json")
    report = json.loads(result.stdout)
    assert result.returncode == 0 and report["valid"], [c for c in report["checks"] if not c["valid"]]
    assert [layer["layer"] for layer in report["layers"] if layer["valid"]] == [1, 2, 3]
    assert not [c for c in report["checks"] if c["skipped"]]


def test_ids_are_unique_across_documents_and_every_document_has_rows(repo, tables):
    pkg = Package.open(repo)
    for name, frame in tables.items():
        key = pkg.primary_key(name)
        assert frame[key].is_unique, f"{name}.{key} repeats an id across documents"
        document = next((f for f in pkg.fields(name) if f["name"] == "document_id"), None)
        if document and document.get("constraints", {}).get("required"):  # tables of a document's own rows:
            assert set(frame["document_id"]) == {"doc-0001", FICTIONAL_ID}, name  # the fictional text supports them all
    # the fictional text rests on no outside source: links point only at rows of the real document
    links = tables["source_links"]
    for column in ("actor_id", "event_id", "statement_id", "claim_id", "figure_id"):
        table = {"actor_id": "actors", "event_id": "events", "statement_id": "statements", "claim_id": "claims", "figure_id": "figures"}[
            column
        ]
        linked = tables[table].set_index(pkg.primary_key(table)).loc[links[column].dropna(), "document_id"]
        assert set(linked) <= {"doc-0001"}


def test_sentences_tile_and_are_covered_in_each_document(repo, tables, texts):
    per_document = tables["sentences"].groupby("document_id", observed=True)
    counts = tables["documents"].set_index("document_id")["sentences"]
    for document_id, text in texts.items():
        rows = per_document.get_group(document_id).sort_values("index")
        assert list(rows["index"]) == list(range(len(rows))) == list(range(counts[document_id]))
        assert list(zip(rows["start"], rows["end"], strict=True)) == sentences(text)
    cited = coverage(repo)
    for document_id, rows in cited.groupby("document_id"):
        content = rows[rows["carries_content"] == "true"]
        assert len(content) and (content["cited_by"] != "").all(), (
            f"{document_id}: uncited sentences {list(content[content['cited_by'] == '']['sentence_id'])}"
        )


def _output_text(path: Path) -> str:
    """What a file says, read back by a real reader for the binary formats."""
    if path.suffix == ".parquet":
        import pyarrow.parquet as pq

        return json.dumps(pq.read_table(path).to_pylist(), default=str, ensure_ascii=False)
    if path.suffix == ".sqlite":
        with sqlite3.connect(path) as con:
            return "\n".join(con.iterdump())
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_every_export_names_both_documents(repo, tmp_path, fmt):
    written = export(fmt, tmp_path / fmt, repo)
    said = "\n".join(Path(p).name + "\n" + _output_text(Path(p)) for p in written)  # brat names a document by its file
    for document_id in ("doc-0001", FICTIONAL_ID):
        assert document_id in said, f"{fmt} output never names {document_id}"


def test_web_annotations_target_each_document_text(repo, tmp_path, texts):
    [path] = export("w3c", tmp_path, repo)
    items = json.loads(path.read_text(encoding="utf-8"))["first"]["items"]
    sources = set()
    for item in items:
        document_id = item["target"]["source"].removeprefix("urn:kordata:")
        quote, position = item["target"]["selector"]
        assert texts[document_id][position["start"] : position["end"]] == quote["exact"]
        sources.add(document_id)
    assert sources == set(texts)


def test_brat_has_one_text_and_annotation_file_per_document(repo, tmp_path, texts):
    export("brat", tmp_path, repo)
    for document_id, text in texts.items():
        assert (tmp_path / f"{document_id}.txt").read_text(encoding="utf-8") == text
        lines = (tmp_path / f"{document_id}.ann").read_text(encoding="utf-8").splitlines()
        spans = [line.split("\t") for line in lines if line.startswith("T")]
        assert spans
        for _, where, quote in spans:
            label, fragments = where.split(" ", 1)  # brat: "Label start end[;start end...]" (a span across lines is fragmented)
            pieces = [text[int(a) : int(b)] for a, b in (fragment.split(" ") for fragment in fragments.split(";"))]
            assert " ".join(pieces) == quote and all("\n" not in piece for piece in pieces), (label, where)


def test_dyads_count_events_of_both_documents(repo, tmp_path, tables):
    export("dyads", tmp_path, repo)
    rows = list(csv.DictReader(io.StringIO((tmp_path / "dyads.csv").read_text(encoding="utf-8"))))
    events = tables["events"].set_index("event_id")["document_id"]
    assert {row["document_id"] for row in rows} == {"doc-0001", FICTIONAL_ID}
    assert all(events[row["event_id"]] == row["document_id"] for row in rows)


def test_frictionless_validate_passes(repo):
    result = subprocess.run(
        [str(BIN / "frictionless"), "validate", str(repo / "datapackage.json")], capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout[-3000:]


@pytest.fixture(scope="module")
def site(repo, tmp_path_factory) -> Path:
    dest = tmp_path_factory.mktemp("site")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", str(repo / "mkdocs.yml"), "-d", str(dest)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=repo,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert result.returncode == 0, result.stderr
    return dest


def test_docs_build_strictly_with_every_row_of_both_documents(repo, site, tables):
    pkg = Package.open(repo)
    articles = {d: (site / "article" / d / "index.html").read_text(encoding="utf-8") for d in ("doc-0001", FICTIONAL_ID)}
    for document_id, article in articles.items():  # one annotated page per document, each with its own rows only
        assert 'id="article-text"' in article, document_id
        for table in pkg.annotation_tables:
            frame = tables[table]
            for row_id, row_document in zip(frame[pkg.primary_key(table)], frame["document_id"], strict=True):
                here = f'id="row--{table}--{row_id}"' in article and f'id="span--{table}--{row_id}"' in article
                assert here == (row_document == document_id), (document_id, table, row_id)
    dictionary = (site / "dictionary" / "index.html").read_text(encoding="utf-8")
    for name, frame in tables.items():
        assert re.search(rf'id="{name}".*?{len(frame)} rows?\b', dictionary, flags=re.S), name


def test_docs_timeline_covers_every_dated_event_of_both_documents(site, tables):
    """The timeline's axis spans every document's dates (2024 and the fictional 2031), and its data table
    (the chart's text alternative) lists every dated event with its calendar bounds."""
    events = tables["events"]
    dated = events[events["date_lower"].notna()]
    svg = (site / "assets" / "charts" / "timeline.svg").read_text(encoding="utf-8")
    years = {int(y) for y in re.findall(r">(?:[A-Z][a-z]{2} )?(\d{4})<", svg)}
    assert min(years) <= dated["date_lower"].min().year and max(years) >= dated["date_upper"].max().year - 1, years
    charts = next(p for p in site.rglob("index.html") if "chart-timeline" in p.read_text(encoding="utf-8")).read_text(encoding="utf-8")
    for row in dated.itertuples(index=False):
        assert f"<td>{row.date_lower:%Y-%m-%d}</td><td>{row.date_upper:%Y-%m-%d}</td>" in charts, row.event_id
