"""One working day of a small office as the release with migrations 0001-0006 wrote it, in plain
SQL against that schema (valid on SQLite and PostgreSQL alike).

Ids are left to the database: on a fresh database they run 1, 2, 3... in insert order, and the
foreign keys below name them so. Times are naive UTC, as the app stores them (10:00 in Bangkok is
03:00). The day, Tuesday 24 November 2026 (fiscal year 2570), at อบต.หนองบัว:

- E001 ภาษีป้าย (elderly): called at 10:02 at ช่อง 1 by สมศรี, started 10:03, first step done
  10:05, paused 10:06-10:09 (a photocopy), finished completed 10:12 (6 min of service against a
  5 min standard: late); offered the survey on the slip, rated 4.
- E002 ภาษีป้าย: called 10:14, skipped 10:15 (not at the waiting area), called again 10:16,
  started 10:17, finished completed 10:21 (4 min: on time); offered on the screen, rated 5.
- A001 ลงทะเบียนผู้สูงอายุ at ช่อง 2 by สมชาย: called 10:21, started 10:22, documents missing
  10:30 (a deficiency record, deadline 1 December), back with them 10:40, accepted 10:44
  (12 min of service against 60: on time); not offered the survey.
- A002 ลงทะเบียนผู้สูงอายุ: called 10:46, a no-show at 10:47.
- C001 ขออนุญาตก่อสร้าง at ช่อง 3 by สมศรี: called 10:51, started 10:52, accepted 11:00 (no
  counter-time standard), a case due 8 December; offered the survey (no phone), no rating. The
  case is still undecided on 10 December, when the first delay notice (s.10) is sent.
- E003 ภาษีป้าย: issued 10:55, still waiting when the day's figures are read.
"""

from __future__ import annotations

from datetime import UTC, datetime

MIGRATIONS = 6
"""The schema is the one migrations 0001 to 0006 make."""

NOW = datetime(2026, 12, 15, 3, 0, tzinfo=UTC)
"""When the figures are read: 10:00 in Bangkok on 15 December 2026, the case then overdue."""

DAY_DATE = "2026-11-24"

_MANUAL = '{"format": 1}'

