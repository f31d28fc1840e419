"""facts on a company's finances or credit (更生・再生・破産手続の申立て, 取引停止処分, …) for the rule
経営の状況又は信用度が極度に悪化していないこと (000 応募要件(6), 002 2.(5); issue 17)

Revision ID: 0023_credit_events
Revises: 0022_settlements
Create Date: 2026-11-29 21:40:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0023_credit_events'
down_revision = '0022_settlements'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'credit_events',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('company_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=40), nullable=False),
        sa.Column('starts_on', sa.Date(), nullable=False),
        sa.Column('ends_on', sa.Date(), nullable=True),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_credit_events_company_id_companies')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_credit_events')),
    )
    op.create_index(op.f('ix_credit_events_company_id'), 'credit_events', ['company_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_credit_events_company_id'), table_name='credit_events')
    op.drop_table('credit_events')
