"""a company's legal form (法人・個人事業主・法人格のない団体) and, for the bodies judged by their
main industry (中小企業団体, 組合, 財団・社団法人, NPO法人: [002 III 3] ⑫～⑮), that industry
(issue 17: such bodies always failed the SME test, and everyone counted as having 法人格)

Revision ID: 0018_company_legal_form
Revises: 0017_contract_conditions
Create Date: 2026-11-30 04:40:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0018_company_legal_form'
down_revision = '0017_contract_conditions'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('companies') as batch:
        batch.add_column(sa.Column('legal_form', sa.String(length=20), nullable=False, server_default='corporation'))
        batch.add_column(sa.Column('principal_industry', sa.String(length=40), nullable=True))


def downgrade():
    with op.batch_alter_table('companies') as batch:
        batch.drop_column('principal_industry')
        batch.drop_column('legal_form')
