"""Load test: user sessions per second at 50 concurrent users, ours against a plain Dash app.

    .venv/bin/python bench/load_sessions.py [--duration 20] [--users 50] [--sessions 6] [--cluster]

A session is what a reader's browser sends: the page, /_dash-layout, /_dash-dependencies, the
initial callbacks, then 6 filter changes with every callback they fire. The requests are
recorded from headless Chromium (the performance log), so they follow whatever the callbacks
are today: filter changes are made generically with `dash_clientside.set_props` on controls
found in the layout (checklists, dropdowns, range sliders that feed a callback), exactly as if
the reader had changed them. Scripts and styles are left out (the browser caches them a year).

Both apps run in the same run on 127.0.0.1: ours with gunicorn.conf.py (and, with --cluster,
also through scripts/cluster.sh's nginx), the baseline `bench/plain_dash_app.py` with gunicorn's
defaults plus the same worker count. The load is `wrk` (Debian package) replaying the recorded
requests on 50 connections. Prints requests/s, sessions/s (= requests/s / requests per session),
median and p95 latency per request, and errors. Numbers, not assertions: the machine is shared,
so every server stays up and the apps are measured in alternating rounds (--rounds), each ratio
taken between neighbouring runs; the machine's load average is printed with the result.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import ExitStack, contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser import free_port  # noqa: E402

PAGE_PATHS = ("/", "/_dash-layout", "/_dash-dependencies")
CALLBACK_PATH = "/_dash-update-component"

FIND_CONTROLS_JS = """
const layout = await (await fetch('/_dash-layout?bench-probe=1')).json();
const deps = await (await fetch('/_dash-dependencies?bench-probe=1')).json();
const inputs = new Set(deps.flatMap(d => d.inputs.map(i => i.id + '.' + i.property)));
const found = [];
(function walk(node) {
  if (Array.isArray(node)) { node.forEach(walk); return; }
  if (!node || typeof node !== 'object' || !node.props) return;
  const p = node.props;
  if (typeof p.id === 'string' && inputs.has(p.id + '.value')) {
    const options = (p.options || []).map(o => (o && typeof o === 'object') ? o.value : o);
    if (options.length && Array.isArray(p.value)) found.push({id: p.id, kind: 'multi', options});
    else if (options.length) found.push({id: p.id, kind: 'single', options});
    else if (p.min !== undefined && p.max !== undefined && Array.isArray(p.value) && p.value.length === 2)
      found.push({id: p.id, kind: 'range', min: p.min, max: p.max, step: p.step || 1});
  }
  walk(p.children);
})(layout);
return found;
"""


@contextmanager
def process(command: list[str], env: dict, health: str, log_name: str, timeout: float = 120, cwd: Path = ROOT):
    """Start a server in its own process group, wait for `health`, stop it (by its id) after."""
    log = open(Path(tempfile.gettempdir()) / log_name, "w")
    child = subprocess.Popen(
        command, cwd=cwd, env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    deadline = time.monotonic() + timeout
    try:
        while True:
            try:
                with urllib.request.urlopen(health, timeout=2):
                    break
            except OSError:
                if child.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"{command[0]} did not start; see {log.name}") from None
                time.sleep(0.5)
        yield
    finally:
        os.killpg(child.pid, signal.SIGTERM)
        try:
            child.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(child.pid, signal.SIGKILL)
        log.close()


def gunicorn(app: str, port: int, config: bool, workers: int, folder: Path) -> list[str]:
    """Ours with gunicorn.conf.py; the baseline with gunicorn's defaults (sync workers): an empty
    config file, since gunicorn would otherwise pick up ./gunicorn.conf.py by itself."""
    empty = folder / "defaults.conf.py"
    empty.write_text("")
    return [
        str(Path(sys.executable).with_name("gunicorn")),
        app,
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--config",
        "gunicorn.conf.py" if config else str(empty),
    ]


def callback_requests(driver, base: str, seen: set) -> list[dict]:
    """New requests from the performance log: page, layout, dependencies, callbacks."""
    found = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] != "Network.requestWillBeSent":
            continue
        request = message["params"]["request"]
        url = request["url"]
        if not url.startswith(base) or "bench-probe" in url or message["params"]["requestId"] + url in seen:
            continue
        path = url[len(base) :] or "/"
        bare = path.split("?")[0]
        if bare in PAGE_PATHS or bare == CALLBACK_PATH:
            seen.add(message["params"]["requestId"] + url)
            body = request.get("postData")
            if bare == CALLBACK_PATH and body is None:
                body = driver.execute_cdp_cmd(
                    "Network.getRequestPostData", {"requestId": message["params"]["requestId"]}
                )["postData"]
            found.append({"method": request["method"], "path": path, "body": body})
    return found


def settle(driver, base: str, seen: set, quiet: float = 0.8, limit: float = 20) -> list[dict]:
    """Collect requests until none is loading and nothing new came for `quiet` seconds."""
    requests, last_new, started = [], time.monotonic(), time.monotonic()
    while time.monotonic() - started < limit:
        new = callback_requests(driver, base, seen)
        if new:
            requests += new
            last_new = time.monotonic()
        busy = driver.execute_script("return document.querySelectorAll('[data-dash-is-loading=\"true\"]').length")
        if not busy and time.monotonic() - last_new > quiet:
            break
        time.sleep(0.1)
    return requests


def change(control: dict, rng: random.Random):
    if control["kind"] == "multi":
        options = control["options"]
        return rng.sample(options, rng.randint(1, len(options)))
    if control["kind"] == "single":
        return rng.choice(control["options"])
    low, high, step = control["min"], control["max"], control["step"]
    a = low + step * rng.randrange(0, max(1, int((high - low) / step) // 2))
    return [a, min(high, a + step * rng.randint(1, max(1, int((high - a) / step))))]


def record_sessions(base: str, count: int, changes: int, seed: int) -> list[list[dict]]:
    """`count` sessions recorded from Chromium: page load, then `changes` filter changes each."""
    rng = random.Random(seed)
    sessions = []
    driver = chrome_with_performance_log()
    try:
        for _ in range(count):
            seen: set = set()
            driver.get_log("performance")  # drop what came before
            driver.get(base + "/")
            deadline = time.monotonic() + 60  # first loads (cold caches) can take a while
            while not driver.execute_script("return !!(window.dash_clientside && window.dash_clientside.set_props)"):
                if time.monotonic() > deadline:
                    logs = [e["message"][:200] for e in driver.get_log("browser")]
                    raise RuntimeError(f"the page never became ready: {driver.current_url} {logs}")
                time.sleep(0.2)
            session = settle(driver, base, seen)
            controls = driver.execute_script(f"return (async () => {{ {FIND_CONTROLS_JS} }})()")
            if not controls:
                raise RuntimeError("no filter controls found in the layout")
            for _step in range(changes):
                control = rng.choice(controls)
                driver.execute_script(
                    "window.dash_clientside.set_props(arguments[0], {value: arguments[1]})",
                    control["id"],
                    change(control, rng),
                )
                session += settle(driver, base, seen)
            sessions.append(session)
    finally:
        driver.quit()
    return sessions


def chrome_with_performance_log():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    from tests.browser import CHROME_FLAGS

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for flag in CHROME_FLAGS:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"), options=options)
    driver.execute_cdp_cmd("Network.enable", {})
    driver.execute_cdp_cmd("Network.setCacheDisabled", {"cacheDisabled": False})
    return driver


def lua_string(text: str) -> str:
    return (
        '"'
        + "".join(
            c if 32 <= ord(c) < 127 and c not in '"\\' else "".join(f"\\{b:03d}" for b in c.encode()) for c in text
        )
        + '"'
    )


WRK_DONE = """
done = function(summary, latency, requests)
  io.write(string.format('WRK {"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, ' ..
    '"status_errors": %d, "connect_errors": %d, "read_errors": %d, "timeouts": %d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95), latency:percentile(99),
    summary.errors.status, summary.errors.connect, summary.errors.read, summary.errors.timeout))
