"""The editors' command, python -m alliance.add, on a copy of the shipped data."""

from __future__ import annotations

import csv
import datetime as dt
import json
import shutil

import pytest

from alliance import add
from alliance.dataset import DEFAULT_DATA_DIR, load_dataset

TODAY = "2026-12-04"


@pytest.fixture
def data(tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA_DIR, folder)
    return folder


def snapshot(folder) -> dict:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def run(folder, *args) -> int:
    return add.main([str(folder), "--today", TODAY, *args])


BASE = [
    "--date",
    "2026-06-20",
    "--from",
    "lambda",
    "--to",
    "amd",
    "--type",
    "chip_supply",
    "--amount",
    "500M",
    "--qualifier",
    "exact",
    "--source-url",
    "https://www.amd.com/en/newsroom/press-releases/test.html",
    "--source-name",
    "AMD (company announcement)",
    "--source-tier",
    "primary",
    "--summary",
    "Lambda buys $500M of AMD Instinct GPUs",
    "--summary-ru",
    "Lambda покупает GPU AMD Instinct на 500 млн $",
]


def test_add_appends_one_row_and_leaves_every_other_byte(data, capsys):
    before = snapshot(data)
    assert run(data, *BASE) == 0
    after = snapshot(data)
    assert set(after) == set(before)  # no temp file left behind
    assert {n for n in before if before[n] != after[n]} == {"deals.csv"}
    assert after["deals.csv"].startswith(before["deals.csv"])
    assert after["deals.csv"][len(before["deals.csv"]) :].decode() == (
        "2026-06-20-lambda-amd-chips,2026-06-20,lambda,amd,chip_supply,500000000,exact,,announced,"
        "Lambda buys $500M of AMD Instinct GPUs,https://www.amd.com/en/newsroom/press-releases/test.html,"
        "AMD (company announcement),,,,,,primary,,2026-12-04,2026-12-04,Lambda покупает GPU AMD Instinct на "
        "500 млн $,contracted\n"
    )  # state implied: a signed chip purchase
    assert capsys.readouterr().out == (
        "added 2026-06-20-lambda-amd-chips (deals.csv): lambda -> amd, chip_supply, 500000000 (exact), 2026-06-20\n"
        f"Review the change with: git diff -- {data}\n"
    )
    assert "2026-06-20-lambda-amd-chips" in set(load_dataset(data).deals["id"])


def test_the_id_gets_a_suffix_when_its_stem_is_taken():
    taken = {"2026-06-20-lambda-amd-chips", "2026-06-20-lambda-amd-chips-2"}
    assert add.deal_id("2026-06-20", "lambda", "amd", "chip_supply", taken) == "2026-06-20-lambda-amd-chips-3"
    assert add.deal_id("2026-06-20", "a", "b", "acquihire_licensing", set()) == "2026-06-20-a-b-licensing"


DUPLICATE = [
    "--date",
    "2025-11-20",
    "--from",
    "amazon",
    "--to",
    "openai",
    "--type",
    "compute_commitment",
    "--amount",
    "40B",
    "--qualifier",
    "exact",
    "--source-url",
    "https://www.reuters.com/technology/test",
    "--source-name",
    "Reuters",
    "--source-tier",
    "major",
    "--summary",
    "A second look at the AWS deal",
    "--summary-ru",
    "Второй взгляд на сделку с AWS",
]


def test_a_probable_duplicate_is_refused_naming_the_existing_row(data, capsys):
    before = snapshot(data)
    assert run(data, *DUPLICATE) == 1
    err = capsys.readouterr().err
    assert "not added" in err
    assert (
        "probable duplicate of 2025-11-03-openai-amazon-compute (2025-11-03, openai -> amazon, 38000000000): "
        "same two companies within 45 days and a similar amount"
    ) in err
    assert snapshot(data) == before


def test_force_adds_it_and_the_note_records_it(data):
    args = [a if a != "2025-11-20" else "2025-12-01" for a in DUPLICATE]  # another month: the validator's own rule
    assert run(data, *args, "--force") == 0
    row = load_dataset(data).deals.set_index("id").loc["2025-12-01-amazon-openai-compute"]
    assert row["notes"] == (
        "Added with --force: not a duplicate of 2025-11-03-openai-amazon-compute (checked by the editor on 2026-12-04)."
    )


