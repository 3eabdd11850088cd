"""Provides the peewee models of counter-tui, bound to one ``DatabaseProxy``.

The schema is multi-office from the start: every row hangs off an ``Office``. Timestamps are
naive UTC in the database (``at``, ``issued_at`` …) and turned into aware datetimes by the
services layer; calendar dates (``service_date``, due dates) are Asia/Bangkok dates.

The event log (``Event``) is append-only: migrations install triggers that refuse UPDATE and
DELETE on it. A correction is a new event naming the one it corrects. Personal data of
applicants lives in ``PersonalData`` only, so a retention purge can clear it without touching the
timing events (which never hold names or IDs; they do name the staff member who acted).

These classes are used by ``counter_tui.services`` only; screens never see them.
"""

from __future__ import annotations

from peewee import (
    AutoField,
    BooleanField,
    CharField,
    DatabaseProxy,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)

database_proxy = DatabaseProxy()


class BaseModel(Model):
    # The primary key peewee adds unasked, declared so that its stubs type it both ways: a field
    # on the class (``Ticket.id.desc()``) and an int on a row. Each model gets its own copy (the
    # same column, INTEGER NOT NULL PRIMARY KEY). Each foreign key's ``<fk>_id`` accessor, which
    # peewee adds at run time and its stubs cannot see, is an annotation below (peewee ignores
    # them).
    id = AutoField()

    class Meta:
        database = database_proxy
        legacy_table_names = False


class Office(BaseModel):
    code = CharField(max_length=32, unique=True)
    name = CharField()
    created_at = DateTimeField()


class Setting(BaseModel):
    """An office-wide setting; ``fiscal_year`` is 0 for settings not kept per fiscal year."""

    office = ForeignKeyField(Office, backref="settings")
    office_id: int
    key = CharField(max_length=64)
    fiscal_year = IntegerField(default=0)
    value = TextField()
    updated_at = DateTimeField()

    class Meta:
        indexes = ((("office", "key", "fiscal_year"), True),)


class Unit(BaseModel):
    office = ForeignKeyField(Office, backref="units")
    office_id: int
    name = CharField()

    class Meta:
        indexes = ((("office", "name"), True),)


class Service(BaseModel):
    """One version of one citizen manual. Visits point at the version they were served under."""

    office = ForeignKeyField(Office, backref="services")
    office_id: int
    code = CharField(max_length=40)
    version = IntegerField()
    is_current = BooleanField(default=True)
    name_th = CharField()
    name_en = CharField()
    group_letter = CharField(max_length=1)
    unit = ForeignKeyField(Unit, backref="services")
    unit_id: int
    under_act = BooleanField()
    sensitive = BooleanField(default=False)
    sample = BooleanField(default=False)
    standard_text = CharField(null=True)
    standard_seconds = IntegerField(null=True)
    standard_days = IntegerField(null=True)
    day_kind = CharField(max_length=16, null=True)
    manual_json = TextField()
    content_hash = CharField(max_length=64)
    imported_at = DateTimeField()

    class Meta:
        indexes = (
            (("office", "code", "version"), True),
            (("office", "is_current"), False),
        )


class ServiceStep(BaseModel):
    service = ForeignKeyField(Service, backref="steps")
    service_id: int
    position = IntegerField()
    name_th = CharField()
    unit_name = CharField(null=True)
    standard_text = CharField(null=True)
    standard_seconds = IntegerField(null=True)
    standard_days = IntegerField(null=True)
    day_kind = CharField(max_length=16, null=True)

    class Meta:
        indexes = ((("service", "position"), True),)


class ServiceDocument(BaseModel):
    service = ForeignKeyField(Service, backref="documents")
    service_id: int
    position = IntegerField()
    name_th = CharField()
    originals = IntegerField(null=True)
    copies = IntegerField(null=True)
    unit_word = CharField(max_length=32, null=True)
    condition = TextField(null=True)
    when = CharField(max_length=16, default="always")

    class Meta:
        indexes = ((("service", "position"), True),)


