"""Alembic environment: migrations run on the engine the planner gives, or on the URL in the config."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from planner.all_models import metadata

config = context.config


def run_migrations() -> None:
    engine = config.attributes.get("engine")
    if engine is None:
        url = config.get_main_option("sqlalchemy.url")
        if not url:
            raise RuntimeError("no database: set sqlalchemy.url or pass an engine")
        engine = create_engine(url)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


run_migrations()
