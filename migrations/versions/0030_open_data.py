"""open data and the API (issue 21): OCDS releases as published, and the users' API tokens

Revision ID: 0030_open_data
Revises: 0029_case_file_exports
Create Date: 2026-11-30 03:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0030_open_data'
down_revision = '0029_case_file_exports'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'ocds_releases',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('ocid', sa.String(length=100), nullable=False),
        sa.Column('release_id', sa.String(length=160), nullable=False),
        sa.Column('published_at', sa.DateTime(), nullable=False),
        sa.Column('tags', sa.String(length=300), nullable=False),
        sa.Column('digest', sa.String(length=64), nullable=False),
        sa.Column('data', sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(['case_id'], ['procurement_cases.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('release_id'),
    )
    op.create_index('ix_ocds_releases_feed', 'ocds_releases', ['published_at', 'id'])
    op.create_index('ix_ocds_releases_case', 'ocds_releases', ['case_id', 'id'])
    op.create_index('ix_ocds_releases_ocid', 'ocds_releases', ['ocid'])
    op.create_table(
        'api_tokens',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('company_id', sa.Integer(), nullable=True),
        sa.Column('name', sa.String(length=100), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('prefix', sa.String(length=16), nullable=False),
        sa.Column('scopes', sa.String(length=200), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('expires_at', sa.DateTime(), nullable=False),
        sa.Column('revoked_at', sa.DateTime(), nullable=True),
        sa.Column('last_used_at', sa.DateTime(), nullable=True),
        sa.Column('last_used_ip', sa.String(length=45), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['users.id']),
        sa.ForeignKeyConstraint(['company_id'], ['companies.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('token_hash'),
    )
    op.create_index('ix_api_tokens_user_id', 'api_tokens', ['user_id'])
    op.create_index('ix_api_tokens_company_id', 'api_tokens', ['company_id'])


def downgrade():
    op.drop_table('api_tokens')
    op.drop_table('ocds_releases')