@pytest.mark.parametrize(
    "amount, other, similar",
    [
        ("40B", "38000000000", True),
        ("30B", "40000000000", True),
        ("29B", "40000000000", False),
        ("", "38000000000", True),
    ],
)
def test_similar_amounts(amount, other, similar):
    assert add.similar_amounts(add.parse_amount(amount), other) is similar


def test_a_far_date_or_another_amount_is_not_a_duplicate():
    rows = [{"id": "x", "date": "2025-11-03", "from_id": "a", "to_id": "b", "amount_usd": "38000000000"}]
    new = {"date": "2025-12-19", "from_id": "b", "to_id": "a", "amount_usd": "38000000000"}  # 46 days
    assert add.probable_duplicates(rows, new) == []
    assert add.probable_duplicates(rows, {**new, "date": "2025-12-18"}) == rows  # 45 days
    assert add.probable_duplicates(rows, {**new, "date": "2025-11-04", "amount_usd": "1000000000"}) == []


def test_new_company(data, capsys):
    before = snapshot(data)
    args = [
        "--date",
        "2026-06-10",
        "--from",
        "test-neo",
        "--to",
        "nvidia",
        "--type",
        "chip_supply",
        "--qualifier",
        "undisclosed",
        "--source-url",
        "https://nvidianews.nvidia.com/news/test",
        "--source-name",
        "Nvidia (company announcement)",
        "--source-tier",
        "primary",
        "--summary",
        "Test Neo orders Nvidia GPUs",
        "--summary-ru",
        "Test Neo заказывает GPU Nvidia",
        "--new-company",
        "test-neo",
        "Test Neo",
        "neocloud;investor",
        "--company-field",
        "test-neo",
        "country",
        "Norway",
        "--company-field",
        "test-neo",
        "description",
        "A GPU cloud.",
    ]
    assert run(data, *args) == 1  # a description without its Russian text
    assert snapshot(data) == before
    assert capsys.readouterr().err == (
        f"not added, {data} unchanged:\ncompanies.csv row 102, column description_ru: Russian text missing: "
        "translate description (names and figures kept exactly)\n"
    )  # a companies.csv cell: no option named after it
    assert run(data, *args, "--company-field", "test-neo", "description_ru", "GPU-облако.") == 0
    assert capsys.readouterr().out == (
        "added 2026-06-10-test-neo-nvidia-chips (deals.csv): test-neo -> nvidia, chip_supply, undisclosed "
        "(undisclosed), 2026-06-10\n"
        "added company test-neo (companies.csv): Test Neo, neocloud;investor\n"
        f"Review the change with: git diff -- {data}\n"
    )
    after = snapshot(data)
    assert after["companies.csv"][len(before["companies.csv"]) :].decode() == (
        "test-neo,Test Neo,neocloud;investor,neocloud,Norway,,A GPU cloud.,GPU-облако.\n"
    )
    assert load_dataset(data).companies.at["test-neo", "role_list"] == ["neocloud", "investor"]


@pytest.mark.parametrize(
    "change, message",
    [
        ({"--type": "gift"}, "--type: unknown deal type 'gift'"),
        ({"--from": "nobody"}, "--from: unknown company 'nobody'; add it with --new-company nobody"),
        ({"--date": "2026-02-30"}, "column date: '2026-02-30' is not a date in YYYY-MM-DD form (--date)"),
        ({"--amount": "lots"}, "--amount: 'lots' is not an amount"),
        ({"--summary-ru": "Lambda buys GPUs"}, "column summary_ru: holds no Cyrillic letter"),
        ({"--source-tier": "major"}, "'major', but source_sites.csv rates amd.com 'primary'"),
        ({"--source-url": "https://someblog.example/x"}, "site 'someblog.example' is not in source_sites.csv"),
        (
            {"--amount": "5B", "--source-tier": "other", "--source-url": "https://americanfaith.com/x"},
            "a deal of $1B or more needs a primary, major or relay page",
        ),
        (
            {"--date": "2026-07-02"},
            "meta.json, column covered_through: 2026-06-28 is before the latest deal (2026-07-02); it must reach "
            "at least that day",
        ),
    ],
)
def test_an_error_leaves_every_file_byte_identical(data, capsys, change, message):
    before = snapshot(data)
    args = list(BASE)
    for option, value in change.items():
        args[args.index(option) + 1] = value
    assert run(data, *args) == 1
    err = capsys.readouterr().err
    assert f"not added, {data} unchanged" in err and message in err
    assert snapshot(data) == before


