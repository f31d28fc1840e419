"""the contract list's order as an index: (signed_on, id), not signed_on alone (issue 16)

Hundreds of contracts share a signing day: ordered by the day alone, the list's first page read
and joined every contract of the latest day (502 here) before sorting them by id.

Revision ID: 0031_contracts_signed_order
Revises: 0030_open_data
Create Date: 2026-11-30 10:30:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0031_contracts_signed_order'
down_revision = '0030_open_data'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_contracts_signed', 'contracts', ['signed_on', 'id'])
    op.drop_index('ix_contracts_signed_on', table_name='contracts')


def downgrade():
    op.create_index('ix_contracts_signed_on', 'contracts', ['signed_on'])
    op.drop_index('ix_contracts_signed', table_name='contracts')
