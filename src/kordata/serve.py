"""Browse the package without Python: the SQLite export plus a Datasette metadata file generated
from datapackage.json and the schemas, served by Datasette (the optional extra ``kordata[serve]``).

    kordata serve                      (CLI: builds both files, runs Datasette on 127.0.0.1)
    kordata.serve.build(folder)        (library: writes kordata.sqlite and metadata.json)

The metadata gives each table its title and description, each column its schema description, the
licence and the source text, facets on every vocabulary column, the unit of any field whose schema
declares one (``unit``; none of today's fields measures a physical quantity: figures keep their unit
per row, in their ``unit`` column), and canned queries for the questions users ask (CANNED_QUERIES).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from .errors import KordataError
from .package import Package
from .profiles import require_valid_descriptor
from .tableschema import is_vocabulary

DATABASE = "kordata"  # Datasette names a database after its file: kordata.sqlite
HOST = "127.0.0.1"  # only this machine, unless the user asks for another interface

# Who is who in a statement's chain: the speaker, on whose behalf, who relayed it, who the information came from.
_CHAIN = """LEFT JOIN actors sp ON sp.actor_id = s.speaker_actor_id
LEFT JOIN actors ob ON ob.actor_id = s.on_behalf_of_actor_id
LEFT JOIN actors rb ON rb.actor_id = s.reported_by_actor_id
LEFT JOIN actors src ON src.actor_id = s.information_source_actor_id"""

CANNED_QUERIES: dict[str, dict[str, str]] = {
    "who_said_what": {
        "title": "Who said what, relayed by whom",
        "description": "Every statement with its speaker, on whose behalf, the cue and content, and the chain that relayed it "
        "(reporter and source of the information), in the order of the text.",
        "sql": f"""SELECT s.statement_id, sp.name AS speaker, s.speaker_role, ob.name AS on_behalf_of, s.cue, s.content,
       s.quote_type, s.date, s.date_basis, rb.name AS relayed_by, s.reporting_cue, src.name AS information_source
FROM statements s
{_CHAIN}
ORDER BY s.document_id, s.start""",
    },
    "who_acts_on_whom": {
        "title": "Who acts on whom",
        "description": "The dyadic view: for each event, the acting actor and the actor acted upon (kordata.domain's rule), "
        "with the event type, status, CAMEO code, QuadClass and Goldstein score.",
        "sql": """SELECT event_id, actor1_name, actor1_role, actor2_name, actor2_role, event_type, status, cameo_code,
       quad_class, goldstein, date, quote
FROM dyads
ORDER BY document_id, start, actor1_id, actor2_id""",
    },
    "figure_authority": {
        "title": "Each figure with its authority chain",
        "description": "Every number the article gives, the claim that is its authority, who claims it, and the statement "
        "chain behind the claim (speaker, relayed by, source of the information).",
        "sql": f"""SELECT f.figure_id, f.value, f.unit, f.approximate, f.counts, c.claim_id, c.claimant_kind,
       ca.name AS claimant, c.certainty, s.statement_id, sp.name AS speaker, rb.name AS relayed_by,
       src.name AS information_source, f.quote
FROM figures f
LEFT JOIN claims c ON c.claim_id = f.claim_id
LEFT JOIN actors ca ON ca.actor_id = c.claimant_actor_id
LEFT JOIN statements s ON s.statement_id = c.statement_id
{_CHAIN.replace("LEFT JOIN actors ob ON ob.actor_id = s.on_behalf_of_actor_id" + chr(10), "")}
ORDER BY f.document_id, f.start""",
    },
}


def metadata(pkg: Package) -> dict:
    """Datasette's metadata for the package, generated from datapackage.json and the schemas."""
    d = pkg.descriptor
    licence = (d.get("licenses") or [{}])[0]
    source = next((s for s in d.get("sources", []) if isinstance(s, dict)), {})
    tables = {}
    for name in pkg.table_names:
        resource, fields = pkg.resource(name), pkg.fields(name)
        tables[name] = {
            "title": resource.get("title", name),
            "description": resource.get("description", ""),
            "columns": {f["name"]: f.get("description", "") for f in fields},
            "facets": [f["name"] for f in fields if is_vocabulary(f)],
            **({"units": units} if (units := {f["name"]: f["unit"] for f in fields if f.get("unit")}) else {}),
            "sort": pkg.primary_key(name),
        }
    return {
        "title": d.get("title", d.get("name", "")),
        "description": d.get("description", ""),
        "license": licence.get("name", ""),
        **({"license_url": licence["path"]} if licence.get("path") else {}),
        "source": source.get("title", ""),
        **({"about": "kordata", "about_url": d["homepage"]} if d.get("homepage") else {}),
        "databases": {DATABASE: {"title": d.get("title", ""), "tables": tables, "queries": CANNED_QUERIES}},
    }


def build(out: str | Path, path: str | Path | None = None) -> tuple[Path, Path]:
    """Write kordata.sqlite (the SQLite export) and metadata.json into ``out``; their paths."""
    from .exports import export
    from .fileio import write_text

    out = Path(out)
    pkg = Package.open(path)
    require_valid_descriptor(pkg)
    (database,) = export("sqlite", out, path)
    target = write_text(out / "metadata.json", json.dumps(metadata(pkg), indent=2, ensure_ascii=False) + "\n")
    return database, target


def datasette_command(database: Path, metadata_file: Path, host: str = HOST, port: int = 8001) -> list[str]:
    """The Datasette command line that serves the files ``build`` wrote (read-only: immutable)."""
    return [sys.executable, "-m", "datasette", "serve", "--immutable", str(database), "--metadata", str(metadata_file),
            "--host", host, "--port", str(port)]  # fmt: skip


def require_datasette() -> None:
    """KordataError with the install command when the optional extra is missing."""
    try:
        import datasette  # noqa: F401
    except ImportError:
        raise KordataError("kordata serve needs Datasette: pip install 'kordata[serve]' (or run with --build-only --out DIR)") from None
