"""accounts: one-time password links, company membership approval, outbox, confirmed delivery days,
changes of a case's opening officials

Revision ID: 0010_accounts
Revises: 0009_sealing
Create Date: 2026-11-29 12:31:10.103071

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010_accounts'
down_revision = '0009_sealing'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('outbound_mail',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('to', sa.String(length=254), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('sensitive', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('sent_at', sa.DateTime(), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbound_mail'))
    )
    with op.batch_alter_table('outbound_mail', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outbound_mail_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_outbound_mail_sent_at'), ['sent_at'], unique=False)

    op.create_table('password_resets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('purpose', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('used_at', sa.DateTime(), nullable=True),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'], name=op.f('fk_password_resets_requested_by_id_users')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_password_resets_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_password_resets')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_password_resets_token_hash'))
    )
    with op.batch_alter_table('password_resets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_password_resets_requested_by_id'), ['requested_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_password_resets_user_id'), ['user_id'], unique=False)

    op.create_table('officials_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('officials', sa.JSON(), nullable=False),
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
        batch_op.create_index(batch_op.f('ix_officials_changes_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_officials_changes_proposed_by_id'), ['proposed_by_id'], unique=False)

    with op.batch_alter_table('deliveries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('claimed_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('claim_reason', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('claim_decision', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('claim_decided_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('claim_decided_at', sa.DateTime(), nullable=True))
        batch_op.create_index(batch_op.f('ix_deliveries_claim_decided_by_id'), ['claim_decided_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_deliveries_recorded_by_id'), ['recorded_by_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_deliveries_claim_decided_by_id_users'), 'users', ['claim_decided_by_id'], ['id'])

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pending_company_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_users_pending_company_id'), ['pending_company_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_users_pending_company_id_companies'), 'companies', ['pending_company_id'], ['id'])



def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_users_pending_company_id_companies'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_users_pending_company_id'))
        batch_op.drop_column('pending_company_id')

    with op.batch_alter_table('deliveries', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_deliveries_claim_decided_by_id_users'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_deliveries_recorded_by_id'))
        batch_op.drop_index(batch_op.f('ix_deliveries_claim_decided_by_id'))
        batch_op.drop_column('claim_decided_at')
        batch_op.drop_column('claim_decided_by_id')
        batch_op.drop_column('claim_decision')
        batch_op.drop_column('claim_reason')
        batch_op.drop_column('claimed_on')

    with op.batch_alter_table('officials_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_officials_changes_proposed_by_id'))
        batch_op.drop_index(batch_op.f('ix_officials_changes_case_id'))

    op.drop_table('officials_changes')
    with op.batch_alter_table('password_resets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_password_resets_user_id'))
        batch_op.drop_index(batch_op.f('ix_password_resets_requested_by_id'))

    op.drop_table('password_resets')
    with op.batch_alter_table('outbound_mail', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outbound_mail_sent_at'))
        batch_op.drop_index(batch_op.f('ix_outbound_mail_created_at'))

    op.drop_table('outbound_mail')
