"""Headless Chromium for the tests that render HTML (Debian's package; .ci/run installs it)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def run_chromium(profile_dir: Path, *args: str, window: str = "1400,2000") -> subprocess.CompletedProcess:
    """Chromium headless, offline (no background traffic, every host name unresolvable)."""
    return subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            # nothing may be fetched: a request would fail and log a console error
            "--host-resolver-rules=MAP * ~NOTFOUND",
            f"--user-data-dir={profile_dir / 'profile'}",
            f"--window-size={window}",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
