"""the first bid round reads its times from the case

Revision ID: 0008_round_times
Revises: 0007_privacy
Create Date: 2026-11-29 12:00:00

A round kept a copy of the case's submission deadline and opening time when its first bid
arrived, so a later 訂正 moved the notice but not the round. The first round now has no times
of its own; re-bid rounds keep theirs.
"""
from alembic import op
import sqlalchemy as sa


revision = '0008_round_times'
down_revision = '0007_privacy'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('bid_rounds', schema=None) as batch_op:
        batch_op.alter_column('submission_deadline', existing_type=sa.DateTime(), nullable=True)
        batch_op.alter_column('opening_at', existing_type=sa.DateTime(), nullable=True)
    op.execute("UPDATE bid_rounds SET submission_deadline = NULL, opening_at = NULL WHERE number = 1")


def downgrade():
    op.execute("UPDATE bid_rounds SET submission_deadline = (SELECT c.submission_deadline FROM procurement_cases c "
               "WHERE c.id = bid_rounds.case_id), opening_at = (SELECT c.opening_at FROM procurement_cases c "
               "WHERE c.id = bid_rounds.case_id) WHERE number = 1")
    with op.batch_alter_table('bid_rounds', schema=None) as batch_op:
        batch_op.alter_column('submission_deadline', existing_type=sa.DateTime(), nullable=False)
        batch_op.alter_column('opening_at', existing_type=sa.DateTime(), nullable=False)
