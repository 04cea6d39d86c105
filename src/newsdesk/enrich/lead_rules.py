"""What may never open or stand in a summary: page furniture and sentences that lean on others.

Pattern classes, not strings from one site: bylines, time stamps, photo captions, calls to
action, sub-headings, and sentences that need their predecessor (a leading connective, a
pronoun subject, a lower-case or mid-quote start). A dateline ("LONDON (CNN) --", "PARIS, Jan 3
(Reuters) -") is cut from the front of a sentence rather than dropping the sentence.
"""

from __future__ import annotations

import re

_BYLINE = re.compile(
    r"^(?:by|from|written by|posted by|reporting by|edited by)\s*[.:]?\s+"
    r"(?:[A-Z][\w'’.-]*\.?\s*(?:and\s+|,\s*|&\s*)?){1,8}"
    r"(?:(?:for|in|at)\s+[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)*)?\s*[.|]?\s*$|"
    r"^by\s*\.\s",
    re.IGNORECASE,
)
_CLOCK = r"\d{1,2}(?::|\.)\d{2}\s*(?:[ap]\.?\s?m\.?)?\s*(?:[A-Z]{2,4}\b)?"
_STAMP = re.compile(
    r"\b(?:published|updated|last updated|last modified|first posted|posted|modified)\s*(?:on|at)?"
    r"\s*[:|]|"
    r"^(?:published|updated|last updated|first posted|posted|modified)\b[^.]{0,40}?"
    r"(?:\d{4}|" + _CLOCK + r"|\bago\b)|"
    r"^" + _CLOCK + r"\s*(?:[|,]|$)|"
    r"\b\d{1,2}:\d{2}\s*[ap]\.?\s?m\.?\s*(?:ET|EST|EDT|CT|CST|CDT|PT|PST|PDT|GMT|BST|UTC|CET)\b"
    r"(?!\s+(?:on|in|when|after|before|that)\b)",
    re.IGNORECASE,
)
_CAPTION = re.compile(
    r"\((?:pictured|photo|picture|file photo|image|video|above|below|left|right|centre|center|"
    r"top|bottom|inset)\b[^)]*\)|"
    r",\s*(?:pictured|above|below|left|right|centre|center|top|bottom|inset)\b[^,]{0,40},|"
    r"^(?:pictured|photo|picture|image|file photo|caption|above|below|left|right|top|inset|"
    r"watch|video|gallery|graphic|photos?|see also|related|read more|more)\s*[:|]|"
    r"\b(?:getty images|ap photo|reuters/|afp/|epa/|shutterstock|photograph:|photo credit|"
    r"image credit|credit:|©)|"
    r"\b(?:scroll down|click here|tap here|sign up|subscribe|follow (?:us|him|her|them) on|"
    r"share this|all rights reserved|copyright|this story has been|this article (?:was|has)|"
    r"contributed to this (?:report|story)|an earlier version of this|"
    r"the views expressed|for the latest|newsletter|read the full|see more:)",
    re.IGNORECASE,
)
_DATELINE = re.compile(
    r"^(?:[A-Z][\w.'’-]*(?:[ ,]+(?:[A-Z][\w.'’-]*|\d{1,4})){0,5}[ ,]*)?"
    r"\((?:CNN|AP|AFP|Reuters|Bloomberg|dpa|UPI|EFE|Xinhua|[A-Z][\w ]{1,30})\)\s*(?:[-—–]+\s*)?|"
    r"^[A-Z][A-Z.'’-]+(?:[ ,]+[A-Z][\w.'’-]*){0,4}\s*[-—–]+\s+(?=[A-Z\"“])|"
    r"^(?:[A-Z][a-z]+ \d{1,2}, \d{4}|\d{1,2} [A-Z][a-z]+ \d{4})\s*[.—–-]+\s+"
)
_CONNECTIVE = re.compile(
    r"^(?:but|and|or|nor|so|yet|also|still|however|meanwhile|moreover|furthermore|besides|"
    r"nevertheless|nonetheless|instead|otherwise|thus|therefore|hence|then|later|afterwards|"
    r"additionally|similarly|likewise|indeed|again|even so|as a result|in addition|in turn|"
    r"at the same time|on the other hand|in contrast|by contrast|for (?:its|his|her|their) part|"
    r"that is why|this is why|because|which|while|whereas|although|though)\b",
    re.IGNORECASE,
)
_PRONOUN = re.compile(
    r"^(?:he|she|they|it|his|her|hers|their|theirs|its|him|them|we|us|our|"
    r"(?:this|that|these|those)(?!\s+(?:week|weekend|month|year|summer|winter|spring|fall|autumn|"
    r"morning|afternoon|evening|night|season|time|day|days|weeks|months|years)\b)|"
    r"such|both|neither|either|the latter|the former|the (?:two|three|four) (?:men|women|"
    r"of them)|the same|another|others|the other|the move|the decision|the incident|the comments?|"
    r"the statement|the remarks?)\b(?!['’]s\b)",
    re.IGNORECASE,
)
_ADDED = re.compile(
    r"^[^.,;:]{0,40}?\b(?:added|continued|went on|explained)\s*[:,.]", re.IGNORECASE
)
_WORD = re.compile(r"[A-Za-z][\w'’-]*")
_OPENING_QUOTE = re.compile(r"^[\"“‘'«„]")


def strip_dateline(text: str) -> str:
    """The sentence without a leading dateline; unchanged when none or when nothing is left."""
    m = _DATELINE.match(text)
    if not m:
        return text
    rest = text[m.end() :].lstrip(" -—–.")
    return rest if len(rest.split()) >= 4 else text


def furniture(text: str) -> bool:
    """A byline, time stamp, caption, call to action or sub-heading, not a sentence of the story."""
    body = strip_dateline(text)
    if _BYLINE.match(body) or _STAMP.search(body) or _CAPTION.search(body):
        return True
    words = _WORD.findall(body)
    capitals = sum(w[0].isupper() for w in words)
    # A sub-heading in Title Case: almost every word capitalised and no sentence end.
    return len(words) <= 14 and capitals >= 0.8 * len(words) and not body.rstrip().endswith(".")


def dependent(text: str) -> bool:
    """The sentence needs its predecessor: a connective, a pronoun subject, a mid-thought start."""
    body = strip_dateline(text)
    inner = _OPENING_QUOTE.sub("", body).lstrip()
    if not inner:
        return True
    first = inner[0]
    word = inner.split(maxsplit=1)[0]
    if first.isalpha() and first.islower() and word[1:] == word[1:].lower():
        return True  # mid-thought; "iPhone" or "eBay" is a name
    if first in ",;:)]…-—–" or inner.startswith("..."):
        return True
    if _CONNECTIVE.match(body) or _PRONOUN.match(body) or _ADDED.match(body):
        return True
    # A quote that opens mid-sentence: "...and we will," he said.
    return bool(_OPENING_QUOTE.match(body)) and first.islower()
