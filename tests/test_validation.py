"""kordata validate: passes the shipped package, and names table, row, row id, column and rule
for each failure in a deliberately broken copy. Never modifies what it checks."""
import hashlib
import json


from conftest import ROOT, edit_cell, refresh_hashes, run_kordata

import kordata


def failures(path):
    return [(f.table, f.row_id, f.column, f.rule) for f in kordata.validate(path).failures]


def test_shipped_package_passes_every_layer():
    report = kordata.validate()
    assert report.ok, report.to_text()
    assert {c.layer for c in report.checks} == {1, 2, 3}
    from kordata.validation.integrity import all_checks
    assert [c.name for c in report.checks if c.layer == 3] == [name for name, _, _ in all_checks()] + ["release"]


def test_validation_never_modifies_the_package(package_copy):
    edit_cell(package_copy, "mentions", "men-0001-039", "start", "1300")  # a broken copy: validation reports, never repairs
    before = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in package_copy.rglob("*") if p.is_file()}
    kordata.validate(package_copy)
    assert before == {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in package_copy.rglob("*") if p.is_file()}


def test_shifted_offsets_are_caught_with_row_and_rule(package_copy):
    mentions = kordata.load("mentions", package_copy).set_index("mention_id")
    start, end = mentions.loc["men-0001-039", ["start", "end"]]
    edit_cell(package_copy, "mentions", "men-0001-039", "start", str(start + 1), rehash=False)
    edit_cell(package_copy, "mentions", "men-0001-039", "end", str(end + 1))
    found = failures(package_copy)
    assert ("mentions", "men-0001-039", "quote", "span-quote") in found


def test_byte_offsets_instead_of_code_points_are_caught(package_copy):
    # Jang Ho–jin's en dash is 3 bytes in UTF-8: byte offsets after it are 2 larger.
    text = (ROOT / "seeds" / "kor-weighs-weapons-for-ukraine.txt").read_text(encoding="utf-8")
    start = text.index("Jang Ho-jin added")
    byte_start = len(text[:start].encode("utf-8"))
    assert byte_start != start
    edit_cell(package_copy, "mentions", "men-0001-055", "start", str(byte_start), rehash=False)
    edit_cell(package_copy, "mentions", "men-0001-055", "end", str(byte_start + len("Jang Ho-jin")))
    assert ("mentions", "men-0001-055", "quote", "span-quote") in failures(package_copy)


def test_edited_quote_and_edited_seed_are_caught(package_copy):
    edit_cell(package_copy, "claims", "clm-prk-blew-up-roads", "quote", "On October 16, the Democratic People's Republic of Korea blew up sections of its roads connecting it with South Korea.")
    assert ("claims", "clm-prk-blew-up-roads", "quote", "span-quote") in failures(package_copy)
    seed = package_copy / "seeds" / "kor-weighs-weapons-for-ukraine.txt"
    seed.write_bytes(seed.read_bytes().replace(b"12,000", b"13,000"))
    found = failures(package_copy)
    assert ("documents", "doc-0001", "sha256", "seed-sha256") in found


def test_dangling_reference_is_caught_by_frictionless_and_kordata(package_copy):
    edit_cell(package_copy, "claims", "clm-nsc-convened-meeting", "event_id", "evt-nothing")
    found = failures(package_copy)
    assert ("claims", "clm-nsc-convened-meeting", "event_id", "foreign-key") in found  # layer 1, kordata's engine
    theirs = kordata.validate(package_copy, layers=(1,), engine="frictionless").failures
    assert any(f.table == "claims" and f.rule == "foreign-key" and f.row_id == "clm-nsc-convened-meeting" for f in theirs)


