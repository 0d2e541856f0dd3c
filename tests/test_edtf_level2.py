"""EDTF level-2 qualifiers: bounds, the scope of each qualifier, and the validator's syntax check."""
import pandas as pd
import pytest

from kordata.dates import edtf_bounds, qualified_components

LEVEL2 = ["2024?-10-15", "2024?-06", "2024-?10-15", "2024~-10-?15", "2004-06~-11", "2024-10-?15", "2024-%06"]


@pytest.mark.parametrize("value", LEVEL2)
def test_level2_bounds_agree_with_the_edtf_library(value):
    from edtf import parse_edtf, struct_time_to_date
    lower, upper = edtf_bounds(pd.Series([value]))
    parsed = parse_edtf(value)
    assert lower[0].date() == struct_time_to_date(parsed.lower_strict())
    assert upper[0].date() == struct_time_to_date(parsed.upper_strict())


@pytest.mark.parametrize("value, expected", [
    ("2024?-10-15", {"year": "?", "month": "", "day": ""}),     # after the year: the year only
    ("2024-10-15?", {"year": "?", "month": "?", "day": "?"}),   # after the day: everything to its left
    ("2004-06~-11", {"year": "~", "month": "~", "day": ""}),
    ("?2004-06-~11", {"year": "?", "month": "", "day": "~"}),   # before a component: that one only
    ("2024-%06", {"year": "", "month": "?~", "day": None}),
    ("XXXX-10-15", {"year": "X", "month": "", "day": ""}),
    ("2024-10", {"year": "", "month": "", "day": None}),
])
def test_qualifier_scope_follows_iso_8601_2(value, expected):
    marks = qualified_components(value)
    assert {c: "".join(sorted(marks[c])) if c in marks else None for c in expected} == {
        c: "".join(sorted(v)) if v is not None else None for c, v in expected.items()}


@pytest.mark.parametrize("value", ["2024?-10-15", "2024-?10-15", "2004-06~-11", "2024-10-15?", "2024~-10-?15", "2024-10?"])
def test_qualifier_scope_agrees_with_the_edtf_library_where_it_keeps_the_qualifier(value):
    from edtf import parse_edtf
    parsed = parse_edtf(value)
    library = {"year": set(), "month": set(), "day": set()}
    spans = {"ua": ("year", "month", "day"), "year_ua": ("year",), "month_ua": ("month",), "day_ua": ("day",),
             "year_month_ua": ("year", "month"), "month_day_ua": ("month", "day")}
    for attribute, components in spans.items():
        ua = getattr(parsed, attribute, None)
        if ua is not None:
            for component in components:
                library[component] |= {"?" if ua.is_uncertain else "", "~" if ua.is_approximate else ""} - {""}
    ours = qualified_components(value)
    assert {c: set(m) for c, m in ours.items()} == {c: library[c] for c in ours}


def test_not_a_single_date():
    assert qualified_components("2024-10/2024-11") is None and qualified_components("late 2024") is None


@pytest.mark.parametrize("value, valid", [("2024?-10-15", True), ("2024?-06", True), ("2024-?10", True),
                                          ("2024??-10", False), ("2024-10-15??", False), ("2024?-13-01", False)])
def test_the_validator_parses_level2_dates(value, valid):
    from kordata.validation.integrity import _edtf_valid
    assert _edtf_valid(value) is valid
