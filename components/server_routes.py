"""Plain HTTP routes on the Flask server: health check and security headers."""

from __future__ import annotations

from flask import Flask, jsonify

from alliance.atlas import Atlas

from .settings import Settings


def register(server: Flask, atlas: Atlas, settings: Settings) -> None:
    dataset = atlas.dataset

    @server.get("/healthz")
    def healthz():
        return jsonify(status="ok", version=dataset.version, covered_through=dataset.covered_through,
                       compiled_on=dataset.compiled_on, as_of=dataset.as_of,
                       deals=len(dataset.deals), companies=len(dataset.companies),
                       rounds=len(dataset.rounds))

    csp = f"frame-ancestors {' '.join(settings.frame_ancestors)}"

    @server.after_request
    def security_headers(response):
        response.headers["Content-Security-Policy"] = csp
        response.headers.pop("X-Frame-Options", None)  # CSP frame-ancestors is the one rule
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
        return response
