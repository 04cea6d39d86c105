"""The store's guard on ids: a number its columns cannot hold names nothing, on either database,
and the transaction it was asked in goes on (PostgreSQL never sees the statement)."""

from __future__ import annotations

import pytest

from newsdesk.errors import NotFoundError
from newsdesk.store import Store
from newsdesk.store.id_range import describe, first_beyond
from support.store import ArticleFactory


def test_out_of_range_ids_are_not_found_and_the_transaction_goes_on(
    store: Store, make_article: ArticleFactory
) -> None:
    largest = 2**31 - 1 if store.dialect == "postgresql" else 2**63 - 1
    with store.transaction() as repo:
        kept = repo.insert_article(make_article())
        for n in (largest + 1, -largest - 2, 10**40):
            with pytest.raises(NotFoundError, match="no id"):
                repo.get_article(n)
            with pytest.raises(NotFoundError):
                repo.get_articles([kept, n])
        assert repo.get_article(kept).id == kept  # still usable after the refusals


def test_parameters_of_every_shape_are_checked() -> None:
    assert first_beyond({"a": 1, "b": 2**40}, 2**31 - 1) == 2**40
    assert first_beyond([(1, "x"), (2, 2**40)], 2**31 - 1) == 2**40  # executemany
    assert first_beyond((1, True, "9" * 50, None), 2**31 - 1) is None
    assert describe(10**40) == "<30+ digits>"
