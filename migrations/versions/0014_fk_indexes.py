"""an index on every foreign key: joins and the filters of each page (bids of a company, questions
of a company, cases of a department, …) read by index at a ministry's volume (issue 16)

Revision ID: 0014_fk_indexes
Revises: 0013_award_lapse
Create Date: 2026-11-29 14:08:15.620999

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014_fk_indexes'
down_revision = '0013_award_lapse'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('case_officers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_officers_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('amendment_acknowledgements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_amendment_acknowledgements_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_amendment_acknowledgements_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('amendments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_amendments_made_by_id'), ['made_by_id'], unique=False)

    with op.batch_alter_table('award_decisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_award_decisions_bid_id'), ['bid_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_award_decisions_decided_by_id'), ['decided_by_id'], unique=False)

    with op.batch_alter_table('bid_declines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bid_declines_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_bid_declines_declined_by_id'), ['declined_by_id'], unique=False)

    with op.batch_alter_table('bid_rounds', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bid_rounds_confirmed_by_id'), ['confirmed_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_bid_rounds_requested_by_id'), ['requested_by_id'], unique=False)

    with op.batch_alter_table('bids', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bids_invalid_marked_by_id'), ['invalid_marked_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_bids_submitted_by_id'), ['submitted_by_id'], unique=False)

    with op.batch_alter_table('briefing_registrations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_briefing_registrations_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_briefing_registrations_registered_by_id'), ['registered_by_id'], unique=False)

    with op.batch_alter_table('case_attachments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_attachments_file_id'), ['file_id'], unique=False)

    with op.batch_alter_table('case_keys', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_keys_created_by_id'), ['created_by_id'], unique=False)

    with op.batch_alter_table('case_registrations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_registrations_registered_by_id'), ['registered_by_id'], unique=False)

    with op.batch_alter_table('consensus_marks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consensus_marks_recorded_by_id'), ['recorded_by_id'], unique=False)

    with op.batch_alter_table('contract_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contract_versions_created_by_id'), ['created_by_id'], unique=False)

    with op.batch_alter_table('contracts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contracts_bid_id'), ['bid_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contracts_created_by_id'), ['created_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contracts_signed_file_id'), ['signed_file_id'], unique=False)

    with op.batch_alter_table('deliverables', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_deliverables_rule_id'), ['rule_id'], unique=False)

    with op.batch_alter_table('deliveries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_deliveries_inspected_by_id'), ['inspected_by_id'], unique=False)

    with op.batch_alter_table('delivery_files', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_delivery_files_stored_file_id'), ['stored_file_id'], unique=False)

    with op.batch_alter_table('evaluator_assignments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evaluator_assignments_assigned_by_id'), ['assigned_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_evaluator_assignments_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('hearing_notes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hearing_notes_file_id'), ['file_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_hearing_notes_recorded_by_id'), ['recorded_by_id'], unique=False)

    with op.batch_alter_table('invoices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_invoices_deliverable_id'), ['deliverable_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_invoices_recorded_by_id'), ['recorded_by_id'], unique=False)

    with op.batch_alter_table('lotteries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lotteries_drawn_by_id'), ['drawn_by_id'], unique=False)

    with op.batch_alter_table('low_bid_investigations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_low_bid_investigations_concluded_by_id'), ['concluded_by_id'], unique=False)

    with op.batch_alter_table('participations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_participations_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_participations_decided_by_id'), ['decided_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_participations_qualification_file_id'), ['qualification_file_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_participations_submitted_by_id'), ['submitted_by_id'], unique=False)

    with op.batch_alter_table('procurement_cases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_procurement_cases_created_by_id'), ['created_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_procurement_cases_department_id'), ['department_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_procurement_cases_linked_case_id'), ['linked_case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_procurement_cases_planned_party_id'), ['planned_party_id'], unique=False)

    with op.batch_alter_table('questions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_questions_answered_by_id'), ['answered_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_questions_asked_by_id'), ['asked_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_questions_company_id'), ['company_id'], unique=False)

    with op.batch_alter_table('technical_signoffs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_technical_signoffs_signed_by_id'), ['signed_by_id'], unique=False)

    # ### end Alembic commands ###


def downgrade():
    with op.batch_alter_table('case_officers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_officers_user_id'))

    with op.batch_alter_table('technical_signoffs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_technical_signoffs_signed_by_id'))

    with op.batch_alter_table('questions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_questions_company_id'))
        batch_op.drop_index(batch_op.f('ix_questions_asked_by_id'))
        batch_op.drop_index(batch_op.f('ix_questions_answered_by_id'))

    with op.batch_alter_table('procurement_cases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_procurement_cases_planned_party_id'))
        batch_op.drop_index(batch_op.f('ix_procurement_cases_linked_case_id'))
        batch_op.drop_index(batch_op.f('ix_procurement_cases_department_id'))
        batch_op.drop_index(batch_op.f('ix_procurement_cases_created_by_id'))

    with op.batch_alter_table('participations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_participations_submitted_by_id'))
        batch_op.drop_index(batch_op.f('ix_participations_qualification_file_id'))
        batch_op.drop_index(batch_op.f('ix_participations_decided_by_id'))
        batch_op.drop_index(batch_op.f('ix_participations_company_id'))

    with op.batch_alter_table('low_bid_investigations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_low_bid_investigations_concluded_by_id'))

    with op.batch_alter_table('lotteries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lotteries_drawn_by_id'))

    with op.batch_alter_table('invoices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_invoices_recorded_by_id'))
        batch_op.drop_index(batch_op.f('ix_invoices_deliverable_id'))

    with op.batch_alter_table('hearing_notes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hearing_notes_recorded_by_id'))
        batch_op.drop_index(batch_op.f('ix_hearing_notes_file_id'))

    with op.batch_alter_table('evaluator_assignments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evaluator_assignments_user_id'))
        batch_op.drop_index(batch_op.f('ix_evaluator_assignments_assigned_by_id'))

    with op.batch_alter_table('delivery_files', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_delivery_files_stored_file_id'))

    with op.batch_alter_table('deliveries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_deliveries_inspected_by_id'))

    with op.batch_alter_table('deliverables', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_deliverables_rule_id'))

    with op.batch_alter_table('contracts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contracts_signed_file_id'))
        batch_op.drop_index(batch_op.f('ix_contracts_created_by_id'))
        batch_op.drop_index(batch_op.f('ix_contracts_bid_id'))

    with op.batch_alter_table('contract_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contract_versions_created_by_id'))

    with op.batch_alter_table('consensus_marks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consensus_marks_recorded_by_id'))

    with op.batch_alter_table('case_registrations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_registrations_registered_by_id'))

    with op.batch_alter_table('case_keys', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_keys_created_by_id'))

    with op.batch_alter_table('case_attachments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_attachments_file_id'))

    with op.batch_alter_table('briefing_registrations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_briefing_registrations_registered_by_id'))
        batch_op.drop_index(batch_op.f('ix_briefing_registrations_company_id'))

    with op.batch_alter_table('bids', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bids_submitted_by_id'))
        batch_op.drop_index(batch_op.f('ix_bids_invalid_marked_by_id'))

    with op.batch_alter_table('bid_rounds', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bid_rounds_requested_by_id'))
        batch_op.drop_index(batch_op.f('ix_bid_rounds_confirmed_by_id'))

    with op.batch_alter_table('bid_declines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bid_declines_declined_by_id'))
        batch_op.drop_index(batch_op.f('ix_bid_declines_company_id'))

    with op.batch_alter_table('award_decisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_award_decisions_decided_by_id'))
        batch_op.drop_index(batch_op.f('ix_award_decisions_bid_id'))

    with op.batch_alter_table('amendments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_amendments_made_by_id'))

    with op.batch_alter_table('amendment_acknowledgements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_amendment_acknowledgements_user_id'))
        batch_op.drop_index(batch_op.f('ix_amendment_acknowledgements_company_id'))

    # ### end Alembic commands ###
