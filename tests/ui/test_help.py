"""F1 is a Thai help of the keys that act on the screen now, closed by F1 or Esc; the command
palette offers its commands in Thai; the footer names the palette in Thai."""

from __future__ import annotations

import re

from conftest import FIXED_NOW, settle
from support.actors import add_admin

from counter_tui.app import make_app
from counter_tui.config import Settings
from counter_tui.screens.dashboard import DashboardScreen
from counter_tui.screens.help import KeysHelp

ENGLISH_WORD = re.compile(r"[A-Za-z]{3,}")


async def test_f1_lists_this_screens_keys_in_thai_and_f1_or_esc_closes_it(db, db_url, tmp_path):
    admin = add_admin(db.id)
    app = make_app(
        Settings(config_path=tmp_path / "c.toml", database_url=db_url), clock=lambda: FIXED_NOW
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await app.push_screen(DashboardScreen(admin))
        await settle(pilot)
        dashboard = app.screen
        for close in ("f1", "escape"):
            await pilot.press("f1")
            await settle(pilot)
            assert isinstance(app.screen, KeysHelp)
            shown = dict(app.screen.rows)
            assert shown["r"] == "รายงานสถิติ" and shown["k"] == "เรื่องรับไว้ดำเนินการ"
            assert shown["tab"] == "ไปช่องหรือตารางถัดไป"
            assert "^p" in shown and "^q" in shown
            for description in shown.values():  # no English leaking into the Thai help
                assert not ENGLISH_WORD.search(description.replace("IIT", "")), description
            await pilot.press(close)
            await settle(pilot)
            assert app.screen is dashboard


async def test_the_palette_and_its_footer_key_speak_thai(db, db_url, tmp_path):
    app = make_app(
        Settings(config_path=tmp_path / "c.toml", database_url=db_url), clock=lambda: FIXED_NOW
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert titles and all(
            not ENGLISH_WORD.search(t.replace("IIT", "").replace("QR", "")) for t in titles
        ), titles
        palette = [b for _, b in app._bindings if b.action == "command_palette"]
        assert [b.description for b in palette] == ["คำสั่ง"]


async def test_the_iit_link_missing_names_the_iit_setting_not_the_eit(db, db_url, tmp_path):
    """The staff's IIT QR (Ctrl+P) with no IIT link set says so — not that the EIT is unset."""
    from counter_tui.screens.dialogs import SurveyQRDialog

    app = make_app(
        Settings(config_path=tmp_path / "c.toml", database_url=db_url), clock=lambda: FIXED_NOW
    )
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.action_iit()
        await settle(pilot)
        assert isinstance(app.screen, SurveyQRDialog)
        problem = app.screen.query_one("QRView").problem
        assert "IIT" in problem and "survey.iit_url" in problem
        assert "EIT" not in problem and "survey.eit_url" not in problem
