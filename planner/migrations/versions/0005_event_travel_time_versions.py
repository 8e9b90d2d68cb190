"""event and travel_times get a version_id: two people editing one of their records no longer overwrite each other

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 18:00:00
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

TABLES = ('event', 'travel_times')


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            # existing rows start at version 1, as new ones do
            batch_op.add_column(sa.Column('version_id', sa.Integer(), nullable=False, server_default='1'))
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column('version_id', server_default=None)


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('version_id')
