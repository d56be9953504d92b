"""Penalties and appeals (禁言与申诉, 差评申诉): one domain area, in the shape every area copies.

Public surface — what code outside this package may import:

* ``service`` — penalty records: create, list (expiring on read), life-cycle events, the
  events a record allows now, tone reports; transactions end here. Next to it, each under
  ~300 lines: ``appeals`` (appeal kits: draft, edit, export), ``continuity_service`` (routing
  to backup seats, checklist, recovery) and ``review_service`` (malicious negative reviews).
* ``schemas`` — the API's request and response bodies.
* ``routes.router`` (``/v1/penalties``; it includes ``review_routes``: ``/v1/reviews``,
  ``/v1/tone-check``) and ``pages.router`` (``/penalties``; it includes ``review_pages``:
  ``/reviews``), mounted by ``csguard.api.routes`` and ``csguard.web``.
* The label tables of ``machine`` and ``reviews`` (Chinese names of states, sources, reasons).

Internals — pure logic, no store and no web framework: ``machine`` (the state machine and its
transitions table), ``clock``, ``continuity``, ``evidence``, ``strategy``, ``drafting`` (with
``templates/``), ``tone``, ``reviews``, ``review_detectors`` and ``documents`` (.docx and
printable HTML export). ``models`` holds the SQLAlchemy rows on the shared ``Base``; only the
services (and ``csguard.store.models``, so that Alembic sees the tables) import it.

Importing this package imports nothing: no FastAPI, no SQLAlchemy.
"""
