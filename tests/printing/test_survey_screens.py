"""The survey at the counter, end to end: the QR on the finish screen and on the queue screen's
key decodes from the rendered screen in both themes; the offer and the rating are recorded and
reach the visits report; the slip prints with its QR; a dead printer loses nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from conftest import FIXED_NOW, settle
from printing_support import decode, qr_store_payloads, rasterise_screenshot
from support.actors import admin_id
from support.office import ticket_in_service

from counter_tui.app import make_app
from counter_tui.config import Settings
from counter_tui.db import models as m
from counter_tui.screens.finish import FinishScreen
from counter_tui.screens.queue import QueueScreen
from counter_tui.services import counters as ct
from counter_tui.services import staff as st
from counter_tui.services import visit as v
from counter_tui.services.reports import visit_rows
from counter_tui.services.settings import set_setting

URL = "https://itas.nacc.go.th/go/eit/xgitdi"


def _served(db, printer: str | None, link: str | None = URL):
    if link:
        set_setting(
            db.id, "survey.eit_url", link, FIXED_NOW, FIXED_NOW.date(), actor_id=admin_id(db.id)
        )
    staff, counter, ticket = ticket_in_service(db.id, "SIGNBOARD_TAX", printer=printer)
    v.finish_application(db.id, counter.id, staff.id, "completed", FIXED_NOW + timedelta(minutes=4))
    return staff, counter, ticket


def _app(db_url, tmp_path, theme=None):
    settings = Settings(config_path=tmp_path / "c.toml", database_url=db_url, theme=theme)
    return make_app(settings, clock=lambda: FIXED_NOW + timedelta(minutes=5))


def _screen_code(app) -> list[str]:
    svg = app.export_screenshot()
    return decode(rasterise_screenshot(svg, app.size))


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light"])
async def test_finish_screen_qr_decodes_and_the_visit_is_rated(db, db_url, tmp_path, theme):
    printed = tmp_path / "printer.bin"
    staff, counter, ticket = _served(db, f"file:{printed}")
    app = _app(db_url, tmp_path, theme)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await app.push_screen(FinishScreen(staff, counter.id, ticket.id))
        await settle(pilot)
        assert _screen_code(app) == [URL]
        offered = m.Event.get((m.Event.kind == "survey_offered") & (m.Event.ticket == ticket.id))
        assert '"how": "screen"' in offered.data and URL in offered.data
        await pilot.press("4")
        await settle(pilot)
        await pilot.press("5")  # a second rating is ignored
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        payloads = qr_store_payloads(printed.read_bytes())
        assert [p.decode() for p in payloads] == [URL]
        await pilot.press("n")
        await settle(pilot)
    row = visit_rows(db.id, FIXED_NOW.date(), FIXED_NOW.date(), FIXED_NOW + timedelta(hours=1))[0]
    assert row["rating"] == 4 and row["survey_offered"] in ("slip", "no_phone")
    hows = [e.data for e in m.Event.select().where(m.Event.kind == "survey_offered")]
    assert (
        len(hows) == 3 and any('"slip"' in h for h in hows) and any('"no_phone"' in h for h in hows)
    )


async def test_a_dead_printer_is_said_and_loses_nothing(db, db_url, tmp_path):
    staff, counter, ticket = _served(db, "tcp://127.0.0.1:1")
    app = _app(db_url, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await app.push_screen(FinishScreen(staff, counter.id, ticket.id))
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        messages = [n.message for n in app._notifications]
        assert any("พิมพ์" in message for message in messages), messages
        assert isinstance(app.screen, FinishScreen)  # still working
    assert m.Ticket.get_by_id(ticket.id).status == "done"
    from counter_tui.paths import data_dir

    assert (data_dir() / "printed" / f"slip-{ticket.id}.pdf").exists()  # written regardless
    assert not m.Event.select().where(m.Event.data.contains('"slip"')).exists()


async def test_missing_link_is_said_where_the_qr_would_be(db, db_url, tmp_path):
    staff, counter, ticket = _served(db, None, link=None)
    app = _app(db_url, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await app.push_screen(FinishScreen(staff, counter.id, ticket.id))
        await settle(pilot)
        view = app.screen.query_one("#survey")
        assert not view.has_code and "ลิงก์" in view.problem
        assert _screen_code(app) == []
    assert not m.Event.select().where(m.Event.kind == "survey_offered").exists()


async def test_queue_screen_key_shows_the_qr_to_waiting_visitors(db, db_url, tmp_path):
    set_setting(db.id, "survey.eit_url", URL, FIXED_NOW, FIXED_NOW.date(), actor_id=admin_id(db.id))
    staff = st.add_staff(db.id, "สมศรี", "officer", "1234", FIXED_NOW, actor_id=admin_id(db.id))
    counter = ct.add_counter(
        db.id, "ช่อง 1", "กองคลัง", ["SIGNBOARD_TAX"], FIXED_NOW, actor_id=admin_id(db.id)
    )
    ct.open_counter(db.id, counter.id, staff.id, FIXED_NOW)
    app = _app(db_url, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await app.push_screen(QueueScreen(staff, counter.id))
        await settle(pilot)
        shown = {
            b.binding.key: b.binding.description
            for b in app.active_bindings.values()
            if b.binding.show
        }
        assert shown.get("v") == "แบบวัด EIT"  # named in the footer
        await pilot.press("v")
        await settle(pilot)
        assert _screen_code(app) == [URL]
