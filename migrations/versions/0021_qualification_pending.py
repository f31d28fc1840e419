"""a qualification still under review (資格審査の申請中): its holder may bid on condition that it is
granted, and the bid is not awarded when it is not granted by the opening (入札心得第9条, issue 17)

Revision ID: 0021_qualification_pending
Revises: 0020_contract_changes
Create Date: 2026-11-30 05:30:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0021_qualification_pending'
down_revision = '0020_contract_changes'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('qualifications', sa.Column('pending', sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade():
    with op.batch_alter_table('qualifications') as batch:
        batch.drop_column('pending')
