"""The QRView widget: the code drawn with its real colours scans in the dark and the light theme
at 120x40; a missing or non-https link shows the warning where the code would be."""

from __future__ import annotations

import pytest
from printing_support import ITAS_URL, decode, rasterise_screenshot
from rich.text import Text
from textual.app import App, ComposeResult
from textual.widgets import Static

from counter_tui.printing.qr import DEFAULT_INVITATION, terminal_lines
from counter_tui.widgets.qr_view import QRView

SIZE = (120, 40)
THEMES = ["textual-dark", "textual-light"]


class QRApp(App[None]):
    def __init__(self, url: str | None, theme: str) -> None:
        super().__init__()
        self.url = url
        self.start_theme = theme

    def compose(self) -> ComposeResult:
        yield QRView(self.url)

    def on_mount(self) -> None:
        self.theme = self.start_theme


async def screenshot(app: App) -> str:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        return app.export_screenshot()


@pytest.mark.parametrize("theme", THEMES)
async def test_the_code_on_screen_scans_in_both_themes(theme):
    svg = await screenshot(QRApp(ITAS_URL, theme))
    image = rasterise_screenshot(svg, SIZE)
    assert decode(image) == [ITAS_URL]


@pytest.mark.parametrize("theme", THEMES)
async def test_theme_coloured_half_blocks_would_not_scan_in_the_dark_theme(theme):
    # The same glyphs in the theme's own colours (no explicit style): in the dark theme they
    # are light on dark and the decoder (inverted retry off) must fail, so the test above can.
    class PlainApp(App[None]):
        def compose(self) -> ComposeResult:
            yield Static(Text("\n".join(terminal_lines(ITAS_URL))))

        def on_mount(self) -> None:
            self.theme = theme

    found = decode(rasterise_screenshot(await screenshot(PlainApp()), SIZE))
    assert found == ([] if theme == "textual-dark" else [ITAS_URL])


async def test_the_code_and_invitation_fit_120x40_with_room_to_spare():
    app = QRApp(ITAS_URL, "textual-dark")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        view = app.query_one(QRView)
        code = view.query_one(".qr-code")
        invitation = view.query_one(".qr-invitation", Static)
        assert view.has_code
        assert code.region.width == len(terminal_lines(ITAS_URL)[0]) <= 41
        assert code.region.height == len(terminal_lines(ITAS_URL)) <= 21
        # centred in the width it is given
        assert abs(code.region.x - (SIZE[0] - code.region.right)) <= 1
        assert invitation.region.y >= code.region.bottom
        assert view.region.height <= 26
        assert "สแกนเพื่อตอบแบบวัดการรับรู้" in str(invitation.render())
        assert str(invitation.render()).startswith(DEFAULT_INVITATION[:20])


@pytest.mark.parametrize("url", [None, "http://itas.nacc.go.th/go/eit/abc"])
@pytest.mark.parametrize("theme", THEMES)
async def test_a_bad_link_shows_the_warning_instead_of_a_code(url, theme):
    app = QRApp(url, theme)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        view = app.query_one(QRView)
        assert not view.has_code
        assert not view.query(".qr-code")
        warning = view.query_one(".qr-problem", Static)
        assert str(warning.render()) == view.problem
        assert "EIT" in view.problem
        expected = app.theme_variables["warning"]
        assert warning.styles.color.hex.lower() == expected.lower()[:7]
        svg = app.export_screenshot()
    assert decode(rasterise_screenshot(svg, SIZE)) == []
    assert "▀" not in svg and "▄" not in svg


async def test_setting_a_link_later_redraws_the_code():
    app = QRApp(None, "textual-light")
    async with app.run_test(size=SIZE) as pilot:
        view = app.query_one(QRView)
        assert not view.has_code
        view.url = ITAS_URL
        await pilot.pause()
        assert view.query(".qr-code")
        svg = app.export_screenshot()
    assert decode(rasterise_screenshot(svg, SIZE)) == [ITAS_URL]
