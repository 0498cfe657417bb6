"""Expected answers on tests/fixtures/mini, worked out by hand from its README (never by the code)."""

ALL_MINI = [f"m{i:02d}" for i in range(1, 19)]

# (query, expected ids) worked out by hand from tests/fixtures/mini/README.md.
MINI_CASES = [
    ("", ALL_MINI),
    ("types=chip_supply", ["m05", "m13"]),
    ("types=equity_investment", ["m01", "m04", "m06", "m12", "m14", "m15", "m17", "m18"]),
    ("types=equity_investment,debt_financing", ["m01", "m02", "m04", "m06", "m12", "m14", "m15", "m17", "m18"]),
    ("types=restructuring,model_distribution", ["m09", "m11"]),
    ("types=joint_venture", ["m10"]),
    ("types=acquisition,acquihire_licensing", ["m07", "m08"]),
    ("types=", []),
    # month and day-precise windows; both ends are inclusive, `to=YYYY-MM` runs to the month's last day
    ("to=2023-06", ["m01", "m02", "m03", "m04", "m05"]),
    ("to=2023-06-29", ["m01", "m02", "m03", "m04"]),
    ("to=2023-06-30", ["m01", "m02", "m03", "m04", "m05"]),
    ("to=2023-05", ["m01", "m02", "m03"]),
    ("from=2024-02", ["m08", "m09", "m10", "m11", "m12", "m13", "m14", "m15", "m16", "m17", "m18"]),
    ("from=2024-03", ["m09", "m10", "m11", "m12", "m13", "m14", "m15", "m16", "m17", "m18"]),
    ("from=2024-03-01", ["m09", "m10", "m11", "m12", "m13", "m14", "m15", "m16", "m17", "m18"]),
    ("from=2024-03-02", ["m10", "m11", "m12", "m13", "m14", "m15", "m16", "m17", "m18"]),
    ("from=2025-03-15&to=2025-11-20", ["m14", "m15", "m16", "m17"]),
    ("from=2025-03-16&to=2025-11-19", ["m15", "m16"]),
    ("from=2024-02-29&to=2024-02-29", ["m08"]),
    ("from=2023-07&to=2023-12", ["m06"]),
    # roles: both parties need one of the roles shown (Chip Works stays as a chipmaker or an investor)
    ("roles=investor", ["m05"]),
    ("roles=neocloud,chipmaker", ["m13"]),
    (
        "roles=model_lab,investor",
        ["m01", "m03", "m04", "m05", "m06", "m08", "m09", "m11", "m12", "m14", "m15", "m17", "m18"],
    ),
    ("roles=application", []),
    # minimum amount: undisclosed amounts drop out, the threshold itself is kept
    ("min_amount=1", ["m01", "m02", "m03", "m05", "m06", "m07", "m10", "m12", "m14", "m15", "m16", "m17", "m18"]),
    ("min_amount=1e9", ["m01", "m02", "m03", "m05", "m06", "m10", "m12", "m15", "m16"]),
    ("min_amount=1000000001", ["m02", "m03", "m05", "m06", "m10", "m12", "m15", "m16"]),
    ("min_amount=5e9", ["m03", "m10", "m15", "m16"]),
    ("min_amount=1e13", []),
    ("types=equity_investment&roles=investor,model_lab&from=2024-01&min_amount=1e9", ["m12", "m15"]),
    ("types=chip_supply,compute_commitment&to=2025-01-31", ["m03", "m05", "m13"]),
    # focus, depth, panels, cycles, layout and language only highlight or explain: nothing is removed
    ("focus=dc&depth=2", ALL_MINI),
    ("view=sankey&focus=lab", ALL_MINI),
    ("company=lab", ALL_MINI),
    ("deal=m04&every=1&lang=ru&theme=dark", ALL_MINI),
    ("cycle=cloud~lab", ALL_MINI),
    # a repeated parameter: the last one wins
    ("types=acquisition&types=chip_supply", ["m05", "m13"]),
    # money: completed deals that move money are paid (not m09, m11: no money; not m18: secondary,
    # not m17: cancelled); announced ones are contracted (m05, m10, m12, m13, m16), or conditional
    # when the amount is "up to" (m03, m15)
    ("money=paid", ["m01", "m02", "m04", "m06", "m07", "m08", "m14"]),
    ("money=contracted", ["m01", "m02", "m04", "m05", "m06", "m07", "m08", "m10", "m12", "m13", "m14", "m16"]),
    ("money=all", ALL_MINI),
    ("money=paid&types=equity_investment&from=2024-01", ["m14"]),
]


MINI_CHIP_SUPPLY_CSV = (
    "id,date,from_id,from_name,to_id,to_name,deal_type,deal_type_label,amount_usd,amount_qualifier,"
    "amount_as_stated,compute_gw,status,summary,source_url,source_name,second_source_url,group_id,notes,"
    "amount_kind,counted,supersedes,source_tier,second_source_tier,added_on,checked_on,summary_ru,money_state\r\n"
    "m05,2023-06-30,cloud,Hyper Cloud,chips,Chip Works,chip_supply,Chip supply,4000000000,about,about $4B,,"
    "announced,Hyper Cloud buys about $4B of chips,https://example.com/m05,Example,,,,flow,true,,"
    "major,,2026-01-15,2026-01-15,Hyper Cloud покупает чипы примерно на 4 млрд $,contracted\r\n"
    "m13,2025-01-31,neo,Neo GPU,chips,Chip Works,chip_supply,Chip supply,,undisclosed,undisclosed,,"
    "announced,Neo GPU orders chips from Chip Works,https://example.com/m13,Example,,,,flow,false,,"
    "other,,2026-01-15,2026-01-15,Neo GPU заказывает чипы у Chip Works,contracted\r\n"
)
