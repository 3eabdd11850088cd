"""Provides the EIT survey at the end of a visit: the link of the fiscal year, and recording that
the survey was offered (how: on screen, on the slip, or the visitor has no phone) and the
visitor's 1-5 satisfaction rating (the office's own satisfaction report; the EIT itself is
answered anonymously on ITAS and never collected here)."""

from __future__ import annotations

from datetime import datetime

from counter_tui.core.thai_dates import local_date
from counter_tui.db import models as m
from counter_tui.db.database import for_update, write_transaction
from counter_tui.errors import UserError
from counter_tui.services.events import append_event
from counter_tui.services.permissions import authorize

HOW = ("screen", "slip", "no_phone")


def survey_link(office_id: int, now: datetime, kind: str = "eit") -> str | None:
    from counter_tui.services.settings import get_setting

    return get_setting(office_id, f"survey.{kind}_url", local_date(now))


def _visit(office_id: int, ticket_id: int) -> m.Ticket:
    """The visit's ticket, its row locked until the transaction ends (PostgreSQL): "once per
    visit" is checked then written, and two terminals at once must take turns."""
    ticket: m.Ticket | None = for_update(
        m.Ticket.select().where((m.Ticket.id == ticket_id) & (m.Ticket.office == office_id))
    ).first()
    if ticket is None:
        raise UserError("no such visit")
    return ticket


def offer_survey(office_id: int, ticket_id: int, staff_id: int, how: str, now: datetime) -> None:
    """Once per visit and way of offering; the link offered is recorded with it."""
    if how not in HOW:
        raise UserError(f"how must be one of {', '.join(HOW)}")
    with write_transaction(m.database_proxy.obj):
        ticket = _visit(office_id, ticket_id)
        authorize(staff_id, "offer_survey", counter_id=ticket.counter_id, office_id=office_id)
        already = (
            m.Event.select()
            .where(
                (m.Event.ticket == ticket_id)
                & (m.Event.kind == "survey_offered")
                & m.Event.data.contains(f'"how": "{how}"')
            )
            .exists()
        )
        if not already:
            append_event(
                office_id,
                "survey_offered",
                now,
                ticket=ticket,
                staff=staff_id,
                how=how,
                url=survey_link(office_id, now),
            )


def rate(office_id: int, ticket_id: int, staff_id: int, rating: int, now: datetime) -> None:
    if rating not in (1, 2, 3, 4, 5):
        raise UserError("ความพึงพอใจต้องเป็น 1 ถึง 5 (rating must be 1 to 5)")
    with write_transaction(m.database_proxy.obj):
        ticket = _visit(office_id, ticket_id)
        authorize(staff_id, "rate", counter_id=ticket.counter_id, office_id=office_id)
        if (
            m.Event.select()
            .where((m.Event.ticket == ticket_id) & (m.Event.kind == "rating_given"))
            .exists()
        ):
            raise UserError("บันทึกความพึงพอใจของการรับบริการนี้แล้ว (rated already)")
        append_event(office_id, "rating_given", now, ticket=ticket, staff=staff_id, rating=rating)
