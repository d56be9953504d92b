"""The service layer: every read and write of the web and API layers goes through here.

Functions take a ``Session`` plus the caller's shop id and commit (or roll back) at their
own boundary, so a request never sees half a change. Every query filters by shop id:
another shop's rows are unreachable by construction, not by checks in the handlers.
"""
