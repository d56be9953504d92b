"""Test plumbing shared by the suites (importable because pytest puts tests/ on sys.path)."""
