"""sealing: opening keys, a case's keys in shares, sealed proposal files, receipt randoms

Revision ID: 0009_sealing
Revises: 0008_round_times
Create Date: 2026-11-29 11:50:23.783591

Bids were sealed to a key the server could open (TENDER_SEALING_KEY) and the 電子くじ drew its random
number when the tie was known. Neither can be carried over: an unopened bid sealed the old way would
have to be opened by the server to be sealed again, and a drawn lottery cannot be re-expressed in
the new method. A database holding either is refused with the reason; finish those cases (open
the bids, or recreate a demo database with `make clean-db`) before upgrading.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009_sealing'
down_revision = '0008_round_times'
branch_labels = None
depends_on = None


def _refuse_if_unconvertible():
    bind = op.get_bind()
    sealed = bind.execute(sa.text("SELECT COUNT(*) FROM bids WHERE amount IS NULL AND status = 'sealed'")).scalar()
    drawn = bind.execute(sa.text("SELECT COUNT(*) FROM lotteries")).scalar()
    if sealed or drawn:
        raise RuntimeError(
            f"この版では入札の封印と電子くじの方式が変わります。開札前の封印された入札（{sealed}件）または"
            f"実施済みのくじ（{drawn}件）があるデータベースは移行できません。前の版で開札を済ませるか、"
            "デモのデータベースであれば `make clean-db` で作り直してください。")


def upgrade():
    _refuse_if_unconvertible()
    op.create_table('opening_keys',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('public_key', sa.String(length=100), nullable=False),
    sa.Column('wrapped_private', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('retired_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_opening_keys_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_opening_keys'))
    )
    with op.batch_alter_table('opening_keys', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_opening_keys_user_id'), ['user_id'], unique=False)

    op.create_table('case_keys',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('purpose', sa.String(length=20), nullable=False),
    sa.Column('public_key', sa.String(length=100), nullable=False),
    sa.Column('threshold', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('released_at', sa.DateTime(), nullable=True),
    sa.Column('released_private', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['procurement_cases.id'], name=op.f('fk_case_keys_case_id_procurement_cases')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_case_keys_created_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_keys')),
    sa.UniqueConstraint('case_id', 'purpose', name=op.f('uq_case_keys_case_id'))
    )
    with op.batch_alter_table('case_keys', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_keys_case_id'), ['case_id'], unique=False)

    op.create_table('key_shares',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_key_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('opening_key_id', sa.Integer(), nullable=False),
    sa.Column('x', sa.Integer(), nullable=False),
    sa.Column('envelope', sa.Text(), nullable=False),
    sa.Column('provided_at', sa.DateTime(), nullable=True),
    sa.Column('provided_secret', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['case_key_id'], ['case_keys.id'], name=op.f('fk_key_shares_case_key_id_case_keys')),
    sa.ForeignKeyConstraint(['opening_key_id'], ['opening_keys.id'], name=op.f('fk_key_shares_opening_key_id_opening_keys')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_key_shares_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_key_shares')),
    sa.UniqueConstraint('case_key_id', 'user_id', name=op.f('uq_key_shares_case_key_id'))
    )
    with op.batch_alter_table('key_shares', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_key_shares_case_key_id'), ['case_key_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_key_shares_opening_key_id'), ['opening_key_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_key_shares_user_id'), ['user_id'], unique=False)

    op.drop_table('case_seals')
    with op.batch_alter_table('bid_files', schema=None) as batch_op:
        batch_op.add_column(sa.Column('slot', sa.String(length=40), nullable=True))
    op.execute("UPDATE bid_files SET slot = CASE WHEN document_id IS NOT NULL THEN 'doc_' || document_id "
               "WHEN label = '委任状' THEN 'power_of_attorney' ELSE 'sheet_file' END")
    with op.batch_alter_table('bid_files', schema=None) as batch_op:
        batch_op.alter_column('slot', existing_type=sa.String(length=40), nullable=False)
        batch_op.create_index(batch_op.f('ix_bid_files_document_id'), ['document_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_bid_files_file_id'), ['file_id'], unique=False)

    with op.batch_alter_table('bid_rounds', schema=None) as batch_op:
        batch_op.add_column(sa.Column('witness_user_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_bid_rounds_witness_user_id'), ['witness_user_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_bid_rounds_witness_user_id_users'), 'users', ['witness_user_id'], ['id'])

    with op.batch_alter_table('bids', schema=None) as batch_op:
        batch_op.add_column(sa.Column('receipt_random', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('nonce', sa.String(length=32), nullable=True))
        batch_op.alter_column('receipt_number',
               existing_type=sa.String(length=30),
               type_=sa.String(length=40),
               existing_nullable=False)
        batch_op.create_index(batch_op.f('ix_bids_company_id'), ['company_id'], unique=False)
        batch_op.drop_column('ephemeral_key')

    with op.batch_alter_table('lotteries', schema=None) as batch_op:
        batch_op.drop_column('server_random')

    with op.batch_alter_table('procurement_cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('estimated_price_envelope', sa.Text(), nullable=True))

    with op.batch_alter_table('stored_files', schema=None) as batch_op:
        batch_op.add_column(sa.Column('blob_sha256', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('sealed_key_id', sa.Integer(), nullable=True))
    op.execute("UPDATE stored_files SET blob_sha256 = sha256")
    with op.batch_alter_table('stored_files', schema=None) as batch_op:
        batch_op.alter_column('blob_sha256', existing_type=sa.String(length=64), nullable=False)
        batch_op.create_index(batch_op.f('ix_stored_files_blob_sha256'), ['blob_sha256'], unique=False)
        batch_op.create_index(batch_op.f('ix_stored_files_sealed_key_id'), ['sealed_key_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_stored_files_uploaded_by_id'), ['uploaded_by_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_stored_files_sealed_key_id_case_keys'), 'case_keys', ['sealed_key_id'], ['id'])



def downgrade():
    with op.batch_alter_table('stored_files', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_stored_files_sealed_key_id_case_keys'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_stored_files_uploaded_by_id'))
        batch_op.drop_index(batch_op.f('ix_stored_files_sealed_key_id'))
        batch_op.drop_index(batch_op.f('ix_stored_files_blob_sha256'))
        batch_op.drop_column('sealed_key_id')
        batch_op.drop_column('blob_sha256')

    with op.batch_alter_table('procurement_cases', schema=None) as batch_op:
        batch_op.drop_column('estimated_price_envelope')

    with op.batch_alter_table('lotteries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('server_random', sa.Integer(), nullable=False, server_default='0'))

    with op.batch_alter_table('bids', schema=None) as batch_op:
        batch_op.add_column(sa.Column('ephemeral_key', sa.String(length=100), nullable=False, server_default=''))
        batch_op.drop_index(batch_op.f('ix_bids_company_id'))
        batch_op.alter_column('receipt_number',
               existing_type=sa.String(length=40),
               type_=sa.String(length=30),
               existing_nullable=False)
        batch_op.drop_column('nonce')
        batch_op.drop_column('receipt_random')

    with op.batch_alter_table('bid_rounds', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_bid_rounds_witness_user_id_users'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_bid_rounds_witness_user_id'))
        batch_op.drop_column('witness_user_id')

    with op.batch_alter_table('bid_files', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bid_files_file_id'))
        batch_op.drop_index(batch_op.f('ix_bid_files_document_id'))
        batch_op.drop_column('slot')

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
    with op.batch_alter_table('key_shares', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_key_shares_user_id'))
        batch_op.drop_index(batch_op.f('ix_key_shares_opening_key_id'))
        batch_op.drop_index(batch_op.f('ix_key_shares_case_key_id'))

    op.drop_table('key_shares')
    with op.batch_alter_table('case_keys', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_keys_case_id'))

    op.drop_table('case_keys')
    with op.batch_alter_table('opening_keys', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_opening_keys_user_id'))

    op.drop_table('opening_keys')
