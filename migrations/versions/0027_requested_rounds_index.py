"""the openings waiting for a second official, found without reading every round (issue 19: the
home page's あなたの作業 asks for them on each visit)

Revision ID: 0027_requested_rounds_index
Revises: 0026_mail_preferences
Create Date: 2026-11-30 00:40:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0027_requested_rounds_index'
down_revision = '0026_mail_preferences'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_bid_rounds_requested', 'bid_rounds', ['case_id'], unique=False,
                    postgresql_where=sa.text("state = 'opening_requested'"),
                    sqlite_where=sa.text("state = 'opening_requested'"))


def downgrade():
    op.drop_index('ix_bid_rounds_requested', table_name='bid_rounds')
