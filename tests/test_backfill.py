"""scripts/backfill_provenance.py on a throw-away git repository: added_on from the first commit
holding a row, checked_on from the last commit changing its URLs, tiers from source_sites.csv."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEADER = (
    "id,date,from_id,to_id,deal_type,amount_usd,amount_qualifier,compute_gw,status,summary,source_url,"
    "source_name,second_source_url,group_id,notes,amount_kind,supersedes"
)


def row(rid: str, url: str, second: str = "") -> str:
    return f"{rid},2024-01-01,a,b,chip_supply,,undisclosed,,announced,S,{url},N,{second},,,,"


def commit(repo: Path, day: str, deals: list[str]) -> None:
    (repo / "data" / "deals.csv").write_text("\n".join([HEADER, *deals]) + "\n", encoding="utf-8")
    env = {**os.environ, "GIT_AUTHOR_DATE": f"{day}T12:00:00", "GIT_COMMITTER_DATE": f"{day}T12:00:00", "TZ": "UTC"}
    subprocess.run(["git", "-C", str(repo), "add", "-A"], check=True, env=env)
    subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", day],
        check=True,
        env=env,
    )


def test_backfill_from_history(tmp_path):
    repo = tmp_path / "repo"
    (repo / "data").mkdir(parents=True)
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    (repo / "data" / "companies.csv").write_text(
        "id,name,roles,primary_role,country,website,description\na,A,investor,investor,,,\n", encoding="utf-8"
    )
    (repo / "data" / "source_sites.csv").write_text(
        "site,tier,reason\nreuters.com,major,wire\nblog.example,other,blog\n", encoding="utf-8"
    )
    commit(repo, "2026-01-10", [row("d1", "https://blog.example/1")])
    commit(repo, "2026-02-20", [row("d1", "https://www.reuters.com/1"), row("d2", "https://blog.example/2")])
    commit(
        repo,
        "2026-03-05",
        [row("d1", "https://www.reuters.com/1"), row("d2", "https://blog.example/2", "https://www.reuters.com/2")],
    )
    deals = repo / "data" / "deals.csv"
    deals.write_text(deals.read_text() + row("d3", "https://www.reuters.com/3") + "\n")  # not committed yet
    env = {**os.environ, "TZ": "UTC"}
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "backfill_provenance.py"), str(repo / "data")],
        capture_output=True,
        text=True,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    lines = deals.read_text().splitlines()
    assert lines[0].endswith(",supersedes,source_tier,second_source_tier,added_on,checked_on,summary_ru,money_state")
    tails = [line.split(",", 17)[17] for line in lines[1:]]  # tiers, dates, summary_ru and money_state
    today = subprocess.run(["date", "-u", "+%Y-%m-%d"], capture_output=True, text=True).stdout.strip()
    assert tails == [
        "major,,2026-01-10,2026-02-20,,",  # re-sourced on 2026-02-20
        "other,major,2026-02-20,2026-03-05,,",  # a second page added on 2026-03-05
        f"major,,{today},{today},,",
    ]
    companies = (repo / "data" / "companies.csv").read_text().splitlines()
    assert companies == [
        "id,name,roles,primary_role,country,website,description,description_ru",
        "a,A,investor,investor,,,,",
    ]
    before = deals.read_bytes()
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "backfill_provenance.py"), str(repo / "data")],
        check=True,
        capture_output=True,
        env=env,
    )
    assert deals.read_bytes() == before  # idempotent
    text = deals.read_text().replace("major,,2026-01-10,2026-02-20,", "major,,2026-01-10,2026-01-10,")
    deals.write_text(text)
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "backfill_provenance.py"), str(repo / "data")],
        check=True,
        capture_output=True,
        env=env,
    )
    assert "major,,2026-01-10,2026-01-10," in deals.read_text()  # a filled cell stays without --update-checked
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "backfill_provenance.py"), str(repo / "data"), "--update-checked"],
        check=True,
        capture_output=True,
        env=env,
    )
    assert "major,,2026-01-10,2026-02-20," in deals.read_text()
