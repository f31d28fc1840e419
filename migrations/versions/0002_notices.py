"""notices: cases, schedule, eligibility rules, questions, briefings, participations, notifications, files

Revision ID: 0002_notices
Revises: 0001_foundation
Create Date: 2026-11-22 03:08:16.598951

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0002_notices'
down_revision = '0001_foundation'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('notifications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('link', sa.String(length=300), nullable=True),
    sa.Column('read_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notifications_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notifications'))
    )
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notifications_user_id'), ['user_id'], unique=False)

    op.create_table('procurement_cases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=20), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('procedure', sa.Enum('comprehensive_addition', 'comprehensive_division', 'lowest_price', 'prior_confirmation', 'proposal_competition', name='procedure', native_enum=False, length=40), nullable=False),
    sa.Column('state', sa.Enum('draft', 'published', 'submissions_closed', 'opened', 'awarded', 'contracted', 'closed', 'cancelled', 'private_contract', 'competition', name='casestate', native_enum=False, length=30), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('place_of_performance', sa.String(length=300), nullable=True),
    sa.Column('contact_text', sa.Text(), nullable=True),
    sa.Column('notice_on', sa.Date(), nullable=True),
    sa.Column('briefing_at', sa.DateTime(), nullable=True),
    sa.Column('briefing_place', sa.String(length=300), nullable=True),
    sa.Column('briefing_registration_until', sa.DateTime(), nullable=True),
    sa.Column('questions_from', sa.DateTime(), nullable=True),
    sa.Column('questions_until', sa.DateTime(), nullable=True),
    sa.Column('submissions_from', sa.DateTime(), nullable=True),
    sa.Column('submission_deadline', sa.DateTime(), nullable=True),
    sa.Column('hearing_at', sa.DateTime(), nullable=True),
    sa.Column('opening_at', sa.DateTime(), nullable=True),
    sa.Column('opening_place', sa.String(length=300), nullable=True),
    sa.Column('contract_from', sa.Date(), nullable=True),
    sa.Column('contract_to', sa.Date(), nullable=True),
    sa.Column('bid_bond', sa.String(length=200), nullable=False),
    sa.Column('performance_bond', sa.String(length=200), nullable=False),
    sa.Column('payment_terms', sa.Text(), nullable=True),
    sa.Column('price_basis', sa.String(length=20), nullable=False),
    sa.Column('estimated_price_secret', sa.Text(), nullable=True),
    sa.Column('estimated_price_tax_included', sa.Boolean(), nullable=False),
    sa.Column('budget_ceiling', sa.BigInteger(), nullable=True),
    sa.Column('planned_party_id', sa.Integer(), nullable=True),
    sa.Column('linked_case_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('published_at', sa.DateTime(), nullable=True),
    sa.Column('cancelled_at', sa.DateTime(), nullable=True),
    sa.Column('cancel_reason', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_procurement_cases_created_by_id_users')),
    sa.ForeignKeyConstraint(['department_id'], ['departments.id'], name=op.f('fk_procurement_cases_department_id_departments')),
    sa.ForeignKeyConstraint(['linked_case_id'], ['procurement_cases.id'], name=op.f('fk_procurement_cases_linked_case_id_procurement_cases')),
    sa.ForeignKeyConstraint(['planned_party_id'], ['companies.id'], name=op.f('fk_procurement_cases_planned_party_id_companies')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_procurement_cases')),
    sa.UniqueConstraint('reference', name=op.f('uq_procurement_cases_reference'))
    )
    with op.batch_alter_table('procurement_cases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_procurement_cases_published_at'), ['published_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_procurement_cases_state'), ['state'], unique=False)
        batch_op.create_index(batch_op.f('ix_procurement_cases_submission_deadline'), ['submission_deadline'], unique=False)
        batch_op.create_index(batch_op.f('ix_procurement_cases_title'), ['title'], unique=False)

    op.create_table('stored_files',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('uploaded_at', sa.DateTime(), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_stored_files_uploaded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stored_files'))
    )
    with op.batch_alter_table('stored_files', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stored_files_sha256'), ['sha256'], unique=False)

    op.create_table('amendments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('made_at', sa.DateTime(), nullable=False),
    sa.Column('made_by_id', sa.Integer(), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('changes', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['procurement_cases.id'], name=op.f('fk_amendments_case_id_procurement_cases')),
    sa.ForeignKeyConstraint(['made_by_id'], ['users.id'], name=op.f('fk_amendments_made_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_amendments')),
    sa.UniqueConstraint('case_id', 'number', name=op.f('uq_amendments_case_id'))
    )
    with op.batch_alter_table('amendments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_amendments_case_id'), ['case_id'], unique=False)

    op.create_table('briefing_registrations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('registered_by_id', sa.Integer(), nullable=False),
    sa.Column('registered_at', sa.DateTime(), nullable=False),
    sa.Column('attendees_secret', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['procurement_cases.id'], name=op.f('fk_briefing_registrations_case_id_procurement_cases')),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_briefing_registrations_company_id_companies')),
    sa.ForeignKeyConstraint(['registered_by_id'], ['users.id'], name=op.f('fk_briefing_registrations_registered_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_briefing_registrations')),
    sa.UniqueConstraint('case_id', 'company_id', name=op.f('uq_briefing_registrations_case_id'))
    )
    with op.batch_alter_table('briefing_registrations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_briefing_registrations_case_id'), ['case_id'], unique=False)

    op.create_table('case_attachments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('file_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['procurement_cases.id'], name=op.f('fk_case_attachments_case_id_procurement_cases')),
    sa.ForeignKeyConstraint(['file_id'], ['stored_files.id'], name=op.f('fk_case_attachments_file_id_stored_files')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_attachments'))
    )
    with op.batch_alter_table('case_attachments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_attachments_case_id'), ['case_id'], unique=False)

    op.create_table('case_officers',
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['procurement_cases.id'], name=op.f('fk_case_officers_case_id_procurement_cases')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_case_officers_user_id_users')),
    sa.PrimaryKeyConstraint('case_id', 'user_id', name=op.f('pk_case_officers'))
    )
    op.create_table('case_registrations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('registered_at', sa.DateTime(), nullable=False),
    sa.Column('registered_by_id', sa.Integer(), nullable=False),
    sa.Column('nda_signed_on', sa.Date(), nullable=True),
    sa.Column('documents_viewed_on', sa.Date(), nullable=True),
    sa.Column('viewing_appointment_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['procurement_cases.id'], name=op.f('fk_case_registrations_case_id_procurement_cases')),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_case_registrations_company_id_companies')),
    sa.ForeignKeyConstraint(['registered_by_id'], ['users.id'], name=op.f('fk_case_registrations_registered_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_registrations')),
    sa.UniqueConstraint('case_id', 'company_id', name=op.f('uq_case_registrations_case_id'))
    )
    with op.batch_alter_table('case_registrations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_registrations_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_registrations_company_id'), ['company_id'], unique=False)

    op.create_table('eligibility_rules',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('params', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['procurement_cases.id'], name=op.f('fk_eligibility_rules_case_id_procurement_cases')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_eligibility_rules'))
    )
    with op.batch_alter_table('eligibility_rules', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_eligibility_rules_case_id'), ['case_id'], unique=False)

    op.create_table('participations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('submitted_by_id', sa.Integer(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(), nullable=False),
    sa.Column('business_summary', sa.Text(), nullable=False),
    sa.Column('track_record', sa.Text(), nullable=True),
    sa.Column('handlers_secret', sa.Text(), nullable=False),
    sa.Column('structure_secret', sa.Text(), nullable=False),
    sa.Column('qualification_file_id', sa.Integer(), nullable=True),
    sa.Column('decision', sa.String(length=20), nullable=False),
    sa.Column('decision_reason', sa.Text(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['procurement_cases.id'], name=op.f('fk_participations_case_id_procurement_cases')),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_participations_company_id_companies')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_participations_decided_by_id_users')),
    sa.ForeignKeyConstraint(['qualification_file_id'], ['stored_files.id'], name=op.f('fk_participations_qualification_file_id_stored_files')),
    sa.ForeignKeyConstraint(['submitted_by_id'], ['users.id'], name=op.f('fk_participations_submitted_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_participations')),
    sa.UniqueConstraint('case_id', 'company_id', name=op.f('uq_participations_case_id'))
    )
    with op.batch_alter_table('participations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_participations_case_id'), ['case_id'], unique=False)

    op.create_table('questions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('asked_by_id', sa.Integer(), nullable=False),
    sa.Column('asked_at', sa.DateTime(), nullable=False),
    sa.Column('document', sa.String(length=200), nullable=False),
    sa.Column('page', sa.String(length=20), nullable=True),
    sa.Column('item', sa.String(length=200), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('answer', sa.Text(), nullable=True),
    sa.Column('answered_by_id', sa.Integer(), nullable=True),
    sa.Column('published_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['answered_by_id'], ['users.id'], name=op.f('fk_questions_answered_by_id_users')),
    sa.ForeignKeyConstraint(['asked_by_id'], ['users.id'], name=op.f('fk_questions_asked_by_id_users')),
    sa.ForeignKeyConstraint(['case_id'], ['procurement_cases.id'], name=op.f('fk_questions_case_id_procurement_cases')),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_questions_company_id_companies')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_questions')),
    sa.UniqueConstraint('case_id', 'number', name=op.f('uq_questions_case_id'))
    )
    with op.batch_alter_table('questions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_questions_case_id'), ['case_id'], unique=False)

    op.create_table('required_documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('copies', sa.Integer(), nullable=False),
    sa.Column('mandatory', sa.Boolean(), nullable=False),
    sa.Column('note', sa.String(length=300), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['procurement_cases.id'], name=op.f('fk_required_documents_case_id_procurement_cases')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_required_documents'))
    )
    with op.batch_alter_table('required_documents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_required_documents_case_id'), ['case_id'], unique=False)

    op.create_table('amendment_acknowledgements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('amendment_id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('acknowledged_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['amendment_id'], ['amendments.id'], name=op.f('fk_amendment_acknowledgements_amendment_id_amendments')),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_amendment_acknowledgements_company_id_companies')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_amendment_acknowledgements_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_amendment_acknowledgements')),
    sa.UniqueConstraint('amendment_id', 'company_id', name=op.f('uq_amendment_acknowledgements_amendment_id'))
    )
    with op.batch_alter_table('amendment_acknowledgements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_amendment_acknowledgements_amendment_id'), ['amendment_id'], unique=False)



def downgrade():
    with op.batch_alter_table('amendment_acknowledgements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_amendment_acknowledgements_amendment_id'))

    op.drop_table('amendment_acknowledgements')
    with op.batch_alter_table('required_documents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_required_documents_case_id'))

    op.drop_table('required_documents')
    with op.batch_alter_table('questions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_questions_case_id'))

    op.drop_table('questions')
    with op.batch_alter_table('participations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_participations_case_id'))

    op.drop_table('participations')
    with op.batch_alter_table('eligibility_rules', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_eligibility_rules_case_id'))

    op.drop_table('eligibility_rules')
    with op.batch_alter_table('case_registrations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_registrations_company_id'))
        batch_op.drop_index(batch_op.f('ix_case_registrations_case_id'))

    op.drop_table('case_registrations')
    op.drop_table('case_officers')
    with op.batch_alter_table('case_attachments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_attachments_case_id'))

    op.drop_table('case_attachments')
    with op.batch_alter_table('briefing_registrations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_briefing_registrations_case_id'))

    op.drop_table('briefing_registrations')
    with op.batch_alter_table('amendments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_amendments_case_id'))

    op.drop_table('amendments')
    with op.batch_alter_table('stored_files', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stored_files_sha256'))

    op.drop_table('stored_files')
    with op.batch_alter_table('procurement_cases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_procurement_cases_title'))
        batch_op.drop_index(batch_op.f('ix_procurement_cases_submission_deadline'))
        batch_op.drop_index(batch_op.f('ix_procurement_cases_state'))
        batch_op.drop_index(batch_op.f('ix_procurement_cases_published_at'))

    op.drop_table('procurement_cases')
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notifications_user_id'))

    op.drop_table('notifications')