def test_covered_through_moves_only_when_asked(data):
    args = [a if a != "2026-06-20" else "2026-07-02" for a in BASE]
    compiled_on = json.loads((data / "meta.json").read_text())["compiled_on"]
    assert run(data, *args, "--covered-through", "2026-07-03") == 0
    meta = json.loads((data / "meta.json").read_text())
    assert meta == {"covered_through": "2026-07-03", "compiled_on": compiled_on}
    other = [a if a != "amd" else "nvidia" for a in BASE]
    assert run(data, *other) == 0  # an older deal: meta.json stays
    assert json.loads((data / "meta.json").read_text()) == meta


@pytest.mark.parametrize(
    "text, usd",
    [("10B", "10000000000"), ("$1.5B", "1500000000"), ("650m", "650000000"), ("1,200,000", "1200000"), ("", "")],
)
def test_parse_amount(text, usd):
    assert add.parse_amount(text) == usd


def test_parse_amount_refuses_fractions_of_a_dollar():
    with pytest.raises(add.AddError, match="whole number"):
        add.parse_amount("1.5")


def test_a_row_without_summary_ru_is_refused(data, capsys):
    before = snapshot(data)
    with pytest.raises(SystemExit) as stop:
        run(data, *BASE[: BASE.index("--summary-ru")])
    assert stop.value.code == 2 and "the following arguments are required: --summary-ru" in capsys.readouterr().err
    assert snapshot(data) == before


def test_a_new_large_deal_with_the_weak_source_note_is_accepted(data):
    args = list(BASE)
    for option, value in {
        "--amount": "5B",
        "--source-tier": "other",
        "--source-url": "https://americanfaith.com/x",
    }.items():
        args[args.index(option) + 1] = value
    assert run(data, *args, "--notes", "Single weak source: no wire or company page found.") == 0


# --- session 6: the survivors of the full mutation run (tests/MUTATION.md) ---

HELP = """\
usage: python -m alliance.add [-h] --date DATE --from FROM_ID --to TO_ID --type TYPE --qualifier
                              QUALIFIER --source-url SOURCE_URL --source-name SOURCE_NAME
                              --source-tier SOURCE_TIER --summary SUMMARY --summary-ru SUMMARY_RU
                              [--amount AMOUNT] [--status STATUS] [--compute-gw COMPUTE_GW]
                              [--second-source-url SECOND_SOURCE_URL]
                              [--second-source-tier SECOND_SOURCE_TIER] [--group-id GROUP_ID]
                              [--notes NOTES] [--amount-kind AMOUNT_KIND]
                              [--supersedes SUPERSEDES] [--checked-on CHECKED_ON]
                              [--money-state MONEY_STATE] [--new-company ID NAME ROLES]
                              [--company-field ID FIELD VALUE] [--force]
                              [--covered-through COVERED_THROUGH]
                              DATA_DIR

`python -m alliance.add DATA_DIR --date … --from … --to … --type … …`: append one validated deal.

positional arguments:
  DATA_DIR              the dataset folder (data/: deals.csv, companies.csv, …)

options:
  -h, --help            show this help message and exit

the deal (required):
  --date DATE           announcement date, YYYY-MM-DD
  --from FROM_ID        company id the money comes from
  --to TO_ID            company id the money goes to
  --type TYPE           deal type: equity_investment, compute_commitment, chip_supply,
                        joint_venture, acquisition, acquihire_licensing, debt_financing,
                        restructuring, model_distribution
  --qualifier QUALIFIER
                        exact, up_to, about or undisclosed
  --source-url SOURCE_URL
  --source-name SOURCE_NAME
  --source-tier SOURCE_TIER
                        primary, major, relay or other
  --summary SUMMARY     one sentence, in the source's terms
  --summary-ru SUMMARY_RU
                        the summary in Russian (names and figures kept)

optional columns:
  --amount AMOUNT       USD: 10000000000, 10B, 650M, $1.5B (blank if undisclosed)
  --status STATUS
  --compute-gw COMPUTE_GW
  --second-source-url SECOND_SOURCE_URL
  --second-source-tier SECOND_SOURCE_TIER
  --group-id GROUP_ID
  --notes NOTES
  --amount-kind AMOUNT_KIND
  --supersedes SUPERSEDES
  --checked-on CHECKED_ON
                        when the pages were read (default: today)
  --money-state MONEY_STATE
                        paid, contracted or conditional (default: what status, type and wording
                        imply; blank where the amount cannot count)

control:
  --new-company ID NAME ROLES
                        add an unknown company; ROLES ;-separated, the first is the primary role
  --company-field ID FIELD VALUE
                        a new company's primary_role, country, website, description,
                        description_ru
  --force               add a probable duplicate anyway (recorded in notes)
  --covered-through COVERED_THROUGH
                        move meta.json's covered_through to this day
"""


