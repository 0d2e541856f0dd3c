"""Whether the version the site publishes is released, read from the package's CHANGELOG.md and
releases/ (never typed on a page).

A version is released when CHANGELOG.md has its entry with a date (``## [0.2.0] - 2026-12-01``)
and releases/<version>.json, the manifest ``python -m kordata.build.release`` writes, exists.
Anything else (an entry marked ``Unreleased``, no entry, no manifest) is an unreleased preview:
its files may still change, and the site says so wherever it offers them for download or citation.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

ENTRY = re.compile(r"^## \[(?P<version>[^\]]+)\]\s*(?:-\s*(?P<when>.*?))?\s*$", re.MULTILINE)
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Release:
    version: str
    released: bool
    date: str | None  # the CHANGELOG's date of a released version
    why: str  # for a preview: what is missing (no dated entry, no manifest)
    previous: str | None  # the newest released version before this one, if any
    previous_date: str | None

    @property
    def label(self) -> str:
        """How the version is named on the site: '0.2.0' or '0.2.0 (unreleased preview)'."""
        return self.version if self.released else f"{self.version} (unreleased preview)"

    @property
    def notice(self) -> str:
        """One sentence for a preview (plain text); '' for a release."""
        if self.released:
            return ""
        advice = f"cite {self.previous} or wait for the release" if self.previous else "wait for the release to cite it"
        return f"{self.version}, unreleased preview: files may still change; {advice}."


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
    from kordata.releases import parse_version

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
