"""変更契約 (issue 17): a signed contract's amount or period changed by agreement [000/002 第12条],
each change kept with its ground, before and after, and the day it took effect; and the 契約不適合
claims against the work, with their notice deadlines [000/002 第9条; 004 １３．]; 再委託・再請負,
notified or approved per the contract's conditions; and why an award was revoked (入札心得第19条)

Revision ID: 0020_contract_changes
Revises: 0019_price_score_basis
Create Date: 2026-11-30 05:10:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0020_contract_changes'
down_revision = '0019_price_score_basis'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('award_decisions', sa.Column('revoked_reason', sa.Text(), nullable=True))
    op.create_table(
        'contract_changes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('contract_id', sa.Integer(), nullable=False),
        sa.Column('number', sa.Integer(), nullable=False),
        sa.Column('ground', sa.String(length=20), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('agreed_on', sa.Date(), nullable=False),
        sa.Column('before', sa.JSON(), nullable=False),
        sa.Column('after', sa.JSON(), nullable=False),
        sa.Column('version_number', sa.Integer(), nullable=False),
        sa.Column('recorded_at', sa.DateTime(), nullable=False),
        sa.Column('recorded_by_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['contract_id'], ['contracts.id'], name=op.f('fk_contract_changes_contract_id_contracts')),
        sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_contract_changes_recorded_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_contract_changes')),
        sa.UniqueConstraint('contract_id', 'number', name=op.f('uq_contract_changes_contract_id')),
    )
    op.create_index(op.f('ix_contract_changes_contract_id'), 'contract_changes', ['contract_id'], unique=False)
    op.create_index(op.f('ix_contract_changes_recorded_by_id'), 'contract_changes', ['recorded_by_id'], unique=False)
    op.create_table(
        'defect_claims',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('contract_id', sa.Integer(), nullable=False),
        sa.Column('number', sa.Integer(), nullable=False),
        sa.Column('found_on', sa.Date(), nullable=False),
        sa.Column('description', sa.Text(), nullable=False),
        sa.Column('remedy', sa.String(length=20), nullable=False),
        sa.Column('notice_by', sa.Date(), nullable=True),
        sa.Column('notified_on', sa.Date(), nullable=True),
        sa.Column('resolved_on', sa.Date(), nullable=True),
        sa.Column('resolution', sa.Text(), nullable=True),
        sa.Column('recorded_at', sa.DateTime(), nullable=False),
        sa.Column('recorded_by_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['contract_id'], ['contracts.id'], name=op.f('fk_defect_claims_contract_id_contracts')),
        sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_defect_claims_recorded_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_defect_claims')),
        sa.UniqueConstraint('contract_id', 'number', name=op.f('uq_defect_claims_contract_id')),
    )
    op.create_index(op.f('ix_defect_claims_contract_id'), 'defect_claims', ['contract_id'], unique=False)
    op.create_index(op.f('ix_defect_claims_notice_by'), 'defect_claims', ['notice_by'], unique=False)
    op.create_index(op.f('ix_defect_claims_recorded_by_id'), 'defect_claims', ['recorded_by_id'], unique=False)
    op.create_table(
        'subcontracts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('contract_id', sa.Integer(), nullable=False),
        sa.Column('number', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('address', sa.String(length=300), nullable=False),
        sa.Column('scope', sa.Text(), nullable=False),
        sa.Column('amount', sa.BigInteger(), nullable=True),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('submitted_at', sa.DateTime(), nullable=False),
        sa.Column('submitted_by_id', sa.Integer(), nullable=False),
        sa.Column('decided_at', sa.DateTime(), nullable=True),
        sa.Column('decided_by_id', sa.Integer(), nullable=True),
        sa.Column('decision_note', sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(['contract_id'], ['contracts.id'], name=op.f('fk_subcontracts_contract_id_contracts')),
        sa.ForeignKeyConstraint(['submitted_by_id'], ['users.id'], name=op.f('fk_subcontracts_submitted_by_id_users')),
        sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_subcontracts_decided_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_subcontracts')),
        sa.UniqueConstraint('contract_id', 'number', name=op.f('uq_subcontracts_contract_id')),
    )
    op.create_index(op.f('ix_subcontracts_contract_id'), 'subcontracts', ['contract_id'], unique=False)
    op.create_index(op.f('ix_subcontracts_submitted_by_id'), 'subcontracts', ['submitted_by_id'], unique=False)
    op.create_index(op.f('ix_subcontracts_decided_by_id'), 'subcontracts', ['decided_by_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_subcontracts_decided_by_id'), table_name='subcontracts')
    op.drop_index(op.f('ix_subcontracts_submitted_by_id'), table_name='subcontracts')
    op.drop_index(op.f('ix_subcontracts_contract_id'), table_name='subcontracts')
    op.drop_table('subcontracts')
    with op.batch_alter_table('award_decisions') as batch:
        batch.drop_column('revoked_reason')
    op.drop_index(op.f('ix_defect_claims_recorded_by_id'), table_name='defect_claims')
    op.drop_index(op.f('ix_defect_claims_notice_by'), table_name='defect_claims')
    op.drop_index(op.f('ix_defect_claims_contract_id'), table_name='defect_claims')
    op.drop_table('defect_claims')
    op.drop_index(op.f('ix_contract_changes_recorded_by_id'), table_name='contract_changes')
    op.drop_index(op.f('ix_contract_changes_contract_id'), table_name='contract_changes')
    op.drop_table('contract_changes')
