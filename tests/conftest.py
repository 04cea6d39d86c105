"""Session-wide fixtures. Shared helpers (the corpus, sample stores) live in tests/support/."""

from __future__ import annotations

import os
import tempfile


def pytest_configure(config: object) -> None:
    # Hypothesis keeps its caches in ./.hypothesis unless told otherwise: the test runs
    # (fuzzing, schemathesis) leave the checkout as they found it.
    os.environ.setdefault(
        "HYPOTHESIS_STORAGE_DIRECTORY", tempfile.mkdtemp(prefix="newsdesk-hypothesis-")
    )