def test_help_shows_each_option_with_its_words(monkeypatch, capsys):
    """What an editor reads: the groups, metavars and help words; --today (for tests) stays hidden."""
    monkeypatch.setenv("COLUMNS", "100")
    with pytest.raises(SystemExit) as stop:
        add.main(["--help"])
    assert stop.value.code == 0
    assert capsys.readouterr().out == HELP


def test_every_deal_option_is_required(data, capsys):
    before = snapshot(data)
    with pytest.raises(SystemExit) as stop:
        add.main([str(data)])
    assert stop.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        "python -m alliance.add: error: the following arguments are required: --date, --from, --to, --type, "
        "--qualifier, --source-url, --source-name, --source-tier, --summary, --summary-ru"
    )
    assert snapshot(data) == before


def test_every_optional_column_goes_to_its_own_cell():
    extra = {
        "--status": "completed",
        "--compute-gw": "1.5",
        "--second-source-url": "https://www.reuters.com/technology/second",
        "--second-source-tier": "major",
        "--group-id": "lambda-amd-2026",
        "--notes": "A note.",
        "--amount-kind": "per_year",
        "--supersedes": "2026-01-01-lambda-amd-chips",
        "--checked-on": "2026-11-30",
        "--money-state": "conditional",  # given: kept, though per_year alone would leave it blank
    }
    args = add.parser().parse_args(["data", *BASE, *[x for pair in extra.items() for x in pair]])
    addition = add.plan_addition(args, [], [{"id": "lambda"}, {"id": "amd"}], dt.date(2026, 12, 4))
    assert addition == add.Addition(
        row={
            "id": "2026-06-20-lambda-amd-chips",
            "date": "2026-06-20",
            "from_id": "lambda",
            "to_id": "amd",
            "deal_type": "chip_supply",
            "amount_usd": "500000000",
            "amount_qualifier": "exact",
            "compute_gw": "1.5",
            "status": "completed",
            "summary": "Lambda buys $500M of AMD Instinct GPUs",
            "source_url": "https://www.amd.com/en/newsroom/press-releases/test.html",
            "source_name": "AMD (company announcement)",
            "second_source_url": "https://www.reuters.com/technology/second",
            "group_id": "lambda-amd-2026",
            "notes": "A note.",
            "amount_kind": "per_year",
            "supersedes": "2026-01-01-lambda-amd-chips",
            "source_tier": "primary",
            "second_source_tier": "major",
            "added_on": "2026-12-04",
            "checked_on": "2026-11-30",
            "summary_ru": "Lambda покупает GPU AMD Instinct на 500 млн $",
            "money_state": "conditional",
        },
        companies=[],
        covered_through=None,
        duplicates=[],
    )


