"""The HTTP API (FastAPI, versioned under ``/v1``). Build it with ``create_app()``."""