end
"""


def wrk_script(sessions: list[list[dict]], folder: Path) -> Path:
    lines = ["local reqs = {}"]
    headers = (
        '{["Host"] = "127.0.0.1", ["Accept-Encoding"] = "gzip, deflate, br", ["Content-Type"] = "application/json"}'
    )
    for session in sessions:
        for item in session:
            body = lua_string(item["body"]) if item["body"] is not None else "nil"
            method, path = lua_string(item["method"]), lua_string(item["path"])
            lines.append(f"reqs[#reqs + 1] = wrk.format({method}, {path}, {headers}, {body})")
    lines += [
        "local i = 0",
        "init = function(args) i = math.random(#reqs) end",
        "request = function() i = i % #reqs + 1; return reqs[i] end",
        WRK_DONE,
    ]
    path = folder / "sessions.lua"
    path.write_text("\n".join(lines))
    return path


def run_wrk(base: str, script: Path, users: int, duration: int) -> dict:
    wrk = shutil.which("wrk")
    if wrk is None:
        raise SystemExit("wrk is not installed: scripts/apt-install.sh wrk")
    out = subprocess.run(
        [wrk, "-t2", f"-c{users}", f"-d{duration}s", "--timeout", "10s", "-s", str(script), base],
        capture_output=True,
        text=True,
        timeout=duration + 60,
    )
    match = re.search(r"^WRK (\{.*\})$", out.stdout, re.MULTILINE)
    if not match:
        raise RuntimeError(f"wrk printed no summary:\n{out.stdout}\n{out.stderr}")
    return json.loads(match.group(1))


def measure(name: str, base: str, sessions: list[list[dict]], args, folder: Path) -> dict:
    script = wrk_script(sessions, folder)
    run_wrk(base, script, args.users, max(3, args.duration // 4))  # warm-up (memo, caches, JIT-free Python)
    result = run_wrk(base, script, args.users, args.duration)
    per_session = sum(len(s) for s in sessions) / len(sessions)
    rps = result["requests"] / (result["duration_us"] / 1e6)
    row = {
        "name": name,
        "requests_per_session": round(per_session, 1),
        "requests_per_s": round(rps, 1),
        "sessions_per_s": round(rps / per_session, 1),
        "p50_ms": result["p50_us"] / 1000,
        "p95_ms": result["p95_us"] / 1000,
        "p99_ms": result["p99_us"] / 1000,
        "errors": result["status_errors"] + result["connect_errors"] + result["read_errors"] + result["timeouts"],
        "wrk": result,
    }
    print(
        f"{name:<34} {row['requests_per_session']:>7} {row['requests_per_s']:>9} {row['sessions_per_s']:>10} "
        f"{row['p50_ms']:>8.1f} {row['p95_ms']:>8.1f} {row['p99_ms']:>8.1f} {row['errors']:>7}",
        flush=True,
    )
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=20, help="seconds of load per app and round")
    parser.add_argument("--users", type=int, default=50, help="concurrent connections")
    parser.add_argument("--sessions", type=int, default=6, help="distinct sessions recorded per app")
    parser.add_argument("--changes", type=int, default=6, help="filter changes per session")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers for both apps")
    parser.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="alternate ours and the plain app this many times (a shared machine's load drifts)",
    )
    parser.add_argument("--cluster", action="store_true", help="also measure scripts/cluster.sh (nginx + replicas)")
    parser.add_argument(
        "--no-memo", action="store_true", help="also measure ours with the callback memo off (cold callbacks)"
    )
    parser.add_argument(
        "--also",
        type=Path,
        action="append",
        default=[],
        metavar="CHECKOUT",
        help="also measure the app of another checkout (e.g. `git archive main | tar -x -C /tmp/main`)",
    )
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--save", type=Path, help="write the rows as JSON here")
    args = parser.parse_args()

    rows = []
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as folder, ExitStack() as servers:
        folder = Path(folder)
        apps = []  # (name, base, sessions); every server stays up, idle while another is measured

        def serve(command, env, health_path, log, cwd=ROOT):
            port = free_port()
            base = f"http://127.0.0.1:{port}"
            env = {**env, "PORT": str(port)}
            servers.enter_context(process(command(port), env, base + health_path, log, cwd=cwd))
            return base

        common = {"WEB_CONCURRENCY": str(args.workers), "ACCESS_LOG": "", "LOG_LEVEL": "WARNING", "HOST": "127.0.0.1"}
        base = serve(
            lambda port: gunicorn("app:server", port, True, args.workers, folder), common, "/healthz", "bench-ours.log"
        )
        ours_sessions = record_sessions(base, args.sessions, args.changes, args.seed)
        apps.append((f"ours: gunicorn gthread x{args.workers}", base, ours_sessions))
        for checkout in args.also:
            base = serve(
                lambda port: gunicorn("app:server", port, True, args.workers, folder),
                common,
                "/healthz",
                f"bench-{checkout.name}.log",
                cwd=checkout.resolve(),
            )
            apps.append(
                (
                    f"{checkout.name}: gunicorn gthread x{args.workers}",
                    base,
                    record_sessions(base, args.sessions, args.changes, args.seed),
                )
            )
        if args.no_memo:
            base = serve(
                lambda port: gunicorn("app:server", port, True, args.workers, folder),
                {**common, "CALLBACK_MEMO_MB": "0"},
                "/healthz",
                "bench-cold.log",
            )
            apps.append((f"ours, memo off: gthread x{args.workers}", base, ours_sessions))
        if args.cluster:
            base = serve(
                lambda port: ["bash", "scripts/cluster.sh"],
                {"REPLICAS": str(args.workers), "LOG_LEVEL": "WARNING"},
                "/healthz",
                "bench-cluster.log",
            )
            apps.append(
                (
                    f"ours: nginx + {args.workers} replicas",
                    base,
                    record_sessions(base, args.sessions, args.changes, args.seed),
                )
            )
        base = serve(
            lambda port: gunicorn("bench.plain_dash_app:server", port, False, args.workers, folder),
            {},
            "/",
            "bench-plain.log",
        )
        apps.append(
            (
                f"plain Dash: gunicorn sync x{args.workers}",
                base,
                record_sessions(base, args.sessions, args.changes, args.seed),
            )
        )

        print(
            f"{'app':<34} {'req/ses':>7} {'req/s':>9} {'sessions/s':>10} "
            f"{'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7}"
        )
        for round_ in range(args.rounds):
            for name, base, sessions in apps:
                row = measure(name, base, sessions, args, folder)
                row["round"] = round_ + 1
                rows.append(row)
    load_after = os.getloadavg()

    print(
        f"machine load (1/5/15 min) before {load_before[0]:.2f}/{load_before[1]:.2f}/{load_before[2]:.2f}, "
        f"after {load_after[0]:.2f}/{load_after[1]:.2f}/{load_after[2]:.2f} on {os.cpu_count()} cores"
    )
    plain = apps[-1][0]
    for name, _, _ in apps[:-1]:
        ours = [r for r in rows if r["name"] == name]
        plains = [r for r in rows if r["name"] == plain]
        ratios = [row["sessions_per_s"] / base["sessions_per_s"] for row, base in zip(ours, plains, strict=True)]
        p95 = statistics.median(r["p95_ms"] for r in ours)
        sessions = statistics.median(r["sessions_per_s"] for r in ours)
        ratio = statistics.median(ratios)
        print(
            f"{name}: {ratio:.2f}x the plain Dash app's sessions/s (median of {len(ratios)} alternating rounds: "
            f"{', '.join(f'{r:.2f}' for r in ratios)}), {sessions:.1f} sessions/s, p95 {p95:.0f} ms "
            f"(target: >= 2x at p95 <= 100 ms)"
        )
    if args.save:
        args.save.write_text(json.dumps({"load_before": load_before, "load_after": load_after, "rows": rows}, indent=1))


if __name__ == "__main__":
    main()
