"""Digests: each reader's top stories of what they follow, daily or weekly, as a private Atom
feed (a secret link) and by e-mail.

    tokens    the private feed link and the unsubscribe link (only their SHA-256 is stored)
    content   which stories a digest holds, and whose digest is due
    message   the e-mail: plain text and HTML, List-Unsubscribe
    mail      the SMTP connection from the settings
    send      send what is due, one reader's failure reported and the others sent

What a reader follows is matched by newsdesk.read.for_you, the same as /for-you.
"""