class Staff(BaseModel):
    office = ForeignKeyField(Office, backref="staff")
    office_id: int
    name = CharField()
    role = CharField(max_length=16)
    pin_hash = CharField()
    failed_pins = IntegerField(default=0)  # wrong PINs since the last success
    locked_until = DateTimeField(null=True)
    last_failed_at = DateTimeField(null=True)  # 0009: a clock set back cannot lift a lock
    active = BooleanField(default=True)
    created_at = DateTimeField()
    all_units = BooleanField(default=False)  # migration 0007: the ปลัด, who sees every unit

    class Meta:
        indexes = ((("office", "name"), True),)


class StaffUnit(BaseModel):
    staff = ForeignKeyField(Staff, backref="unit_links")
    staff_id: int
    unit = ForeignKeyField(Unit, backref="staff_links")
    unit_id: int

    class Meta:
        indexes = ((("staff", "unit"), True),)


class Counter(BaseModel):
    """A service point. ``state`` mirrors the latest counter-state event for quick display."""

    office = ForeignKeyField(Office, backref="counters")
    office_id: int
    name = CharField()
    unit = ForeignKeyField(Unit, backref="counters")
    unit_id: int
    printer = CharField(null=True)
    state = CharField(max_length=16, default="closed")
    state_since = DateTimeField(null=True)
    officer = ForeignKeyField(Staff, null=True, backref="counters_held")
    officer_id: int | None
    created_at = DateTimeField()

    class Meta:
        indexes = ((("office", "name"), True),)
        # and migration 0008: UNIQUE (officer) WHERE officer IS NOT NULL (a partial index:
        # an officer holds at most one counter)


class CounterService(BaseModel):
    """The services a counter serves, by code, so that a new manual version keeps its counters."""

    counter = ForeignKeyField(Counter, backref="service_links")
    counter_id: int
    service_code = CharField(max_length=40)

    class Meta:
        indexes = ((("counter", "service_code"), True),)


class Ticket(BaseModel):
    """A visit: one queue ticket, one visitor, one or more applications (services)."""

    office = ForeignKeyField(Office, backref="tickets")
    office_id: int
    service_date = DateField()
    group_letter = CharField(max_length=1)
    seq = IntegerField()
    number = CharField(max_length=8)
    issued_at = DateTimeField()
    issued_by = ForeignKeyField(Staff, null=True, backref="tickets_issued")
    issued_by_id: int | None
    service = ForeignKeyField(Service, backref="tickets")
    service_id: int
    channel = CharField(max_length=16, default="walk_in")
    priority = CharField(max_length=16, null=True)
    status = CharField(max_length=16, default="waiting")
    counter = ForeignKeyField(Counter, null=True, backref="tickets")
    counter_id: int | None
    assigned_counter = ForeignKeyField(Counter, null=True, backref="tickets_handed")
    assigned_counter_id: int | None
    called_at = DateTimeField(null=True)

    class Meta:
        indexes = (
            (("office", "service_date", "group_letter", "seq"), True),
            (("office", "service_date", "status", "issued_at", "id"), False),  # 0004
            (("office", "issued_at"), False),
            (("counter", "status"), False),  # migration 0003
        )


class Application(BaseModel):
    """One service asked for on a ticket, with its application number (kept when reopened)."""

    office = ForeignKeyField(Office, backref="applications")
    office_id: int
    ticket = ForeignKeyField(Ticket, backref="applications")
    ticket_id: int
    number = CharField(max_length=24)
    position = IntegerField(default=1)
    service = ForeignKeyField(Service, backref="applications")
    service_id: int
    counter = ForeignKeyField(Counter, null=True, backref="applications")
    counter_id: int | None
    officer = ForeignKeyField(Staff, null=True, backref="applications")
    officer_id: int | None
    status = CharField(max_length=16, default="waiting")
    created_at = DateTimeField()
    started_at = DateTimeField(null=True)
    finished_at = DateTimeField(null=True)
    outcome = CharField(max_length=16, null=True)

    class Meta:
        indexes = (
            (("office", "number"), True),
            (("office", "created_at"), False),
        )


class PersonalData(BaseModel):
    """Applicant or filer details, apart from events so a retention purge leaves statistics whole."""

    application = ForeignKeyField(Application, backref="people")
    application_id: int
    role = CharField(max_length=16)
    name = CharField(null=True)
    national_id = CharField(max_length=13, null=True)
    address = TextField(null=True)
    phone = CharField(max_length=32, null=True)
    created_at = DateTimeField()

    class Meta:
        indexes = ((("application", "role"), True),)


