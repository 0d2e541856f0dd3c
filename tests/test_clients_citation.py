"""Citation that tools parse: BibTeX read by bibtexparser with one corporate author, CFF read by a YAML
parser and valid against the CFF schema, and every format carrying the DOI or URL once one exists,
and saying plainly that none exists yet otherwise."""
import json
import subprocess
import sys
from pathlib import Path

import bibtexparser
import pytest
import yaml
from bibtexparser.customization import splitname

from conftest import ROOT, copy_package

import kordata
from kordata.build.catalog import zenodo
from kordata.citation import NO_IDENTIFIER

DOI = "10.5281/zenodo.1234567"
HOMEPAGE = "https://example.org/kordata"


def with_identifiers(tmp_path, **fields):
    copy_package(tmp_path)
    descriptor = json.loads((tmp_path / "datapackage.json").read_text())
    descriptor.update(fields)
    (tmp_path / "datapackage.json").write_text(json.dumps(descriptor))
    return tmp_path


def all_formats(path=None) -> dict[str, str]:
    return {**{fmt: kordata.cite(fmt, path) for fmt in ("text", "bibtex", "cff")}, "zenodo": zenodo(kordata.Package.open(path))}


def test_bibtex_author_is_one_corporate_name():
    entry = bibtexparser.loads(kordata.cite("bibtex")).entries[0]
    authors = [a.strip() for a in entry["author"].split(" and ")]
    creators = [c["title"] for c in json.loads((ROOT / "datapackage.json").read_text())["contributors"] if "creator" in c["roles"]]
    assert len(authors) == len(creators)
    for author, creator in zip(authors, creators, strict=True):
        parts = splitname(author)
        assert parts["first"] == [] and parts["last"] == ["{" + creator + "}"]  # braced: not "contributors, kordata"
    assert entry["version"] == kordata.__version__ and entry["ENTRYTYPE"] == "misc"


def test_without_doi_or_url_every_format_says_none_exists_yet():
    formats = all_formats()
    assert NO_IDENTIFIER in formats["text"]
    assert NO_IDENTIFIER in bibtexparser.loads(formats["bibtex"]).entries[0]["note"]
    assert NO_IDENTIFIER in yaml.safe_load(formats["cff"])["message"]
    assert NO_IDENTIFIER in json.loads(formats["zenodo"])["notes"]
    for text in formats.values():
        assert "doi.org" not in text and "url" not in yaml.safe_load(formats["cff"])


@pytest.mark.parametrize("fields, expected_url", [
    ({"homepage": HOMEPAGE}, HOMEPAGE),
    ({"id": f"https://doi.org/{DOI}", "homepage": HOMEPAGE}, f"https://doi.org/{DOI}"),
])
def test_every_format_carries_the_doi_or_url_once_one_exists(tmp_path, fields, expected_url):
    formats = all_formats(with_identifiers(tmp_path, **fields))
    entry = bibtexparser.loads(formats["bibtex"]).entries[0]
    cff = yaml.safe_load(formats["cff"])
    deposit = json.loads(formats["zenodo"])
    assert expected_url in formats["text"] and entry["url"] == expected_url and cff["url"] == expected_url
    assert deposit["related_identifiers"][0]["identifier"] == HOMEPAGE
    for text in formats.values():
        assert NO_IDENTIFIER not in text
    if "id" in fields:
        assert entry["doi"] == DOI and cff["doi"] == DOI and deposit["doi"] == DOI
        assert cff["identifiers"][0] == {"type": "doi", "value": DOI, "description": f"Version {kordata.__version__}"}
    else:
        assert "doi" not in entry and "doi" not in cff and "doi" not in deposit
    exe = Path(sys.executable).parent / "check-jsonschema"
    path = tmp_path / "CITATION.cff"
    path.write_text(formats["cff"], encoding="utf-8")
    result = subprocess.run([str(exe), "--builtin-schema", "vendor.citation-file-format", str(path)], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_special_characters_survive_bibtex_and_yaml(tmp_path):
    title = 'Weapons & "troops": 100% {braced} #1: 2024-10-15'
    with_identifiers(tmp_path, title=title, contributors=[{"title": "Team_A & Co", "roles": ["creator"]}])
    entry = bibtexparser.loads(kordata.cite("bibtex", tmp_path)).entries[0]
    escaped = title.replace("{", r"\{").replace("}", r"\}").replace("&", r"\&").replace("%", r"\%").replace("#", r"\#")
    assert entry["title"] == "{" + escaped + "}"
    assert entry["author"] == r"{Team\_A \& Co}"
    cff = yaml.safe_load(kordata.cite("cff", tmp_path))
    assert cff["title"] == title and cff["authors"] == [{"name": "Team_A & Co"}]
