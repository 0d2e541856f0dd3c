"""The release state of the version the site publishes: kordata.release_state (read from the
package's CHANGELOG.md and releases/, never typed on a page), re-exported for the page generators."""

from __future__ import annotations

from kordata.release_state import PREVIEW, Release, state

__all__ = ["PREVIEW", "Release", "state"]
