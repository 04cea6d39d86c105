"""Feed-reader apps against the real app under uvicorn: real clients, then the web."""
