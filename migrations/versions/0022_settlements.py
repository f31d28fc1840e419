"""数量精算 of a unit-price contract: unit price × actual quantity becomes the amount payable
(002 第5条, 入札内訳書 注1; issue 17)

Revision ID: 0022_settlements
Revises: 0021_qualification_pending
Create Date: 2026-11-29 21:10:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0022_settlements'
down_revision = '0021_qualification_pending'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'settlements',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('contract_id', sa.Integer(), nullable=False),
        sa.Column('actual', sa.JSON(), nullable=False),
        sa.Column('amount_excl', sa.BigInteger(), nullable=False),
        sa.Column('tax', sa.BigInteger(), nullable=False),
        sa.Column('amount_total', sa.BigInteger(), nullable=False),
        sa.Column('settled_on', sa.Date(), nullable=False),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('recorded_at', sa.DateTime(), nullable=False),
        sa.Column('recorded_by_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['contract_id'], ['contracts.id'], name=op.f('fk_settlements_contract_id_contracts')),
        sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_settlements_recorded_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_settlements')),
        sa.UniqueConstraint('contract_id', name=op.f('uq_settlements_contract_id')),
    )
    op.create_index(op.f('ix_settlements_recorded_by_id'), 'settlements', ['recorded_by_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_settlements_recorded_by_id'), table_name='settlements')
    op.drop_table('settlements')
