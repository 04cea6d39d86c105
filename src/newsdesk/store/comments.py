"""Comments on articles and stories: threaded by parent_id, soft-deleted, hidden by admins."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, insert, select, update
from sqlalchemy.engine import Row

from newsdesk.errors import NotFoundError
from newsdesk.store.account_tables import comments, users
from newsdesk.store.aliases import follow_alias
from newsdesk.store.bound import Bound
from newsdesk.store.schema import articles, stories

KINDS = ("article", "story")


@dataclass(frozen=True)
class Comment:
    id: int
    kind: str
    target_id: int
    user_id: int
    user_name: str
    parent_id: int | None
    body: str  # the Markdown source
    html: str  # the sanitized render
    created_at: datetime
    edited_at: datetime | None
    hidden: bool
    deleted: bool


_COLUMNS = (*comments.c, users.c.name.label("user_name"))


def _comment(row: Row[tuple[object, ...]]) -> Comment:
    return Comment(
        id=row.id,
        kind=row.kind,
        target_id=row.target_id,
        user_id=row.user_id,
        user_name=row.user_name,
        parent_id=row.parent_id,
        body=row.body,
        html=row.html,
        created_at=row.created_at,
        edited_at=row.edited_at,
        hidden=bool(row.hidden),
        deleted=bool(row.deleted),
    )


class CommentRepo(Bound):
    def check_comment_target(self, kind: str, target_id: int) -> None:
        """NotFoundError unless kind is article or story and that article or story exists
        (a story by its id or an alias of it)."""
        if kind == "article":
            found = select(articles.c.id).where(articles.c.id == target_id)
        elif kind == "story":
            current = follow_alias(self._conn, target_id)
            found = select(stories.c.id).where(stories.c.id == current)
        else:
            raise NotFoundError(f"store: comments are on articles or stories, not {kind!r}")
        if self._conn.execute(found).first() is None:
            raise NotFoundError(f"store: no {kind} with id {target_id}")

    def add_comment(
        self,
        kind: str,
        target_id: int,
        user_id: int,
        body: str,
        html: str,
        now: datetime,
        parent_id: int | None = None,
    ) -> int:
        """Store a comment; the target must exist, and a parent must be a comment on the same
        target (NotFoundError)."""
        self.check_comment_target(kind, target_id)
        if parent_id is not None:
            parent = self.get_comment(parent_id)
            if parent.kind != kind or parent.target_id != target_id:
                raise NotFoundError(f"store: no comment {parent_id} on {kind} {target_id}")
        new_id: int = self._conn.execute(
            insert(comments)
            .values(
                kind=kind,
                target_id=target_id,
                user_id=user_id,
                parent_id=parent_id,
                body=body,
                html=html,
                created_at=now,
                hidden=False,
                deleted=False,
            )
            .returning(comments.c.id)
        ).scalar_one()
        return new_id

    def get_comment(self, comment_id: int) -> Comment:
        row = self._conn.execute(
            select(*_COLUMNS)
            .join(users, users.c.id == comments.c.user_id)
            .where(comments.c.id == comment_id)
        ).first()
        if row is None:
            raise NotFoundError(f"store: no comment {comment_id}")
        return _comment(row)

    def comments_on(self, kind: str, target_id: int) -> list[Comment]:
        """Every comment on the target (deleted and hidden ones too), oldest first."""
        rows = self._conn.execute(
            select(*_COLUMNS)
            .join(users, users.c.id == comments.c.user_id)
            .where(comments.c.kind == kind, comments.c.target_id == target_id)
            .order_by(comments.c.created_at, comments.c.id)
        )
        return [_comment(row) for row in rows]

    def edit_comment(self, comment_id: int, body: str, html: str, now: datetime) -> None:
        self._conn.execute(
            update(comments)
            .where(comments.c.id == comment_id)
            .values(body=body, html=html, edited_at=now)
        )

    def delete_comment(self, comment_id: int) -> None:
        """Soft delete: the text goes, the place in the thread stays for its replies."""
        self._conn.execute(
            update(comments)
            .where(comments.c.id == comment_id)
            .values(body="", html="", deleted=True)
        )

    def set_comment_hidden(self, comment_id: int, hidden: bool) -> None:
        self._conn.execute(
            update(comments).where(comments.c.id == comment_id).values(hidden=hidden)
        )

    def comments_since(self, user_id: int, since: datetime) -> int:
        """How many comments the user posted after since (for the rate limit)."""
        return self._conn.execute(
            select(func.count())
            .select_from(comments)
            .where(comments.c.user_id == user_id, comments.c.created_at > since)
        ).scalar_one()
