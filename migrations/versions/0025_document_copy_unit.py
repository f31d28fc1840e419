"""how a required document's copies are counted: 通 for a letter or certificate (入札書, 委任状,
資格審査結果通知書の写し), 部 for a volume (提案書, 評価項目一覧) [002 様式4] (issue 18: every
document said 部); and a company's FAX number, which 様式4 and the 参加意思確認書 ask for

Revision ID: 0025_document_copy_unit
Revises: 0024_qualification_granted_on
Create Date: 2026-11-29 21:30:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0025_document_copy_unit'
down_revision = '0024_qualification_granted_on'
branch_labels = None
depends_on = None

_LETTERS = ("入札書", "委任状", "通知書", "誓約書", "確認書", "届出書", "申請書", "証明書")


def upgrade():
    op.add_column('companies', sa.Column('fax', sa.String(length=30), nullable=True))
    op.add_column('required_documents', sa.Column('unit', sa.String(length=2), nullable=False, server_default='部'))
    documents = sa.table('required_documents', sa.column('name', sa.String), sa.column('unit', sa.String))
    op.execute(documents.update().where(sa.or_(*(documents.c.name.like(f"%{w}%") for w in _LETTERS)))
               .values(unit='通'))


def downgrade():
    with op.batch_alter_table('required_documents') as batch:
        batch.drop_column('unit')
    with op.batch_alter_table('companies') as batch:
        batch.drop_column('fax')
