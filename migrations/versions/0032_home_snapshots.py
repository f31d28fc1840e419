"""the home pages' lists as last made, per reader (issue 16: a contractor's home at a ministry's volume)

Revision ID: 0032_home_snapshots
Revises: 0031_contracts_signed_order
Create Date: 2026-11-30 11:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0032_home_snapshots'
down_revision = '0031_contracts_signed_order'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'home_snapshots',
        sa.Column('reader', sa.String(length=40), nullable=False),
        sa.Column('generation', sa.Integer(), nullable=False),
        sa.Column('made_generation', sa.Integer(), nullable=True),
        sa.Column('made_at', sa.DateTime(), nullable=True),
        sa.Column('valid_until', sa.DateTime(), nullable=True),
        sa.Column('payload', sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint('reader'),
    )


def downgrade():
    op.drop_table('home_snapshots')
