"""Render an HTML report with headless Chromium and save a PNG screenshot.

Proves the self-contained report draws its charts without network access. Usage:

    python benchmarks/render_report.py report.html -o report.png [--chromium PATH]
    python benchmarks/render_report.py tagged.csv --score nps -o report.png   # builds the report first

Exit code 0 when the screenshot was written and is not blank; prints its size.
Needs a Chromium binary (Debian: ``apt-get install -y chromium``).
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")


def find_chromium(explicit: str | None = None) -> str | None:
    """Path of a Chromium-like browser, or None."""
    if explicit:
        return explicit if Path(explicit).exists() or shutil.which(explicit) else None
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def screenshot(html_path: Path, png_path: Path, chromium: str, width: int = 1280, height: int = 4000,
               timeout: float = 120.0, budget_ms: int = 8000) -> None:
    """Take a headless screenshot of ``html_path`` (no network, fresh profile)."""
    with tempfile.TemporaryDirectory(prefix="cxtext-chromium-") as profile:
        cmd = [
            chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--hide-scrollbars", f"--user-data-dir={profile}", f"--virtual-time-budget={budget_ms}",
            f"--screenshot={png_path.resolve()}", f"--window-size={width},{height}",
            html_path.resolve().as_uri(),
        ]
        subprocess.run(cmd, check=True, timeout=timeout, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def non_blank(png_path: Path) -> bool:
    """True when the PNG has more than one colour (a drawn page)."""
    import zlib

    data = png_path.read_bytes()
    if not data.startswith(b"\x89PNG") or len(data) < 2000:
        return False
    # cheap check: compressed image data of a blank page is tiny
    idat = b"".join(data[i + 8:i + 8 + int.from_bytes(data[i:i + 4], "big")]
                    for i in range(8, len(data) - 8) if data[i + 4:i + 8] == b"IDAT")
    return len(zlib.decompress(idat)) > 0 and len(idat) > 20_000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("html", type=Path, help="an HTML report, or a tagged table to build one from")
    parser.add_argument("--score", default="nps", help="score column when building from a tagged table")
    parser.add_argument("--metric", default="nps", choices=["nps", "csat", "ces"])
    parser.add_argument("-o", "--output", type=Path, default=None)
    parser.add_argument("--chromium", default=None)
    parser.add_argument("--height", type=int, default=4000)
    args = parser.parse_args(argv)
    chromium = find_chromium(args.chromium)
    if chromium is None:
        print("no Chromium found; install it (apt-get install -y chromium) or pass --chromium", file=sys.stderr)
        return 2
    out = args.output or args.html.with_suffix(".png")
    html_path = args.html
    if html_path.suffix.lower() not in (".html", ".htm"):
        import time

        from cxtext.io import read_table
        from cxtext.report import build_report

        started = time.perf_counter()
        page = build_report(read_table(html_path), args.score, args.metric, source=html_path.name)
        html_path = out.with_suffix(".html")
        html_path.write_text(page, encoding="utf-8")
        print(f"built {html_path} ({len(page) / 1e6:.1f} MB) in {time.perf_counter() - started:.1f} s")
    screenshot(html_path, out, chromium, height=args.height)
    ok = out.exists() and non_blank(out)
    print(f"{out}: {out.stat().st_size if out.exists() else 0} bytes, {'drawn' if ok else 'BLANK'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
