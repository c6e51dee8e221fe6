"""Persistence: models, engine and session factory, repositories, locks."""
