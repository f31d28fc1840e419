"""evaluation: criteria and point allocation

Revision ID: 0004_criteria
Revises: 0003_bidding
Create Date: 2026-11-22 03:55:47.569767

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004_criteria'
down_revision = '0003_bidding'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('evaluation_criteria',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('section', sa.String(length=20), nullable=False),
    sa.Column('item_id', sa.String(length=20), nullable=False),
    sa.Column('major', sa.String(length=200), nullable=False),
    sa.Column('middle', sa.String(length=200), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=True),
    sa.Column('points', sa.Integer(), nullable=False),
    sa.Column('ranks', sa.JSON(), nullable=True),
    sa.Column('table', sa.JSON(), nullable=True),
    sa.Column('mandatory_attachment', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['procurement_cases.id'], name=op.f('fk_evaluation_criteria_case_id_procurement_cases')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluation_criteria')),
    sa.UniqueConstraint('case_id', 'item_id', name=op.f('uq_evaluation_criteria_case_id'))
    )
    with op.batch_alter_table('evaluation_criteria', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evaluation_criteria_case_id'), ['case_id'], unique=False)

    with op.batch_alter_table('procurement_cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('technical_points', sa.Integer(), nullable=False, server_default='220'))
        batch_op.add_column(sa.Column('price_points', sa.Integer(), nullable=False, server_default='110'))



def downgrade():
    with op.batch_alter_table('procurement_cases', schema=None) as batch_op:
        batch_op.drop_column('price_points')
        batch_op.drop_column('technical_points')

    with op.batch_alter_table('evaluation_criteria', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evaluation_criteria_case_id'))

    op.drop_table('evaluation_criteria')
