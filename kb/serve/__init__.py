"""``kb serve``: a local, read-only web application over a kb database.

Search statements and list events with facets, open a statement or event in its
article, an actor's page, an article with its facts marked, the live timeline and graph
of any view, downloads of a view as CSV or JSON, and a JSON API under /api. Routes call
the :class:`kb.store.Store` and kb's own functions; there is no SQL here.
"""

from kb.serve.app import create_app, serve

__all__ = ["create_app", "serve"]
