"""The web product: pages (Jinja2 + htmx), accounts and comments, the JSON API and Atom."""
