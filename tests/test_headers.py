"""Security headers on every page (reliability P21): a nonce CSP, no framing, no sniffing.

The production settings themselves are checked by `make deploy-check` (check --deploy).
"""

import re

from django.test import Client


def test_pages_send_a_nonce_csp_and_safe_headers(cast):
    client = Client()
    client.force_login(cast.officer)
    response = client.get("/units/")
    csp = response["Content-Security-Policy"]
    nonce = re.search(r"'nonce-([^']+)'", csp).group(1)
    assert "script-src 'self' 'nonce-" in csp
    assert "frame-ancestors 'none'" in csp
    assert "object-src 'none'" in csp
    assert "unsafe-inline" not in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    page = response.content.decode()
    # Every script tag carries the nonce; none is inline without it.
    scripts = re.findall(r"<script\b[^>]*>", page)
    assert scripts
    assert all(f'nonce="{nonce}"' in tag for tag in scripts)


def test_no_third_party_origin_in_pages(cast):
    client = Client()
    client.force_login(cast.officer)
    page = client.get("/units/DN-TB-001/").content.decode()
    assert not re.search(r"""(?:src|href)=["']https?://""", page)
