"""Page chrome on a text page: the labels ("Comments", "Share", "Related Articles") that are not
article text, and whether a label ends the article or is only dropped.
"""

from __future__ import annotations

import re

_TERMINAL = re.compile(
    r"hash ?tags?|tags?|topics?|tagged(?: with)?|filed under|categor(?:y|ies)|keywords"
    r"|(?:\d+\s+)?comments?(?:\s*\(\d+\))?|no comments(?: yet)?|be the first to comment"
    r"|(?:leave|post|add|write) a (?:comment|reply)|(?:show|view|load) comments|discussion"
    r"|join the (?:conversation|discussion)"
    r"|related(?: articles?| stories| news| posts| content| coverage| links| reading| topics)?"
    r"|more (?:from|on|in|about) .{1,40}|more (?:stories|news|articles|headlines)"
    r"|(?:you|we think you) (?:may|might|will|could) (?:also )?(?:like|enjoy)(?: this)?"
    r"|also read|read (?:also|next)|up next|what to read next|in other news|don'?t miss"
    r"|recommended(?: for you| articles| stories| reading)?|editor'?s'? picks?"
    r"|trending(?: now| news| stories| topics)?|most (?:read|popular|viewed|shared)"
    r"|popular(?: now| stories| news)?|latest(?: news| stories| articles| headlines)?"
    r"|top (?:stories|news|headlines)|other (?:stories|news|articles)|around the web"
    r"|explore what .{1,40} can do(?: for you)?|try (?:our|the) .{0,30}features?"
    r"|(?:ai|smart) (?:features|summary|tools)"
    r"|(?:sponsored|promoted|partner) (?:stories|content|links)"
    r"|load more|show more|see (?:more|all)|view all",
)
_INLINE = re.compile(
    r"advertisement|ads?|sponsored|promoted|story continues below(?: advertisement)?"
    r"|continue reading(?: below)?|read more(?: here| below)?|read (?:the )?full (?:story|article)"
    r"|share(?: this(?: article| story)?| article| story| on \w+| via \w+)?|tweet|print|e-?mail"
    r"|copy link|copied|save|saved|bookmark|follow(?: us)?|like|reply|report|facebook|twitter|x"
    r"|linkedin|whatsapp|telegram|reddit|pinterest|newsletter|menu|home|search|close"
    r"|(?:sign up|subscribe|register|sign in|log in|login)\b.{0,40}"
    r"|(?:get|receive) (?:our|the) .{1,40} newsletter"
    r"|listen(?: to this (?:article|story))?(?: \d+ min)?|\d+\s*min(?:ute)?s? (?:read|listen)"
    r"|skip to (?:main )?content|back to top|image|photo|video|watch|gallery"
    r"|(?:images?|photos?|videos?|credits?|source|file photo)\s*:.{0,80}|(?:©|copyright).{0,80}"
    r"|all rights reserved.{0,60}|privacy policy|terms (?:of use|of service|and conditions)"
    r"|cookies?(?: settings| policy)?|accept(?: all)?(?: cookies)?|#\S+(?:\s+#\S+)*"
)
_TEASER = re.compile(r"(?:related|read more|also read|read also|see also|watch)\s*:\s.{1,200}")

# Labels that are also real sub-headings ("Discussion", "Latest"): chrome only when no long
# paragraph follows them.
_WEAK_TERMINAL = {"discussion", "latest", "popular", "topics", "topic", "keywords", "background"}


def chrome_kind(line: str) -> str | None:
    """The chrome kind of a line: "terminal" ends the article, "inline" is dropped; else None."""
    label = re.sub(r"\s*\(\d+\)$", "", line.strip().lower()).rstrip(" :.…!>»›→")
    if len(label.split()) <= 8:
        if _TERMINAL.fullmatch(label):
            return "terminal"
        if _INLINE.fullmatch(label):
            return "inline"
    return "inline" if _TEASER.fullmatch(label) else None


def subheading_after_all(lines: list[str], i: int) -> bool:
    """Whether the terminal label at lines[i] is a real sub-heading: a long paragraph follows."""
    label = lines[i].strip().lower().rstrip(" :.")
    return label in _WEAK_TERMINAL and i + 1 < len(lines) and len(lines[i + 1].split()) >= 25
