"""a case's record as one ZIP, made by a worker and kept in the file store (issue 20: bulk exports
leave the web request)

Revision ID: 0029_case_file_exports
Revises: 0028_job_runs
Create Date: 2026-11-30 01:10:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0029_case_file_exports'
down_revision = '0028_job_runs'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'case_file_exports',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('requested_by_id', sa.Integer(), nullable=False),
        sa.Column('requested_at', sa.DateTime(), nullable=False),
        sa.Column('run_id', sa.Integer(), nullable=True),
        sa.Column('file_id', sa.Integer(), nullable=True),
        sa.Column('finished_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['case_id'], ['procurement_cases.id']),
        sa.ForeignKeyConstraint(['requested_by_id'], ['users.id']),
        sa.ForeignKeyConstraint(['run_id'], ['job_runs.id']),
        sa.ForeignKeyConstraint(['file_id'], ['stored_files.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    for column in ('case_id', 'requested_by_id', 'run_id', 'file_id'):
        op.create_index(f'ix_case_file_exports_{column}', 'case_file_exports', [column])


def downgrade():
    op.drop_table('case_file_exports')
