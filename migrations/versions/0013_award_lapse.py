"""the lapse of an award (第17条) written onto the award decision, so that the award's standing no
longer reads the contracts above it

Revision ID: 0013_award_lapse
Revises: 0012_integrity
Create Date: 2026-11-29 13:40:00

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '0013_award_lapse'
down_revision = '0012_integrity'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('award_decisions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('lapsed_at', sa.DateTime(), nullable=True))
    # Awards whose contract already lapsed keep their lapse.
    op.execute("UPDATE award_decisions SET lapsed_at = (SELECT contracts.lapsed_at FROM contracts "
               "WHERE contracts.award_decision_id = award_decisions.id AND contracts.state = 'lapsed') "
               "WHERE EXISTS (SELECT 1 FROM contracts WHERE contracts.award_decision_id = award_decisions.id "
               "AND contracts.state = 'lapsed')")


def downgrade():
    with op.batch_alter_table('award_decisions', schema=None) as batch_op:
        batch_op.drop_column('lapsed_at')
