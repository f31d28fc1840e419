"""contract conditions as data (issue 17): each authority names the seed whose conditions its
contracts start from (authorities.preset), and each contract carries its own (contracts.conditions:
payment, interest day count, penalties and their base, holidays); the collusion flag goes, since
its "20/100 added to the 10/100" was no seed's rule

Revision ID: 0017_contract_conditions
Revises: 0016_round_deadline_index
Create Date: 2026-11-30 04:20:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0017_contract_conditions'
down_revision = '0016_round_deadline_index'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('authorities') as batch:
        batch.add_column(sa.Column('preset', sa.String(length=20), nullable=False, server_default='ipa'))
    with op.batch_alter_table('contracts') as batch:
        batch.add_column(sa.Column('conditions', sa.JSON(), nullable=True))
        batch.drop_column('collusion_damages')


def downgrade():
    with op.batch_alter_table('contracts') as batch:
        batch.add_column(sa.Column('collusion_damages', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.drop_column('conditions')
    with op.batch_alter_table('authorities') as batch:
        batch.drop_column('preset')
