"""integrity marks on keys, bids and the sealed 予定価格; waiting shares sealed to the officials still
to come (no share the server can open waits in the database); officials change in one sitting

Revision ID: 0012_integrity
Revises: 0011_hardening
Create Date: 2026-11-29 12:54:05.475358

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import sqlite

# revision identifiers, used by Alembic.
revision = '0012_integrity'
down_revision = '0011_hardening'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('waiting_shares',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_key_id', sa.Integer(), nullable=False),
    sa.Column('x', sa.Integer(), nullable=False),
    sa.Column('to_user_id', sa.Integer(), nullable=False),
    sa.Column('envelope', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['case_key_id'], ['case_keys.id'], name=op.f('fk_waiting_shares_case_key_id_case_keys')),
    sa.ForeignKeyConstraint(['to_user_id'], ['users.id'], name=op.f('fk_waiting_shares_to_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_waiting_shares'))
    )
    with op.batch_alter_table('waiting_shares', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_waiting_shares_case_key_id'), ['case_key_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_waiting_shares_to_user_id'), ['to_user_id'], unique=False)

    with op.batch_alter_table('officials_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_officials_changes_case_id'))
        batch_op.drop_index(batch_op.f('ix_officials_changes_proposed_by_id'))

    op.drop_table('officials_changes')
    with op.batch_alter_table('bids', schema=None) as batch_op:
        batch_op.add_column(sa.Column('mark', sa.String(length=64), nullable=False, server_default=''))

    with op.batch_alter_table('case_keys', schema=None) as batch_op:
        batch_op.add_column(sa.Column('mark', sa.String(length=64), nullable=False, server_default=''))

    with op.batch_alter_table('key_shares', schema=None) as batch_op:
        batch_op.drop_column('provided_secret')

    with op.batch_alter_table('opening_keys', schema=None) as batch_op:
        batch_op.add_column(sa.Column('mark', sa.String(length=64), nullable=False, server_default=''))

    with op.batch_alter_table('procurement_cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('estimated_price_mark', sa.String(length=64), nullable=True))



def downgrade():
    with op.batch_alter_table('procurement_cases', schema=None) as batch_op:
        batch_op.drop_column('estimated_price_mark')

    with op.batch_alter_table('opening_keys', schema=None) as batch_op:
        batch_op.drop_column('mark')

    with op.batch_alter_table('key_shares', schema=None) as batch_op:
        batch_op.add_column(sa.Column('provided_secret', sa.Text(), nullable=True))

    with op.batch_alter_table('case_keys', schema=None) as batch_op:
        batch_op.drop_column('mark')

    with op.batch_alter_table('bids', schema=None) as batch_op:
        batch_op.drop_column('mark')

    op.create_table('officials_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('officials', sqlite.JSON(), nullable=False),
    sa.Column('threshold', sa.Integer(), nullable=False),
    sa.Column('proposed_by_id', sa.Integer(), nullable=False),
    sa.Column('proposed_at', sa.DateTime(), nullable=False),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('outcome', sa.String(length=20), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['procurement_cases.id'], name=op.f('fk_officials_changes_case_id_procurement_cases')),
    sa.ForeignKeyConstraint(['proposed_by_id'], ['users.id'], name=op.f('fk_officials_changes_proposed_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_officials_changes'))
    )
    with op.batch_alter_table('officials_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_officials_changes_proposed_by_id'), ['proposed_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_officials_changes_case_id'), ['case_id'], unique=False)

    with op.batch_alter_table('waiting_shares', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_waiting_shares_to_user_id'))
        batch_op.drop_index(batch_op.f('ix_waiting_shares_case_key_id'))

    op.drop_table('waiting_shares')
