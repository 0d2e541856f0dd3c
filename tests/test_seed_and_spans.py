"""The seed text is the one we were given, and spans are found (never typed) correctly."""
import hashlib

import pytest

from conftest import ROOT
from kordata.segment import sentences
from kordata.spans import SpanError, locate

SEED = ROOT / "seeds" / "kor-weighs-weapons-for-ukraine.txt"
SHA256 = "94deacee7d484023c5e558876479a8bc1e563cbeca1130e51226c0885e0a7c1e"


def test_seed_is_byte_identical_to_the_source():
    raw = SEED.read_bytes()
    assert hashlib.sha256(raw).hexdigest() == SHA256
    text = raw.decode("utf-8")
    assert len(text) == 2543 and len(raw) == 2547
    assert text.count("\n") == 14 and not text.endswith("\n")
    assert text.count("\u2013") == 2


def test_locate_counts_code_points_not_bytes():
    text = SEED.read_text(encoding="utf-8")
    span = locate(text, "[[Jang Ho–jin]] said")
    assert text[span.start:span.end] == "Jang Ho–jin"
    assert text.encode("utf-8")[span.start:span.end].decode("utf-8", "replace") != "Jang Ho–jin"


def test_locate_markers_context_and_occurrence():
    text = "Kim said. Kim said again. Kim left."
    assert locate(text, "Kim left").start == 26
    assert locate(text, "[[Kim]] said again") == locate(text, "Kim said", occurrence=2).__class__(10, 13, "Kim")
    with pytest.raises(SpanError, match="occurs 2 times"):
        locate(text, "Kim said")
    with pytest.raises(SpanError, match="not found"):
        locate(text, "Kim stayed")
    with pytest.raises(SpanError, match="occurrence 3"):
        locate(text, "Kim said", occurrence=3)
    with pytest.raises(SpanError, match="malformed"):
        locate(text, "[[Kim said")


def test_segmenter_on_the_seed():
    text = SEED.read_text(encoding="utf-8")
    spans = sentences(text)
    assert len(spans) == 17
    assert text[spans[0][0]:spans[0][1]].startswith("South Korea weighs")
    assert text[spans[2][0]:spans[2][1]].startswith("This is in response")
    assert text[spans[-2][0]:spans[-2][1]] == "For reference:"
    assert all(text[a:b] == text[a:b].strip() and "\n" not in text[a:b] for a, b in spans)
