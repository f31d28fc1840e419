"""e-mail for お知らせ (issue 19): each user's choice (each at once, a daily digest, none), when a
notification went out by mail, and the key that keeps the sweep's reminders from repeating

Revision ID: 0026_mail_preferences
Revises: 0025_document_copy_unit
Create Date: 2026-11-30 00:10:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0026_mail_preferences'
down_revision = '0025_document_copy_unit'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('users', sa.Column('mail_mode', sa.Enum('immediate', 'digest', 'off', name='mailmode',
                                                          native_enum=False, length=12),
                                     nullable=False, server_default='immediate'))
    op.add_column('notifications', sa.Column('mailed_at', sa.DateTime(), nullable=True))
    op.add_column('notifications', sa.Column('key', sa.String(length=120), nullable=True))
    op.create_index('ix_notifications_user_key', 'notifications', ['user_id', 'key'])
    # What was there before is not mailed afresh: the first digest starts from now.
    notifications = sa.table('notifications', sa.column('mailed_at', sa.DateTime()), sa.column('created_at', sa.DateTime()))
    op.execute(notifications.update().values(mailed_at=notifications.c.created_at))


def downgrade():
    op.drop_index('ix_notifications_user_key', table_name='notifications')
    with op.batch_alter_table('notifications') as batch:
        batch.drop_column('key')
        batch.drop_column('mailed_at')
    with op.batch_alter_table('users') as batch:
        batch.drop_column('mail_mode')