def refused(data, capsys, *args) -> str:
    """Run the command expecting a refusal, every file left byte-identical; the message after its first line."""
    before = snapshot(data)
    assert run(data, *args) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith(f"not added, {data} unchanged:\n")
    assert snapshot(data) == before
    return err.split("\n", 1)[1]


def with_options(args, **changes) -> list[str]:
    args = list(args)
    for option, value in changes.items():
        args[args.index("--" + option.rstrip("_").replace("_", "-")) + 1] = value  # from_: --from
    return args


NEO = ["--new-company", "test-neo", "Test Neo", "neocloud"]


@pytest.mark.parametrize(
    "args, message",
    [
        (
            with_options(BASE, to="nobody"),
            "--to: unknown company 'nobody'; add it with --new-company nobody \"Name\" ROLES",
        ),
        (
            with_options(BASE, type="gift"),
            "--type: unknown deal type 'gift' (known: equity_investment, compute_commitment, chip_supply, "
            "joint_venture, acquisition, acquihire_licensing, debt_financing, restructuring, model_distribution)",
        ),
        (
            [*BASE, "--new-company", "amd", "AMD", "chips"],
            "--new-company: 'amd' is already in companies.csv; leave --new-company out",
        ),
        (
            [*BASE, "--company-field", "lambda", "country", "US"],
            "--company-field: 'lambda' is not a company given with --new-company",
        ),
        (
            [*BASE, *NEO, "--company-field", "test-neo", "ceo", "Someone"],
            "--company-field: 'ceo' is not one of primary_role, country, website, description, description_ru",
        ),
        (
            [*BASE, "--covered-through", "2026-13-01"],
            "--covered-through: '2026-13-01' is not a date in YYYY-MM-DD form",
        ),
        (
            with_options(BASE, date="2026-07-02"),
            "meta.json, column covered_through: 2026-06-28 is before the latest deal (2026-07-02); it must reach "
            "at least that day",
        ),
        (
            with_options(BASE, date="2020-10-01", from_="microsoft", to="openai", type="equity_investment"),
            "probable duplicate of 2020-09-22-microsoft-openai-licensing (2020-09-22, microsoft -> openai, "
            "undisclosed): same two companies within 45 days and a similar amount. Check it is a different deal; if "
            "so, add it again with --force",
        ),
        (  # the validator's problems, one a line; a deals.csv cell names its option
            with_options(BASE, date="2026-12-05"),
            "deals.csv row 276, column date: 2026-12-05 is in the future (today is 2026-12-04) (--date)\n"
            "meta.json, column covered_through: 2026-06-28 is before the latest deal (2026-12-05); it must reach at "
            "least that day",
        ),
        (  # --force passes the command's own check, not the validator's (no cell: no option)
            [*with_options(DUPLICATE, from_="openai", to="amazon"), "--force"],
            "deals.csv row 276: likely duplicate of row 193: same parties, type and month (openai -> amazon, "
            "compute_commitment, 2025-11); if both are real, give them different group_ids, or one group_id and "
            "different amounts (tranches)",
        ),
    ],
)
def test_each_refusal_says_exactly_why(data, capsys, args, message):
    assert refused(data, capsys, *args) == message + "\n"


def test_empty_roles_are_refused_by_the_rules_not_a_crash(data, capsys):
    args = [*with_options(BASE, from_="test-neo"), "--new-company", "test-neo", "Test Neo", " ; "]
    assert refused(data, capsys, *args) == (
        "companies.csv row 102, column roles: required value is empty\n"
        "companies.csv row 102, column primary_role: required value is empty\n"
    )


@pytest.mark.parametrize("remove", ["deals.csv", "companies.csv"])
def test_a_folder_without_the_data_files_is_refused(data, capsys, remove):
    (data / remove).unlink()
    assert refused(data, capsys, *BASE) == f"{data} holds no deals.csv and companies.csv\n"


def test_data_files_without_the_provenance_columns_are_refused(data, capsys):
    header = (data / "deals.csv").read_text(encoding="utf-8").split("\n", 1)[0]
    (data / "deals.csv").write_text(header.replace(",added_on,checked_on", "") + "\n", encoding="utf-8")
    assert refused(data, capsys, *BASE) == (
        "the data files lack columns added_on, checked_on: run scripts/backfill_provenance.py first\n"
    )


