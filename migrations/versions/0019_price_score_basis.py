"""a case's price-score basis (issue 17): whether 入札価格 in the 価格点 formula and the ceiling is
the amount written on the 入札書 or that amount with tax; NULL compares like with like, as before

Revision ID: 0019_price_score_basis
Revises: 0018_company_legal_form
Create Date: 2026-11-30 04:55:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0019_price_score_basis'
down_revision = '0018_company_legal_form'
branch_labels = None
depends_on = None


def upgrade():
    # A plain ADD COLUMN (no batch rebuild): the SQLite search triggers of 0015 stay.
    op.add_column('procurement_cases', sa.Column('price_score_basis', sa.String(length=20), nullable=True))


def downgrade():
    op.drop_column('procurement_cases', 'price_score_basis')
