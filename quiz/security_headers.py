"""Headers that tell browsers what the pages may do: load scripts and styles from this
site only, never be framed, never be sniffed as another type, leak no URL to other sites.

The pages have no inline script and no style attribute (bars are ``<svg>`` sized by
their width attribute), so the policy needs neither ``'unsafe-inline'`` nor nonces.
JSON data blocks (``<script type="application/json">``) are data, which CSP lets be.
"""

from __future__ import annotations

from flask import Flask, Response

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    # For browsers older than CSP's frame-ancestors.
    "X-Frame-Options": "DENY",
    # Quiz and attempt URLs stay here; a source link opened elsewhere learns nothing.
    "Referrer-Policy": "same-origin",
}


def init_security_headers(app: Flask) -> None:
    """Add the security headers to every response of ``app`` that does not set its own."""

    @app.after_request
    def add_security_headers(response: Response) -> Response:
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response
