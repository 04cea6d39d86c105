"""Feed-reader apps' APIs: Google Reader (greader) and Fever (fever), with app passwords.

Both authenticate each request with an app password's digest (a header or the api_key), never
with cookies: their paths skip the session and CSRF middleware (auth.COOKIELESS), and their
answers are private, so the page cache never keeps them. How to connect: docs/reader_apps.md.
"""

from __future__ import annotations

from newsdesk.web.reader_api.fever import router as fever_router
from newsdesk.web.reader_api.greader import router as greader_router

__all__ = ["fever_router", "greader_router"]