DAY: tuple[str, ...] = (
    # the office, its units, its services (with standards), their steps
    "INSERT INTO office (code, name, created_at) "
    "VALUES ('nb', 'อบต.หนองบัว', '2026-11-01 02:00:00')",
    "INSERT INTO unit (office_id, name) VALUES (1, 'กองคลัง')",
    "INSERT INTO unit (office_id, name) VALUES (1, 'สำนักปลัด')",
    "INSERT INTO unit (office_id, name) VALUES (1, 'กองช่าง')",
    "INSERT INTO service (office_id, code, version, is_current, name_th, name_en, group_letter, "
    "unit_id, under_act, sensitive, sample, standard_text, standard_seconds, standard_days, "
    "day_kind, manual_json, content_hash, imported_at) VALUES (1, 'SIGNBOARD_TAX', 1, TRUE, "
    "'การชำระภาษีป้าย', 'Signboard tax', 'E', 1, FALSE, FALSE, FALSE, '5 นาที', 300, NULL, NULL, "
    f"'{_MANUAL}', 'h1', '2026-11-01 02:00:00')",
    "INSERT INTO service (office_id, code, version, is_current, name_th, name_en, group_letter, "
    "unit_id, under_act, sensitive, sample, standard_text, standard_seconds, standard_days, "
    "day_kind, manual_json, content_hash, imported_at) VALUES (1, 'ELDERLY_ALLOWANCE_REG', 1, "
    "TRUE, 'การลงทะเบียนและยื่นคำขอรับเงินเบี้ยยังชีพผู้สูงอายุ', 'Elderly allowance registration', "
    "'A', 2, TRUE, TRUE, FALSE, '60 นาที', 3600, NULL, NULL, "
    f"'{_MANUAL}', 'h2', '2026-11-01 02:00:00')",
    "INSERT INTO service (office_id, code, version, is_current, name_th, name_en, group_letter, "
    "unit_id, under_act, sensitive, sample, standard_text, standard_seconds, standard_days, "
    "day_kind, manual_json, content_hash, imported_at) VALUES (1, 'BUILDING_PERMIT_S21', 1, TRUE, "
    "'การขออนุญาตก่อสร้างอาคาร', 'Building permit', 'C', 3, TRUE, FALSE, FALSE, '14 วัน', NULL, "
    f"14, 'unknown', '{_MANUAL}', 'h3', '2026-11-01 02:00:00')",
    "INSERT INTO service_step (service_id, position, name_th, unit_name, standard_text, "
    "standard_seconds, standard_days, day_kind) "
    "VALUES (1, 1, 'ตรวจแบบ ภ.ป.1', 'กองคลัง', '2 นาที', 120, NULL, NULL)",
    "INSERT INTO service_step (service_id, position, name_th, unit_name, standard_text, "
    "standard_seconds, standard_days, day_kind) "
    "VALUES (1, 2, 'ชำระเงินและรับใบเสร็จ', 'กองคลัง', NULL, NULL, NULL, NULL)",
    "INSERT INTO service_document (service_id, position, name_th, originals, copies, unit_word, "
    "condition, \"when\") VALUES (2, 1, 'บัตรประจำตัวประชาชน', 1, 1, 'ฉบับ', NULL, 'always')",
    "INSERT INTO service_document (service_id, position, name_th, originals, copies, unit_word, "
    "condition, \"when\") VALUES (2, 2, 'สำเนาทะเบียนบ้าน', NULL, 1, 'ฉบับ', NULL, 'always')",
    "INSERT INTO setting (office_id, key, fiscal_year, value, updated_at) "
    "VALUES (1, 'office.address', 0, '1 หมู่ 1 ต.หนองบัว', '2026-11-01 02:00:00')",
    # staff (PINs are not used here), their units, the counters and their services
    "INSERT INTO staff (office_id, name, role, pin_hash, failed_pins, locked_until, active, "
    "created_at) VALUES (1, 'สมศรี ใจดี', 'officer', 'unused', 0, NULL, TRUE, '2026-11-01 02:00:00')",
    "INSERT INTO staff (office_id, name, role, pin_hash, failed_pins, locked_until, active, "
    "created_at) VALUES (1, 'สมชาย มีสุข', 'officer', 'unused', 1, NULL, TRUE, "
    "'2026-11-01 02:00:00')",
    "INSERT INTO staff (office_id, name, role, pin_hash, failed_pins, locked_until, active, "
    "created_at) VALUES (1, 'หัวหน้า คลัง', 'supervisor', 'unused', 0, NULL, TRUE, "
    "'2026-11-01 02:00:00')",
    "INSERT INTO staff_unit (staff_id, unit_id) VALUES (3, 1)",
    "INSERT INTO counter (office_id, name, unit_id, printer, state, state_since, officer_id, "
    "created_at) VALUES (1, 'ช่อง 1', 1, NULL, 'closed', '2026-11-24 03:48:00', NULL, "
    "'2026-11-01 02:00:00')",
    "INSERT INTO counter (office_id, name, unit_id, printer, state, state_since, officer_id, "
    "created_at) VALUES (1, 'ช่อง 2', 2, NULL, 'open', '2026-11-24 03:20:00', 2, "
    "'2026-11-01 02:00:00')",
    "INSERT INTO counter (office_id, name, unit_id, printer, state, state_since, officer_id, "
    "created_at) VALUES (1, 'ช่อง 3', 3, NULL, 'closed', '2026-11-24 04:02:00', NULL, "
    "'2026-11-01 02:00:00')",
    "INSERT INTO counter_service (counter_id, service_code) VALUES (1, 'SIGNBOARD_TAX')",
    "INSERT INTO counter_service (counter_id, service_code) VALUES (2, 'ELDERLY_ALLOWANCE_REG')",
    "INSERT INTO counter_service (counter_id, service_code) VALUES (3, 'BUILDING_PERMIT_S21')",
    # the day's tickets (1 E001, 2 E002, 3 A001, 4 A002, 5 C001, 6 E003) and their applications
    "INSERT INTO ticket (office_id, service_date, group_letter, seq, number, issued_at, "
    "issued_by_id, service_id, channel, priority, status, counter_id, assigned_counter_id, "
    "called_at) VALUES (1, '2026-11-24', 'E', 1, 'E001', '2026-11-24 03:00:00', NULL, 1, "
    "'walk_in', 'elderly', 'done', 1, NULL, '2026-11-24 03:02:00')",
    "INSERT INTO ticket (office_id, service_date, group_letter, seq, number, issued_at, "
    "issued_by_id, service_id, channel, priority, status, counter_id, assigned_counter_id, "
    "called_at) VALUES (1, '2026-11-24', 'E', 2, 'E002', '2026-11-24 03:01:00', NULL, 1, "
    "'walk_in', NULL, 'done', 1, NULL, '2026-11-24 03:16:00')",
    "INSERT INTO ticket (office_id, service_date, group_letter, seq, number, issued_at, "
    "issued_by_id, service_id, channel, priority, status, counter_id, assigned_counter_id, "
    "called_at) VALUES (1, '2026-11-24', 'A', 1, 'A001', '2026-11-24 03:20:00', NULL, 2, "
    "'walk_in', NULL, 'done', 2, NULL, '2026-11-24 03:21:00')",
    "INSERT INTO ticket (office_id, service_date, group_letter, seq, number, issued_at, "
    "issued_by_id, service_id, channel, priority, status, counter_id, assigned_counter_id, "
    "called_at) VALUES (1, '2026-11-24', 'A', 2, 'A002', '2026-11-24 03:45:00', NULL, 2, "
    "'walk_in', NULL, 'no_show', 2, NULL, '2026-11-24 03:46:00')",
    "INSERT INTO ticket (office_id, service_date, group_letter, seq, number, issued_at, "
    "issued_by_id, service_id, channel, priority, status, counter_id, assigned_counter_id, "
    "called_at) VALUES (1, '2026-11-24', 'C', 1, 'C001', '2026-11-24 03:50:00', NULL, 3, "
    "'walk_in', NULL, 'done', 3, NULL, '2026-11-24 03:51:00')",
    "INSERT INTO ticket (office_id, service_date, group_letter, seq, number, issued_at, "
    "issued_by_id, service_id, channel, priority, status, counter_id, assigned_counter_id, "
    "called_at) VALUES (1, '2026-11-24', 'E', 3, 'E003', '2026-11-24 03:55:00', NULL, 1, "
    "'walk_in', NULL, 'waiting', NULL, NULL, NULL)",
    "INSERT INTO application (office_id, ticket_id, number, position, service_id, counter_id, "
    "officer_id, status, created_at, started_at, finished_at, outcome) VALUES (1, 1, '1/2570', 1, "
    "1, 1, 1, 'finished', '2026-11-24 03:00:00', '2026-11-24 03:03:00', '2026-11-24 03:12:00', "
    "'completed')",
    "INSERT INTO application (office_id, ticket_id, number, position, service_id, counter_id, "
    "officer_id, status, created_at, started_at, finished_at, outcome) VALUES (1, 2, '2/2570', 1, "
    "1, 1, 1, 'finished', '2026-11-24 03:01:00', '2026-11-24 03:17:00', '2026-11-24 03:21:00', "
    "'completed')",
    "INSERT INTO application (office_id, ticket_id, number, position, service_id, counter_id, "
    "officer_id, status, created_at, started_at, finished_at, outcome) VALUES (1, 3, '3/2570', 1, "
    "2, 2, 2, 'finished', '2026-11-24 03:20:00', '2026-11-24 03:22:00', '2026-11-24 03:44:00', "
    "'accepted')",
    "INSERT INTO application (office_id, ticket_id, number, position, service_id, counter_id, "
    "officer_id, status, created_at, started_at, finished_at, outcome) VALUES (1, 4, '4/2570', 1, "
    "2, NULL, NULL, 'no_show', '2026-11-24 03:45:00', NULL, NULL, 'no_show')",
    "INSERT INTO application (office_id, ticket_id, number, position, service_id, counter_id, "
    "officer_id, status, created_at, started_at, finished_at, outcome) VALUES (1, 5, '5/2570', 1, "
    "3, 3, 1, 'finished', '2026-11-24 03:50:00', '2026-11-24 03:52:00', '2026-11-24 04:00:00', "
    "'accepted')",
    "INSERT INTO application (office_id, ticket_id, number, position, service_id, counter_id, "
    "officer_id, status, created_at, started_at, finished_at, outcome) VALUES (1, 6, '6/2570', 1, "
    "1, NULL, NULL, 'waiting', '2026-11-24 03:55:00', NULL, NULL, NULL)",
    "INSERT INTO number_sequence (office_id, name, value) VALUES (1, 'application-2570', 6)",
    "INSERT INTO personal_data (application_id, role, name, national_id, address, phone, "
    "created_at) VALUES (3, 'applicant', 'นางสมใจ ทดสอบ', '3012304567082', '5 หมู่ 2', NULL, "
    "'2026-11-24 03:23:00')",
    "INSERT INTO deficiency_record (application_id, created_at, staff_id, deadline, missing, "
    "checklist, applicant_mark, witness_name, resolved_at, returned_at, return_reason) VALUES "
    "(3, '2026-11-24 03:30:00', 2, '2026-12-01', '[\"สำเนาทะเบียนบ้าน\"]', "
    "'[[\"บัตรประจำตัวประชาชน\", true], [\"สำเนาทะเบียนบ้าน\", false]]', 'signature', NULL, "
    "'2026-11-24 03:40:00', NULL, NULL)",
    'INSERT INTO "case" (application_id, opened_at, complete_date, due_date, day_kind, status, '
    "decided_at, decision, result_notified_at, office_id) VALUES (5, '2026-11-24 04:00:00', "
    "'2026-11-24', '2026-12-08', 'unknown', 'open', NULL, NULL, NULL, 1)",
    "INSERT INTO delay_notice (case_id, number, sent_at, sent_by_id, reason, copied_to_opdc) "
    "VALUES (1, 1, '2026-12-10 03:00:00', 1, 'รอความเห็นวิศวกรโยธา', TRUE)",
    # the event log, in the order it was written
    *(
        "INSERT INTO event (office_id, at, kind, ticket_id, application_id, counter_id, "
        f"staff_id, corrects_id, reason, data) VALUES (1, {row})"
        for row in (
            "'2026-11-24 03:00:00', 'counter_state', NULL, NULL, 1, 1, NULL, NULL, "
            '\'{"state": "open", "previous": "closed"}\'',
            "'2026-11-24 03:00:00', 'issued', 1, 1, NULL, NULL, NULL, NULL, '{\"service\": "
            '"SIGNBOARD_TAX", "version": 1, "channel": "walk_in", "priority": "elderly"}\'',
            "'2026-11-24 03:01:00', 'issued', 2, 2, NULL, NULL, NULL, NULL, '{\"service\": "
            '"SIGNBOARD_TAX", "version": 1, "channel": "walk_in", "priority": null}\'',
            "'2026-11-24 03:02:00', 'called', 1, NULL, 1, 1, NULL, NULL, '{\"policy\": \"fifo\"}'",
            "'2026-11-24 03:03:00', 'started', 1, 1, 1, 1, NULL, NULL, NULL",
            "'2026-11-24 03:05:00', 'step_completed', 1, 1, 1, 1, NULL, NULL, '{\"step\": 0}'",
            "'2026-11-24 03:06:00', 'paused', 1, 1, 1, 1, NULL, 'ไปถ่ายเอกสาร', NULL",
            "'2026-11-24 03:09:00', 'resumed', 1, 1, 1, 1, NULL, NULL, NULL",
            "'2026-11-24 03:12:00', 'finished', 1, 1, 1, 1, NULL, NULL, "
            '\'{"outcome": "completed"}\'',
            "'2026-11-24 03:12:00', 'survey_offered', 1, NULL, NULL, 1, NULL, NULL, "
            '\'{"how": "slip", "url": null}\'',
            "'2026-11-24 03:13:00', 'rating_given', 1, NULL, NULL, 1, NULL, NULL, '{\"rating\": 4}'",
            "'2026-11-24 03:14:00', 'called', 2, NULL, 1, 1, NULL, NULL, '{\"policy\": \"fifo\"}'",
            "'2026-11-24 03:15:00', 'skipped', 2, NULL, 1, 1, NULL, 'ไม่อยู่ที่จุดรอ', NULL",
            "'2026-11-24 03:16:00', 'called', 2, NULL, 1, 1, NULL, NULL, '{\"policy\": \"fifo\"}'",
            "'2026-11-24 03:17:00', 'started', 2, 2, 1, 1, NULL, NULL, NULL",
            "'2026-11-24 03:20:00', 'counter_state', NULL, NULL, 2, 2, NULL, NULL, "
            '\'{"state": "open", "previous": "closed"}\'',
            "'2026-11-24 03:20:00', 'issued', 3, 3, NULL, NULL, NULL, NULL, '{\"service\": "
            '"ELDERLY_ALLOWANCE_REG", "version": 1, "channel": "walk_in", '
            '"priority": null}\'',
            "'2026-11-24 03:21:00', 'finished', 2, 2, 1, 1, NULL, NULL, "
            '\'{"outcome": "completed"}\'',
            "'2026-11-24 03:21:00', 'survey_offered', 2, NULL, NULL, 1, NULL, NULL, "
            '\'{"how": "screen", "url": null}\'',
            "'2026-11-24 03:21:00', 'called', 3, NULL, 2, 2, NULL, NULL, '{\"policy\": \"fifo\"}'",
            "'2026-11-24 03:21:30', 'rating_given', 2, NULL, NULL, 1, NULL, NULL, '{\"rating\": 5}'",
            "'2026-11-24 03:22:00', 'started', 3, 3, 2, 2, NULL, NULL, NULL",
            "'2026-11-24 03:30:00', 'documents_missing', 3, 3, 2, 2, NULL, NULL, "
            '\'{"deadline": "2026-12-01", "missing": 1}\'',
            "'2026-11-24 03:40:00', 'reopened', 3, 3, 2, 2, NULL, NULL, NULL",
            "'2026-11-24 03:44:00', 'finished', 3, 3, 2, 2, NULL, NULL, "
            '\'{"outcome": "accepted"}\'',
            "'2026-11-24 03:45:00', 'issued', 4, 4, NULL, NULL, NULL, NULL, '{\"service\": "
            '"ELDERLY_ALLOWANCE_REG", "version": 1, "channel": "walk_in", '
            '"priority": null}\'',
            "'2026-11-24 03:46:00', 'called', 4, NULL, 2, 2, NULL, NULL, '{\"policy\": \"fifo\"}'",
            "'2026-11-24 03:47:00', 'no_show', 4, NULL, 2, 2, NULL, 'ไม่มาตามเรียก', NULL",
            "'2026-11-24 03:48:00', 'counter_state', NULL, NULL, 1, 1, NULL, NULL, "
            '\'{"state": "closed", "previous": "open"}\'',
            "'2026-11-24 03:49:00', 'counter_state', NULL, NULL, 3, 1, NULL, NULL, "
            '\'{"state": "open", "previous": "closed"}\'',
            "'2026-11-24 03:50:00', 'issued', 5, 5, NULL, NULL, NULL, NULL, '{\"service\": "
            '"BUILDING_PERMIT_S21", "version": 1, "channel": "walk_in", "priority": null}\'',
            "'2026-11-24 03:51:00', 'called', 5, NULL, 3, 1, NULL, NULL, '{\"policy\": \"fifo\"}'",
            "'2026-11-24 03:52:00', 'started', 5, 5, 3, 1, NULL, NULL, NULL",
            "'2026-11-24 03:55:00', 'issued', 6, 6, NULL, NULL, NULL, NULL, '{\"service\": "
            '"SIGNBOARD_TAX", "version": 1, "channel": "walk_in", "priority": null}\'',
            "'2026-11-24 04:00:00', 'finished', 5, 5, 3, 1, NULL, NULL, "
            '\'{"outcome": "accepted"}\'',
            "'2026-11-24 04:00:00', 'case_opened', 5, 5, 3, 1, NULL, NULL, "
            '\'{"due": "2026-12-08", "day_kind": "unknown"}\'',
            "'2026-11-24 04:00:00', 'survey_offered', 5, NULL, NULL, 1, NULL, NULL, "
            '\'{"how": "no_phone", "url": null}\'',
            "'2026-11-24 04:02:00', 'counter_state', NULL, NULL, 3, 1, NULL, NULL, "
            '\'{"state": "closed", "previous": "open"}\'',
            "'2026-12-10 03:00:00', 'delay_notice_sent', 5, 5, NULL, 1, NULL, "
            "'รอความเห็นวิศวกรโยธา', '{\"number\": 1, \"copied_to_opdc\": true}'",
        )
    ),
)
