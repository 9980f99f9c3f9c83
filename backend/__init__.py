"""Labour inspection service: FastAPI application, domains, migrations and admin commands."""
