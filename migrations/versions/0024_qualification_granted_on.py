"""the day a qualification first recorded as 申請中 was granted: a bid made on condition counts
only if the qualification was granted by the opening (入札心得第9条; issue 17)

Revision ID: 0024_qualification_granted_on
Revises: 0023_credit_events
Create Date: 2026-11-29 22:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0024_qualification_granted_on'
down_revision = '0023_credit_events'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('qualifications', sa.Column('granted_on', sa.Date(), nullable=True))


def downgrade():
    with op.batch_alter_table('qualifications') as batch:
        batch.drop_column('granted_on')