def test_a_broken_meta_json_is_refused_before_anything_else(data, capsys):
    (data / "meta.json").write_text("{", encoding="utf-8")
    assert (
        refused(data, capsys, *BASE) == "Expecting property name enclosed in double quotes: line 1 column 2 (char 1)\n"
    )


def test_a_deals_csv_without_its_last_newline_gets_one_before_the_new_row(data):
    text = (data / "deals.csv").read_text(encoding="utf-8")
    (data / "deals.csv").write_bytes(text.rstrip("\n").encode())
    assert run(data, *BASE) == 0
    added = (data / "deals.csv").read_text(encoding="utf-8")[len(text) :]
    assert added.startswith("2026-06-20-lambda-amd-chips,2026-06-20,lambda,amd,chip_supply,500000000,")
    assert (data / "deals.csv").read_text(encoding="utf-8")[: len(text)] == text


def test_two_probable_duplicates_are_named_one_a_line_and_force_records_both(data, capsys):
    first = with_options(DUPLICATE, date="2025-12-01")
    assert run(data, *first, "--force") == 0
    capsys.readouterr()
    second = with_options(DUPLICATE, date="2025-10-20")  # 14 days before one, 42 before the other
    tail = (
        "same two companies within 45 days and a similar amount. Check it is a different deal; if so, add it again "
        "with --force\n"
    )
    assert refused(data, capsys, *second) == (
        "probable duplicate of 2025-11-03-openai-amazon-compute (2025-11-03, openai -> amazon, 38000000000): "
        + tail
        + "probable duplicate of 2025-12-01-amazon-openai-compute (2025-12-01, amazon -> openai, 40000000000): "
        + tail
    )
    assert run(data, *second, "--force") == 0
    assert capsys.readouterr().out == (
        "added 2025-10-20-amazon-openai-compute (deals.csv): amazon -> openai, compute_commitment, 40000000000 "
        "(exact), 2025-10-20\n"
        "--force: recorded in notes that it is not 2025-11-03-openai-amazon-compute, 2025-12-01-amazon-openai-compute\n"
        f"Review the change with: git diff -- {data}\n"
    )
    row = load_dataset(data).deals.set_index("id").loc["2025-10-20-amazon-openai-compute"]
    assert row["notes"] == (
        "Added with --force: not a duplicate of 2025-11-03-openai-amazon-compute, 2025-12-01-amazon-openai-compute "
        "(checked by the editor on 2026-12-04)."
    )


@pytest.mark.parametrize(
    "compiled_on, after",
    [
        ("2026-07-01", "2026-12-04"),  # compiled before the new covered_through: compiled today
        ("2026-07-03", "2026-07-03"),  # compiled on that day: stays
        (None, "2026-12-04"),  # no compiled_on yet: compiled today
    ],
)
def test_covered_through_moves_compiled_on_only_when_it_was_earlier(data, capsys, compiled_on, after):
    compiled = "" if compiled_on is None else f', "compiled_on": "{compiled_on}"'
    (data / "meta.json").write_text(f'{{"covered_through": "2026-06-28"{compiled}}}\n')
    assert run(data, *with_options(BASE, date="2026-07-02"), "--covered-through", "2026-07-03") == 0
    assert (data / "meta.json").read_text() == f'{{"covered_through": "2026-07-03", "compiled_on": "{after}"}}\n'
    assert capsys.readouterr().out == (
        "added 2026-07-02-lambda-amd-chips (deals.csv): lambda -> amd, chip_supply, 500000000 (exact), 2026-07-02\n"
        "covered_through is now 2026-07-03 (meta.json)\n"
        f"Review the change with: git diff -- {data}\n"
    )


def appended_row(data, before: dict) -> list[str]:
    return next(csv.reader([(data / "deals.csv").read_bytes()[len(before["deals.csv"]) :].decode()]))


def test_without_today_the_row_is_dated_today(data):
    before = snapshot(data)
    assert add.main([str(data), *BASE]) == 0
    cells = appended_row(data, before)
    assert cells[19:21] == [dt.date.today().isoformat()] * 2  # added_on, checked_on


