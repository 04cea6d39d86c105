"""What the browser tests know of the site their fixture serves."""

from __future__ import annotations

from dataclasses import dataclass

# Script in every field a page may show: none of it may ever run (window.__xss stays unset).
XSS = '<script>window.__xss=1</script><img src=x onerror="window.__xss=1">'
XSS_LINK = "javascript:window.__xss=1"


@dataclass(frozen=True)
class Site:
    base_url: str
    hostile_id: int
    user: str
    password: str
    admin: str  # an admin account with the same password