class Event(BaseModel):
    """The append-only timing log. ``data`` is JSON; it never holds visitor names or IDs."""

    office = ForeignKeyField(Office, backref="events")
    office_id: int
    at = DateTimeField()
    kind = CharField(max_length=32)
    ticket = ForeignKeyField(Ticket, null=True, backref="events")
    ticket_id: int | None
    application = ForeignKeyField(Application, null=True, backref="events")
    application_id: int | None
    counter = ForeignKeyField(Counter, null=True, backref="events")
    counter_id: int | None
    staff = ForeignKeyField(Staff, null=True, backref="events")
    staff_id: int | None
    corrects = ForeignKeyField("self", null=True, backref="corrections")
    corrects_id: int | None
    reason = TextField(null=True)
    data = TextField(null=True)

    class Meta:
        indexes = (
            (("office", "at"), False),
            (("ticket", "at"), False),
            (("application", "at"), False),
        )
        # and migration 0005: (office, at) WHERE kind = 'survey_offered' (a partial index)


class DeficiencyRecord(BaseModel):
    """แบบตรวจสอบคำขอและบันทึกความบกพร่อง (Act s.8): at most one per application."""

    application = ForeignKeyField(Application, unique=True, backref="deficiency")
    application_id: int
    created_at = DateTimeField()
    staff = ForeignKeyField(Staff, backref="deficiency_records")
    staff_id: int
    deadline = DateField()
    missing = TextField()
    checklist = TextField()
    applicant_mark = CharField(max_length=16, default="signature")
    witness_name = CharField(null=True)
    resolved_at = DateTimeField(null=True)
    returned_at = DateTimeField(null=True)
    return_reason = TextField(null=True)


class Case(BaseModel):
    """A multi-day application after the counter: due date, decision, result notice (Act s.10)."""

    application = ForeignKeyField(Application, unique=True, backref="case")
    application_id: int
    opened_at = DateTimeField()
    complete_date = DateField()
    due_date = DateField()
    day_kind = CharField(max_length=16)
    status = CharField(max_length=16, default="open")
    decided_at = DateTimeField(null=True)
    decision = TextField(null=True)
    result_notified_at = DateTimeField(null=True)
    office = ForeignKeyField(Office, backref="cases")  # migration 0006 (its application's)
    office_id: int

    class Meta:
        indexes = (
            (("status", "due_date"), False),
            (("office", "status", "due_date"), False),  # 0006
            (("office", "due_date", "id"), False),  # 0010: the newest cases of an office
        )


class DelayNotice(BaseModel):
    case = ForeignKeyField(Case, backref="delay_notices")
    case_id: int
    number = IntegerField()
    sent_at = DateTimeField()
    sent_by = ForeignKeyField(Staff, backref="delay_notices")
    sent_by_id: int
    reason = TextField()
    copied_to_opdc = BooleanField(default=True)

    class Meta:
        indexes = ((("case", "number"), True),)


class NumberSequence(BaseModel):
    """Running numbers (application numbers per fiscal year), bumped inside the claiming
    transaction so the cost of a new number never grows with history."""

    office = ForeignKeyField(Office, backref="sequences")
    office_id: int
    name = CharField(max_length=32)
    value = IntegerField(default=0)

    class Meta:
        indexes = ((("office", "name"), True),)


class DailyJob(BaseModel):
    """When a once-a-day job of an office last ran (migration 0010): closing the leftover
    tickets (``close_leftovers``), the automatic backup (``backup``)."""

    office = ForeignKeyField(Office, backref="daily_jobs")
    office_id: int
    job = CharField(max_length=32)
    last_day = DateField(null=True)
    last_at = DateTimeField(null=True)
    runs = IntegerField(default=0)

    class Meta:
        indexes = ((("office", "job"), True),)


ALL_MODELS = (
    Office,
    Setting,
    NumberSequence,
    Unit,
    Service,
    ServiceStep,
    ServiceDocument,
    Staff,
    StaffUnit,
    Counter,
    CounterService,
    Ticket,
    Application,
    PersonalData,
    Event,
    DeficiencyRecord,
    Case,
    DelayNotice,
    DailyJob,
)
