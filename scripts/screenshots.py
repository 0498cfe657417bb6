"""Screenshots of the running app for the README: default view, a story, the company panel,
the Sankey, an embed inside a wiki page, and the phone layout. Run by scripts/screenshots.sh.

    .venv/bin/python scripts/screenshots.py [--out docs/screenshots] [--base http://127.0.0.1:8050]

Without --base it serves the app itself (gunicorn on a free loopback port).
"""

from __future__ import annotations

import argparse
import contextlib
import http.server
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser import chrome, free_port, served, set_viewport  # noqa: E402

SHOTS = (
    ("default", "/", (1500, 1000)),
    ("story", "/?from=2025-11&to=2025-11&company=anthropic&story=nov-2025-pact", (1500, 1000)),
    ("company-panel", "/?company=nvidia", (1500, 1000)),
    ("sankey", "/?view=sankey&types=equity_investment,compute_commitment,chip_supply", (1500, 1000)),
    ("phone", "/", (390, 844)),
)

WAIT_FOR_MAP = """
const gd = document.querySelector('#network-graph .js-plotly-plot');
return !!(gd && gd.data && gd.data.length && gd.layout && gd.layout.meta && gd.layout.meta.window);
"""


def wait_for_map(driver, timeout=30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if driver.execute_script(WAIT_FOR_MAP):
            time.sleep(0.8)  # the panel and sections arrive on the next round trip
            return
        time.sleep(0.2)
    raise RuntimeError("the map did not render")


@contextlib.contextmanager
def wiki_page(app_url: str, port: int):
    """A stand-in wiki page on another port that embeds the map in an iframe."""
    html = (
        "<!doctype html><html><head><meta charset='utf-8'><title>Team wiki</title></head>"
        "<body style='font-family:sans-serif;margin:24px;background:#f4f4f4'>"
        f"<h1>Team wiki · AI partnerships</h1><p>The map below is embedded from the AI Alliance Map.</p>"
        f"<iframe src='{app_url}/?from=2025-11&to=2025-11&embed=1' width='100%' height='620' "
        f"style='border:1px solid #ccc;background:#fff'></iframe></body></html>"
    ).encode()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(html)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.shutdown()


def take(base: str, out: Path, wiki_port: int | None = None) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    saved = []
    driver = chrome()
    try:
        for name, path, (width, height) in SHOTS:
            set_viewport(driver, width, height)
            driver.get(base + path)
            wait_for_map(driver)
            target = out / f"{name}.png"
            driver.save_screenshot(str(target))
            saved.append(target)
        if wiki_port:
            with wiki_page(base, wiki_port) as wiki_url:
                set_viewport(driver, 1300, 900)
                driver.get(wiki_url)
                time.sleep(4)
                target = out / "embed.png"
                driver.save_screenshot(str(target))
                saved.append(target)
    finally:
        driver.quit()
    return saved


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--base", help="an already running app; default: serve one here")
    args = parser.parse_args()
    if args.base:
        paths = take(args.base.rstrip("/"), args.out)
    else:
        wiki_port = free_port()
        with served({"FRAME_ANCESTORS": f"'self' http://127.0.0.1:{wiki_port}"}) as base:
            paths = take(base, args.out, wiki_port=wiki_port)
    for path in paths:
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)


if __name__ == "__main__":
    main()