def test_vocabulary_required_and_type_errors_name_the_rule(package_copy):
    edit_cell(package_copy, "events", "evt-kim-briefing", "status", "happened", rehash=False)
    edit_cell(package_copy, "claims", "clm-nsc-convened-meeting", "proposition", "", rehash=False)
    edit_cell(package_copy, "figures", "fig-prk-soldiers-1500", "value", "twelve", rehash=False)
    edit_cell(package_copy, "figures", "fig-prk-troops-12000", "value", "NaN")
    found = failures(package_copy)
    assert ("events", "evt-kim-briefing", "status", "enum") in found
    assert ("claims", "clm-nsc-convened-meeting", "proposition", "required") in found
    assert ("figures", "fig-prk-soldiers-1500", "value", "type") in found
    # NaN is a number to Table Schema (layer 1 accepts it, as frictionless does), not as kordata writes one
    assert ("figures", "fig-prk-troops-12000", "value", "canonical") in found
    assert ("figures", "fig-prk-troops-12000", "value", "type") not in found


def test_date_contradicting_its_basis_and_bad_edtf(package_copy):
    edit_cell(package_copy, "events", "evt-prk-blows-up-roads", "date_basis", "stated", rehash=False)
    edit_cell(package_copy, "events", "evt-kim-briefing", "date", "2024-13-45")
    found = failures(package_copy)
    assert ("events", "evt-prk-blows-up-roads", "", "date-stated-not-uncertain") in found
    assert ("events", "evt-kim-briefing", "date", "edtf") in found


def test_uncovered_sentence_is_caught(package_copy):
    import csv, io
    for table in ("claims",):
        path = package_copy / "data" / f"{table}.csv"
        rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
        rows = [r for r in rows if r[0] != "clm-prk-blew-up-roads"]
        out = io.StringIO(); csv.writer(out, lineterminator="\n").writerows(rows)
        path.write_text(out.getvalue(), encoding="utf-8")
    path = package_copy / "data" / "events.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    rows = [r for r in rows if r[0] != "evt-prk-blows-up-roads"]
    out = io.StringIO(); csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    path = package_copy / "data" / "event_participants.csv"
    path.write_text("".join(l for l in path.read_text(encoding="utf-8").splitlines(True) if "evt-prk-blows-up-roads" not in l), encoding="utf-8")
    refresh_hashes(package_copy)
    assert ("sentences", "sen-0001-016", "quote", "coverage") in failures(package_copy)


def test_cli_validate_exit_codes_and_json(package_copy):
    ok = run_kordata("validate", str(package_copy), "--json")
    assert ok.returncode == 0 and json.loads(ok.stdout)["valid"] is True
    edit_cell(package_copy, "statements", "stm-jang-promise", "speaker_actor_id", "act-yonhap")
    bad = run_kordata("validate", str(package_copy))
    assert bad.returncode == 1
    assert "statements row" in bad.stdout and "[stm-jang-promise] column speaker_actor_id: speaker-is-person" in bad.stdout
    report = json.loads(run_kordata("validate", str(package_copy), "--json").stdout)
    assert report["valid"] is False and any(not layer["valid"] for layer in report["layers"])


def test_layers_are_described_once_for_the_report_and_the_help():
    from kordata.validation.report import LAYERS
    help_text = " ".join(run_kordata("validate", "--help").stdout.split())
    report = kordata.validate().to_text()
    for number, text in LAYERS.items():
        assert f"Layer {number}: {text}." in help_text
        assert f"layer {number}: PASS  {text}" in report


def test_layer_two_does_not_report_again_a_cell_layer_one_reported(package_copy):
    """One home per rule: an empty required offset is layer 1's failure; the row rules that read it are
    not evaluated on that row (no 'end is greater than start' for an end that is missing)."""
    edit_cell(package_copy, "mentions", "men-0001-005", "end", "")
    report = kordata.validate(package_copy)
    row = [f for f in report.failures if f.row_id == "men-0001-005"]
    assert [(f.rule, f.column) for f in row if f.rule in ("required", "span-ordered")] == [("required", "end")]
    assert all(c.layer == 1 for c in report.checks for f in c.failures if f.rule == "required")
