"""Persistence: SQLAlchemy 2 models, engine/session factory and Alembic migrations.

SQLite file by default (no set-up), PostgreSQL when ``CSGUARD_DATABASE_URL`` says so.
Transactions belong to ``csguard.services``; this package only defines tables and plumbing.
"""
