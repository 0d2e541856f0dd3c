"""kordata.fileio: atomic replacement, all-or-nothing groups, confined names."""
import pytest

from kordata.errors import KordataError
from kordata.fileio import TEMP_PREFIX, WriteError, confined, write_many, write_text


def test_write_replaces_whole_file_and_leaves_no_temporary(tmp_path):
    target = tmp_path / "a.txt"
    target.write_text("old")
    write_text(target, "new\n")
    assert target.read_bytes() == b"new\n" and [p.name for p in tmp_path.iterdir()] == ["a.txt"]


def test_group_is_all_or_nothing_when_one_file_cannot_be_written(tmp_path):
    good, bad = tmp_path / "good.csv", tmp_path / "missing-folder" / "bad.csv"
    good.write_text("old")
    with pytest.raises(WriteError, match="bad.csv"):
        write_many({good: "new", bad: "new"})
    assert good.read_text() == "old"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(TEMP_PREFIX)]


@pytest.mark.parametrize("name", ["../x", "/etc/passwd", "a/b", "..", "", "a\\b", "nul\x00"])
def test_confined_refuses_names_that_leave_the_folder(tmp_path, name):
    with pytest.raises(KordataError, match="refused"):
        confined(tmp_path, name)


def test_confined_accepts_a_plain_name(tmp_path):
    assert confined(tmp_path, "events.csv") == tmp_path / "events.csv"
