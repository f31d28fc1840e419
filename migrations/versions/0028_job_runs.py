"""each run of a queued job (issue 20): what ran, where, how often it was tried and its last error,
so that the administrator sees a failed job and runs it again

Revision ID: 0028_job_runs
Revises: 0027_requested_rounds_index
Create Date: 2026-11-30 01:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0028_job_runs'
down_revision = '0027_requested_rounds_index'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'job_runs',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=60), nullable=False),
        sa.Column('args', sa.JSON(), nullable=False),
        sa.Column('state', sa.Enum('queued', 'running', 'retrying', 'succeeded', 'failed', name='runstate',
                                   native_enum=False, length=20), nullable=False),
        sa.Column('where', sa.String(length=10), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('last_error', sa.Text(), nullable=True),
        sa.Column('outcome', sa.Text(), nullable=True),
        sa.Column('enqueued_at', sa.DateTime(), nullable=False),
        sa.Column('started_at', sa.DateTime(), nullable=True),
        sa.Column('finished_at', sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_job_runs_name', 'job_runs', ['name'])
    op.create_index('ix_job_runs_state', 'job_runs', ['state'])
    op.create_index('ix_job_runs_enqueued_at', 'job_runs', ['enqueued_at'])


def downgrade():
    op.drop_table('job_runs')
