"""Browser tests: the real app under uvicorn, driven by Chromium through Playwright."""
