"""The dataset's column contract and vocabularies: one place, documented in data/README.md."""

from __future__ import annotations

ROLES = {
    "investor": "Investor",
    "model_lab": "Model lab",
    "cloud_provider": "Cloud provider",
    "neocloud": "Neocloud / GPU cloud",
    "chipmaker": "Chipmaker",
    "infrastructure": "Data centers & JVs",
    "application": "AI application",
}

# Deal types, in legend order. `money` says whether from_id pays to_id (used by money-flow analysis).
DEAL_TYPES = {
    "equity_investment": {"label": "Equity investment", "money": True},
    "compute_commitment": {"label": "Compute / cloud commitment", "money": True},
    "chip_supply": {"label": "Chip supply", "money": True},
    "joint_venture": {"label": "Joint venture", "money": True},
    "acquisition": {"label": "Acquisition", "money": True},
    "acquihire_licensing": {"label": "Acqui-hire / licensing", "money": True},
    "debt_financing": {"label": "Debt financing", "money": True},
    "restructuring": {"label": "Restructuring", "money": False},
    "model_distribution": {"label": "Model distribution", "money": False},
}

QUALIFIERS = {
    "exact": "",
    "up_to": "up to ",
    "about": "about ",
    "undisclosed": "",
}

STATUSES = ("announced", "completed", "reported", "stalled", "cancelled")

COMPANY_COLUMNS = ("id", "name", "roles", "primary_role", "country", "website", "description")
COMPANY_REQUIRED = ("id", "name", "roles", "primary_role")

DEAL_COLUMNS = (
    "id", "date", "from_id", "to_id", "deal_type", "amount_usd", "amount_qualifier",
    "compute_gw", "status", "summary", "source_url", "source_name",
    "second_source_url", "group_id", "notes",
)
DEAL_REQUIRED = (
    "id", "date", "from_id", "to_id", "deal_type", "amount_qualifier", "status",
    "summary", "source_url", "source_name",
)
