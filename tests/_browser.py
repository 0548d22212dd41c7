"""Lay out an HTML page in real headless Chromium and measure what a reader would see.

The page is loaded from a file (no network) in a frame of the given width (headless Chromium
will not make a window narrower than 500 px, a frame can be a 420 px phone); a small script added
to a copy of it records, once the charts are drawn, the page's scroll width and the boxes of every
chart and of every text inside the charts, and posts them to the host page, whose DOM
``--dump-dom`` prints.
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

CHROMIUM = next((p for p in (shutil.which("chromium"), shutil.which("chromium-browser"), "/usr/bin/chromium")
                 if p and Path(p).exists()), None)

_PROBE = """
<script>
window.addEventListener('load', function () { setTimeout(function () {
  var out = {viewport: window.innerWidth, scrollWidth: document.documentElement.scrollWidth, charts: []};
  document.querySelectorAll('.js-plotly-plot').forEach(function (div) {
    var box = div.getBoundingClientRect(), texts = [];
    div.querySelectorAll('svg text').forEach(function (t) {
      var b = t.getBoundingClientRect();
      if (b.width > 0 && t.textContent.trim()) {
        var owner = t.closest('[class]');
        texts.push({text: t.textContent, cls: (t.getAttribute('class') || '') + ' ' +
                    (t.parentNode.getAttribute('class') || ''), l: b.left, r: b.right, t: b.top, b: b.bottom});
      }
    });
    var marks = div.querySelectorAll('.point, .bars path, .hm image, .heatmaplayer image, .js-line').length;
    out.charts.push({id: div.id, left: box.left, right: box.right, top: box.top, bottom: box.bottom, width: box.width,
                     texts: texts, marks: marks});
  });
  parent.postMessage(JSON.stringify(out), '*');
}, 800); });
</script>
"""

_HOST = """<!DOCTYPE html><html><body style="margin:0">
<iframe src="page.html" style="width:{width}px;height:{height}px;border:0;display:block"></iframe>
<script>window.addEventListener('message', function (e) {{
  var pre = document.createElement('pre'); pre.id = 'layout-check'; pre.textContent = e.data;
  document.body.appendChild(pre); }});</script>
</body></html>
"""


def layout(html_path: Path, width: int, height: int = 2000, timeout: float = 180) -> dict:
    """Measurements of ``html_path`` laid out at ``width`` px (see the module docstring)."""
    assert CHROMIUM, "Chromium is not installed"
    with tempfile.TemporaryDirectory(prefix="cxtext-chromium-") as tmp:
        page = Path(tmp) / "page.html"
        page.write_text(html_path.read_text(encoding="utf-8").replace("</body>", _PROBE + "</body>"), encoding="utf-8")
        host = Path(tmp) / "host.html"
        host.write_text(_HOST.format(width=width, height=height), encoding="utf-8")
        profile = Path(tmp) / "profile"
        cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               "--hide-scrollbars", f"--user-data-dir={profile}", "--virtual-time-budget=15000",
               f"--window-size={max(width, 500) + 40},{height + 40}", "--dump-dom", host.as_uri()]
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    found = re.search(r'<pre id="layout-check">(.*?)</pre>', done.stdout, re.S)
    assert found, f"no measurements from Chromium (exit {done.returncode}): {done.stderr[-2000:]}"
    import html

    return json.loads(html.unescape(found.group(1)))


def overlaps(texts: list[dict], slack: float = 1.0) -> list[tuple[str, str]]:
    """Pairs of texts whose boxes overlap by more than ``slack`` px both ways."""
    pairs = []
    for i, a in enumerate(texts):
        for b in texts[i + 1:]:
            if min(a["r"], b["r"]) - max(a["l"], b["l"]) > slack and min(a["b"], b["b"]) - max(a["t"], b["t"]) > slack:
                pairs.append((a["text"], b["text"]))
    return pairs