def test_today_is_the_day_the_rules_check_against(data):
    """A --today later than the clock: its rows are not 'in the future' (the validator is told that day)."""
    before = snapshot(data)
    assert add.main([str(data), "--today", "2031-05-06", *BASE]) == 0
    assert appended_row(data, before)[19:21] == ["2031-05-06", "2031-05-06"]


def test_the_files_are_replaced_from_a_hidden_folder_inside_the_data_folder(data, monkeypatch):
    """Same filesystem, so each os.replace is an atomic rename; a folder left by a killed run is hidden."""
    moves = []
    real = add.os.replace

    def spy(src, dst):
        moves.append((src.parent.parent, src.parent.name[:5], src.name, dst))
        real(src, dst)

    monkeypatch.setattr(add.os, "replace", spy)
    assert run(data, *BASE) == 0
    assert moves == [(data, ".add-", "deals.csv", data / "deals.csv")]


def test_deal_id_takes_the_first_free_suffix_and_falls_back_to_the_type_name():
    assert add.deal_id("2026-06-20", "a", "b", "chip_supply", {"2026-06-20-a-b-chips"}) == "2026-06-20-a-b-chips-2"
    assert add.deal_id("2026-06-20", "a", "b", "new_kind", set()) == "2026-06-20-a-b-new_kind"


def test_a_row_with_a_bad_date_does_not_hide_the_rows_after_it():
    rows = [
        {"id": "bad", "date": "2025-13-01", "from_id": "a", "to_id": "b", "amount_usd": ""},
        {"id": "x", "date": "2025-11-03", "from_id": "a", "to_id": "b", "amount_usd": "38000000000"},
    ]
    new = {"date": "2025-11-10", "from_id": "b", "to_id": "a", "amount_usd": "40000000000"}
    assert add.probable_duplicates(rows, new) == rows[1:]


def edit_cell(path, line: int, column: str, value: str) -> None:
    """Set one cell of a data CSV (line as the validator counts, the header being 1)."""
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
        header = list(rows[0])
    rows[line - 2][column] = value
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


PHASED_IN = frozenset({"russian_text"})  # as when a rule is being phased in (data/README.md)


def test_a_phased_in_rule_only_warns_about_other_rows(data, capsys, monkeypatch):
    monkeypatch.setattr(add, "LENIENT_RULES", PHASED_IN)
    edit_cell(data / "deals.csv", 200, "summary_ru", "")  # a deal's Russian summary missing
    edit_cell(data / "companies.csv", 101, "description_ru", "")  # the last company's Russian description missing
    assert run(data, *BASE) == 0
    assert capsys.readouterr().out == (
        "added 2026-06-20-lambda-amd-chips (deals.csv): lambda -> amd, chip_supply, 500000000 (exact), 2026-06-20\n"
        "(2 warnings on other rows remain: python -m alliance.validate lists them)\n"
        f"Review the change with: git diff -- {data}\n"
    )


@pytest.mark.parametrize(
    "args, message",
    [
        (
            with_options(BASE, summary_ru=""),
            "deals.csv row 276, column summary_ru: Russian text missing: translate summary (names and figures kept "
            "exactly) (--summary-ru)",
        ),
        (
            [*BASE, *NEO, "--company-field", "test-neo", "description", "A GPU cloud."],
            "companies.csv row 102, column description_ru: Russian text missing: translate description (names and "
            "figures kept exactly)",
        ),
        (
            [*with_options(BASE, summary_ru=""), *NEO, "--company-field", "test-neo", "description", "A GPU cloud."],
            "companies.csv row 102, column description_ru: Russian text missing: translate description (names and "
            "figures kept exactly)\n"
            "deals.csv row 276, column summary_ru: Russian text missing: translate summary (names and figures kept "
            "exactly) (--summary-ru)",
        ),
    ],
)
def test_a_phased_in_rule_is_strict_for_the_rows_the_command_adds(data, capsys, monkeypatch, args, message):
    monkeypatch.setattr(add, "LENIENT_RULES", PHASED_IN)
    assert refused(data, capsys, *args) == message + "\n"
