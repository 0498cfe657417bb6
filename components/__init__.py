"""Dash pieces: each module turns the pure results of `alliance` into layout and callbacks."""
