"""An article: clean text with sentence anchors, sightings, tags, the AI panel, related."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from newsdesk import read
from newsdesk.dates import utcnow
from newsdesk.read import Article, Seen
from newsdesk.related import related_articles
from newsdesk.store import Repo
from newsdesk.web import auth
from newsdesk.web.deps import derived_of, in_store, templates
from newsdesk.web.pages.comments_block import comments_block
from newsdesk.web.personal_marks import read_articles, read_state, remember, save_state
from newsdesk.web.views import sentence_paragraphs

router = APIRouter()


@router.get("/article/{article_id}", response_class=HTMLResponse)
async def article_page(request: Request, article_id: int) -> Response:
    response = await in_store(request, lambda repo: _render(request, repo, article_id))
    user = auth.current_user(request)
    if user is not None and response.status_code == 200:  # opened: read (apps see it too)
        now = utcnow()
        remember(
            request, response, user, lambda r, u: r.mark_articles_read(u.id, [article_id], now)
        )
    return response


def _render(request: Request, repo: Repo, article_id: int) -> Response:
    view = derived_of(request).get(("article", article_id), lambda: read.article(repo, article_id))
    if view.duplicate_of is not None:
        return RedirectResponse(f"/article/{view.duplicate_of}", status_code=301)
    brief = view.brief
    related = derived_of(request).get(
        ("related to article", article_id),
        lambda: related_articles(repo, article_id, utcnow(), brief=brief),
    )
    context: dict[str, object] = {
        "article": view,
        "brief": brief,
        "paragraphs": sentence_paragraphs(view.text, brief.sentences if brief else ()),
        "tags": view.tags,
        "sightings": _also_published(view),
        "story_id": view.story_id,
        "related": related,
    }
    context.update(comments_block(request, repo, "article", article_id))
    context.update(save_state(request, repo, "article", article_id))
    back = f"/story/{view.story_id}" if view.story_id else f"/source/{quote(view.source, safe='')}"
    context.update(read_state(request, article_id, back))
    context["read_ids"] = read_articles(request, repo, [r.article_id for r in related])
    return templates.TemplateResponse(request, "article.html", context)


def _also_published(article: Article) -> list[Seen]:
    """Every other place it was seen: not the article's own source and URL."""
    own = (article.source, article.url)
    return [s for s in article.sightings if (s.source, s.url) != own]
