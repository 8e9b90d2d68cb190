"""``flask --app web ...`` commands: users and the demo account."""

from __future__ import annotations

import click
from flask import Flask
from sqlmodel import Session

from planner.users import AREAS, DEMO_PASSWORD, DEMO_USERNAME, ROLES, create_user, ensure_demo_users
from web import db


def init_commands(app: Flask) -> None:
    @app.cli.command("create-user")
    @click.argument("username")
    @click.option("--role", type=click.Choice(ROLES), default="viewer", show_default=True)
    @click.option("--area", type=click.Choice(AREAS), default=None, help="For area leads.")
    @click.option("--hotels", default="", help="For hotel liaisons: hotel ids separated by ;")
    @click.password_option()
    def create_user_command(username: str, role: str, area: str | None, hotels: str, password: str) -> None:
        """Add a user."""
        with Session(db.engine()) as s:
            try:
                create_user(s, username, password, role, area=area, hotels=[h for h in hotels.split(";") if h.strip()])
            except ValueError as exc:
                raise click.ClickException(str(exc)) from None
            s.commit()
        click.echo(f"added {username} ({role})")

    @app.cli.command("demo-account")
    def demo_account_command() -> None:
        """Create the documented demo account (committee)."""
        with Session(db.engine()) as s:
            ensure_demo_users(s)
            s.commit()
        click.echo(f"demo account: {DEMO_USERNAME} / {DEMO_PASSWORD}")
