"""The dataset's column contract and vocabularies: one place, documented in data/README.md."""

from __future__ import annotations

# Company roles, in legend order. Every word shown for a role, a deal type, a qualifier or a
# status is in the catalogs (locales/*.json: role.*, deal_type.*, amount.*, status.*).
ROLES = (
    "investor",
    "model_lab",
    "cloud_provider",
    "neocloud",
    "chipmaker",
    "infrastructure",
    "application",
)

# Deal types, in legend order. `money` says whether from_id pays to_id (used by money-flow analysis).
DEAL_TYPES = {
    "equity_investment": {"money": True},
    "compute_commitment": {"money": True},
    "chip_supply": {"money": True},
    "joint_venture": {"money": True},
    "acquisition": {"money": True},
    "acquihire_licensing": {"money": True},
    "debt_financing": {"money": True},
    "restructuring": {"money": False},
    "model_distribution": {"money": False},
}

QUALIFIERS = ("exact", "up_to", "about", "undisclosed")

# Lifecycle: announced (or reported) -> completed, stalled, cancelled or superseded. A
# `superseded` deal was replaced or expanded by a later row whose `supersedes` names it.
STATUSES = ("announced", "completed", "reported", "stalled", "cancelled", "superseded")
# Statuses whose amount never enters a total: the money did not or will not move as stated.
UNCOUNTED_STATUSES = ("stalled", "cancelled", "superseded")

# What `amount_usd` measures. Only a one-off `flow` is money that reaches `to_id`; blank = flow.
AMOUNT_KINDS = {
    "flow": "one-off payment to the receiving company",
    "per_year": "a yearly figure, not a one-off amount",
    "secondary": "paid to selling shareholders, not to the company",
    "valuation": "the value of a stake or company, not money that moves",
}

# How firm a counted amount is (deals.csv `money_state`): money that moved, signed obligations
# payable later, and promises that depend on something (letters of intent, "up to" amounts above
# a stated firm part, milestones, unconfirmed reports). Ordered from firmest.
MONEY_STATES = ("paid", "contracted", "conditional")

COMPANY_COLUMNS = ("id", "name", "roles", "primary_role", "country", "website", "description", "description_ru")
COMPANY_REQUIRED = ("id", "name", "roles", "primary_role")

DEAL_COLUMNS = (
    "id",
    "date",
    "from_id",
    "to_id",
    "deal_type",
    "amount_usd",
    "amount_qualifier",
    "compute_gw",
    "status",
    "summary",
    "source_url",
    "source_name",
    "second_source_url",
    "group_id",
    "notes",
    "amount_kind",
    "supersedes",
    "source_tier",
    "second_source_tier",
    "added_on",
    "checked_on",
    "summary_ru",
    "money_state",
)
DEAL_REQUIRED = (
    "id",
    "date",
    "from_id",
    "to_id",
    "deal_type",
    "amount_qualifier",
    "status",
    "summary",
    "source_url",
    "source_name",
    "source_tier",
    "added_on",
    "checked_on",
)

# How far a source page can be trusted (data/README.md, "Source standard"). data/source_sites.csv
# gives each site's tier; a row whose tier differs from its site's says why in `notes` ("tier").
SOURCE_TIERS = {
    "primary": "the company's own page, a regulator's or a court's (press release, filing)",
    "major": "a wire service or the national business press (Reuters, Bloomberg, AP, FT, WSJ, CNBC, …)",
    "relay": "a licensed or syndicated copy of a primary or major page that names it (Yahoo, Nasdaq, …)",
    "other": "anything else: blogs, aggregators, rewrites, auto-generated digests",
}
SOUND_TIERS = ("primary", "major", "relay")  # enough for a deal of LARGE_DEAL_USD or more
STRONG_TIERS = ("primary", "major")  # what `sources=strong` keeps (a relay is a copy, not the page)
SOURCE_FILTERS = ("all", "strong")  # values of the `sources` link parameter
LARGE_DEAL_USD = 1e9
WEAK_SOURCE_NOTE = "single weak source"  # in `notes`: no sound page exists for a large deal

# Rules being phased in (issue 18). A rule named here does not refuse the data yet: its offenders
# are listed as warnings (Dataset.pending; `python -m alliance.validate` prints them, `--strict`
# refuses them). To make a rule strict, delete its line.
LENIENT_RULES: frozenset[str] = frozenset()  # rules being phased in report instead of refusing; all strict now
# (a new rule can be phased in by naming it here: "weak_source", "russian_text", "source_sites")

# data/rounds.csv: one row per funding round whose total is known; `id` is the deals' group_id.
ROUND_COLUMNS = (
    "id",
    "company_id",
    "date",
    "total_usd",
    "qualifier",
    "leads",
    "source_url",
    "source_name",
    "second_source_url",
    "notes",
)
ROUND_REQUIRED = ("id", "company_id", "date", "total_usd", "qualifier", "source_url", "source_name")
ROUND_QUALIFIERS = ("exact", "up_to", "about")
