"""AI Alliance Map's domain code: load, validate, filter, lay out and analyse the deals. No Dash here."""
