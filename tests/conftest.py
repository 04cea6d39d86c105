"""Session-wide fixtures. Shared helpers (the corpus, sample stores) live in tests/support/."""
