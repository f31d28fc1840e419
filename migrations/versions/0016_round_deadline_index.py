"""an index on a re-bid round's deadline, so that the bids still in a submission period (hidden from
the audit trail until the deadline) are found from the few open rounds, not by a scan of every bid;
and the public board's partial index, so that its pages and count read the board's cases alone

Revision ID: 0016_round_deadline_index
Revises: 0015_case_search
Create Date: 2026-11-30 00:30:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0016_round_deadline_index'
down_revision = '0015_case_search'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_bid_rounds_submission_deadline', 'bid_rounds', ['submission_deadline'], unique=False)
    op.create_index('ix_procurement_cases_board', 'procurement_cases', ['published_at', 'id'], unique=False,
                    postgresql_where=sa.text("state <> 'draft' AND published_at IS NOT NULL"),
                    sqlite_where=sa.text("state <> 'draft' AND published_at IS NOT NULL"))


def downgrade():
    op.drop_index('ix_procurement_cases_board', table_name='procurement_cases')
    op.drop_index('ix_bid_rounds_submission_deadline', table_name='bid_rounds')
