"""Whether a package's version is released or an unreleased preview, read from its CHANGELOG.md
and releases/ (the installed copy ships both under kordata/_data, so the installed library can
tell, not only the repository).

A version is released when CHANGELOG.md has its entry with a date (``## [0.2.0] - 2026-12-01``)
and releases/<version>.json, the manifest ``python -m kordata.build.release`` writes, exists.
Anything else (an entry marked ``Unreleased``, no entry, no manifest) is an unreleased preview:
its files may still change, it has no release date, and every citation of it says
"unreleased preview" with the date it was accessed.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, replace
from pathlib import Path

ENTRY = re.compile(r"^## \[(?P<version>[^\]]+)\]\s*(?:-\s*(?P<when>.*?))?\s*$", re.MULTILINE)
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
PREVIEW = "unreleased preview"


@dataclass(frozen=True)
class Release:
    version: str
    released: bool
    date: str | None  # the CHANGELOG's date of a released version, else None
    why: str  # for a preview: what is missing (no dated entry, no manifest)
    previous: str | None  # the newest released version before this one, if any
    previous_date: str | None

    @property
    def label(self) -> str:
        """How the version is named: '0.2.0' or '0.2.0 (unreleased preview)'."""
        return self.version if self.released else f"{self.version} ({PREVIEW})"

    @property
    def notice(self) -> str:
        """One sentence for a preview (plain text); '' for a release."""
        if self.released:
            return ""
        return (
            f"{self.version}, {PREVIEW}: files may still change. To cite it, give the version, "
            f"the words \u201c{PREVIEW}\u201d and the date you accessed it."
        )

    def as_released(self, date: str) -> Release:
        """This version as released on ``date`` (what the release tool writes the generated files for)."""
        return replace(self, released=True, date=date, why="")


def today() -> str:
    return dt.date.today().isoformat()


def _changelog_dates(root: Path) -> dict[str, str]:
    path = root / "CHANGELOG.md"
    if not path.is_file():
        return {}
    return {m["version"]: (m["when"] or "").strip() for m in ENTRY.finditer(path.read_text(encoding="utf-8"))}


def _manifests(root: Path) -> dict[str, str]:
    """version -> date of every release manifest in releases/."""
    out = {}
    for path in sorted((root / "releases").glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(data, dict) and data.get("version") == path.stem:
            out[path.stem] = str(data.get("date", ""))
    return out


def _released(version: str, dates: dict[str, str], manifests: dict[str, str]) -> bool:
    return bool(DATE.match(dates.get(version, ""))) and version in manifests


def state(root: Path, version: str) -> Release:
    """The release state of ``version`` of the package at ``root``."""
    from .releases import parse_version

    dates, manifests = _changelog_dates(root), _manifests(root)
    released = _released(version, dates, manifests)
    if released:
        why = ""
    elif version not in dates:
        why = f"CHANGELOG.md has no entry for {version}"
    elif not DATE.match(dates[version]):
        why = f"CHANGELOG.md marks {version} as {dates[version] or 'undated'}"
    else:
        why = f"releases/{version}.json (the release manifest) does not exist"
    earlier = [v for v in manifests if _released(v, dates, manifests) and parse_version(v) < parse_version(version)]
    previous = max(earlier, key=parse_version, default=None)
    return Release(version, released, dates[version] if released else None, why, previous, dates.get(previous) if previous else None)


def of(pkg) -> Release:
    """The release state of a kordata Package."""
    return state(pkg.root, pkg.version)


def preview_version(version: str, day: str | None = None) -> str:
    """The PEP 440 development release a preview of ``version`` is built as: ``0.2.0.dev20261126``
    (the build day), which pip orders before ``0.2.0`` and after earlier previews, so a later real
    release is never mistaken for an installed preview."""
    return f"{version}.dev{(day or today()).replace('-', '')}"
