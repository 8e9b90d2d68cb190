"""plan run heartbeat: a running solve's last sign of life, so a solve whose process stopped shows as interrupted

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 09:00:00
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('plan_runs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('heartbeat', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('plan_runs', schema=None) as batch_op:
        batch_op.drop_column('heartbeat')
