"""bidding: sealed bids, rounds, openings, lotteries

Revision ID: 0003_bidding
Revises: 0002_notices
Create Date: 2026-11-22 03:25:38.171781

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003_bidding'
down_revision = '0002_notices'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('bid_rounds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('submission_deadline', sa.DateTime(), nullable=False),
    sa.Column('opening_at', sa.DateTime(), nullable=False),
    sa.Column('eligible_company_ids', sa.JSON(), nullable=True),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('requested_at', sa.DateTime(), nullable=True),
    sa.Column('witness_name', sa.String(length=100), nullable=True),
    sa.Column('witness_kind', sa.String(length=20), nullable=True),
    sa.Column('attendee_company_ids', sa.JSON(), nullable=True),
    sa.Column('confirmed_by_id', sa.Integer(), nullable=True),
    sa.Column('opened_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['procurement_cases.id'], name=op.f('fk_bid_rounds_case_id_procurement_cases')),
    sa.ForeignKeyConstraint(['confirmed_by_id'], ['users.id'], name=op.f('fk_bid_rounds_confirmed_by_id_users')),
    sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'], name=op.f('fk_bid_rounds_requested_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bid_rounds')),
    sa.UniqueConstraint('case_id', 'number', name=op.f('uq_bid_rounds_case_id'))
    )
    with op.batch_alter_table('bid_rounds', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bid_rounds_case_id'), ['case_id'], unique=False)

    op.create_table('case_seals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('public_key_pem', sa.Text(), nullable=False),
    sa.Column('private_key_sealed', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['procurement_cases.id'], name=op.f('fk_case_seals_case_id_procurement_cases')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_seals')),
    sa.UniqueConstraint('case_id', name=op.f('uq_case_seals_case_id'))
    )
    op.create_table('bid_declines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=20), nullable=False),
    sa.Column('declined_at', sa.DateTime(), nullable=False),
    sa.Column('declined_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_bid_declines_company_id_companies')),
    sa.ForeignKeyConstraint(['declined_by_id'], ['users.id'], name=op.f('fk_bid_declines_declined_by_id_users')),
    sa.ForeignKeyConstraint(['round_id'], ['bid_rounds.id'], name=op.f('fk_bid_declines_round_id_bid_rounds')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bid_declines')),
    sa.UniqueConstraint('round_id', 'company_id', name=op.f('uq_bid_declines_round_id'))
    )
    with op.batch_alter_table('bid_declines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bid_declines_round_id'), ['round_id'], unique=False)

    op.create_table('bids',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('submitted_by_id', sa.Integer(), nullable=False),
    sa.Column('as_agent', sa.Boolean(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(), nullable=False),
    sa.Column('receipt_number', sa.String(length=30), nullable=False),
    sa.Column('sealed_payload', sa.Text(), nullable=False),
    sa.Column('ephemeral_key', sa.String(length=100), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=True),
    sa.Column('lottery_number', sa.Integer(), nullable=True),
    sa.Column('breakdown', sa.JSON(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('invalid_ground', sa.String(length=30), nullable=True),
    sa.Column('invalid_reason', sa.Text(), nullable=True),
    sa.Column('invalid_marked_by_id', sa.Integer(), nullable=True),
    sa.Column('invalid_marked_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['procurement_cases.id'], name=op.f('fk_bids_case_id_procurement_cases')),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_bids_company_id_companies')),
    sa.ForeignKeyConstraint(['invalid_marked_by_id'], ['users.id'], name=op.f('fk_bids_invalid_marked_by_id_users')),
    sa.ForeignKeyConstraint(['round_id'], ['bid_rounds.id'], name=op.f('fk_bids_round_id_bid_rounds')),
    sa.ForeignKeyConstraint(['submitted_by_id'], ['users.id'], name=op.f('fk_bids_submitted_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bids')),
    sa.UniqueConstraint('receipt_number', name=op.f('uq_bids_receipt_number')),
    sa.UniqueConstraint('round_id', 'company_id', name=op.f('uq_bids_round_id'))
    )
    with op.batch_alter_table('bids', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bids_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_bids_round_id'), ['round_id'], unique=False)

    op.create_table('lotteries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('drawn_at', sa.DateTime(), nullable=False),
    sa.Column('drawn_by_id', sa.Integer(), nullable=False),
    sa.Column('witness_name', sa.String(length=100), nullable=False),
    sa.Column('server_random', sa.Integer(), nullable=False),
    sa.Column('entries', sa.JSON(), nullable=False),
    sa.Column('steps', sa.JSON(), nullable=False),
    sa.Column('ranking', sa.JSON(), nullable=False),
    sa.Column('algorithm', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['drawn_by_id'], ['users.id'], name=op.f('fk_lotteries_drawn_by_id_users')),
    sa.ForeignKeyConstraint(['round_id'], ['bid_rounds.id'], name=op.f('fk_lotteries_round_id_bid_rounds')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lotteries')),
    sa.UniqueConstraint('round_id', name=op.f('uq_lotteries_round_id'))
    )
    op.create_table('bid_files',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('bid_id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=True),
    sa.Column('label', sa.String(length=200), nullable=False),
    sa.Column('file_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['bid_id'], ['bids.id'], name=op.f('fk_bid_files_bid_id_bids')),
    sa.ForeignKeyConstraint(['document_id'], ['required_documents.id'], name=op.f('fk_bid_files_document_id_required_documents')),
    sa.ForeignKeyConstraint(['file_id'], ['stored_files.id'], name=op.f('fk_bid_files_file_id_stored_files')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bid_files'))
    )
    with op.batch_alter_table('bid_files', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bid_files_bid_id'), ['bid_id'], unique=False)

    with op.batch_alter_table('required_documents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('on_screen', sa.Boolean(), nullable=False, server_default=sa.false()))



def downgrade():
    with op.batch_alter_table('required_documents', schema=None) as batch_op:
        batch_op.drop_column('on_screen')

    with op.batch_alter_table('bid_files', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bid_files_bid_id'))

    op.drop_table('bid_files')
    op.drop_table('lotteries')
    with op.batch_alter_table('bids', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bids_round_id'))
        batch_op.drop_index(batch_op.f('ix_bids_case_id'))

    op.drop_table('bids')
    with op.batch_alter_table('bid_declines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bid_declines_round_id'))

    op.drop_table('bid_declines')
    op.drop_table('case_seals')
    with op.batch_alter_table('bid_rounds', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bid_rounds_case_id'))

    op.drop_table('bid_rounds')
