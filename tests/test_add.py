"""The editors' command, python -m alliance.add, on a copy of the shipped data."""

from __future__ import annotations

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
    assert "added 2026-06-20-lambda-amd-chips (deals.csv)" in capsys.readouterr().out
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


def test_new_company(data):
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
    assert run(data, *args, "--company-field", "test-neo", "description_ru", "GPU-облако.") == 0
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
            "meta.json, column covered_through: 2026-06-28 is before the latest deal (2026-07-02)",
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
