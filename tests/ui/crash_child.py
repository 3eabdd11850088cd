"""The real app, headless, in its own process, for the crash tests (test_crash_resume.py).

    python tests/ui/crash_child.py URL CONFIG_DIR MARKER PLAN

The clock is ``CRASH_CLOCK_BASE`` (ISO-8601 with offset, from the environment) plus the minutes
of the action being done, so the parent decides what time every action happens at. PLAN is a
comma-separated list of ``ACTION@MINUTES``: ``signin`` (name + PIN at the counter of the config;
if the counter is in the middle of a visit, the service screen opens by itself), ``call`` (F5),
``start`` (Enter), ``step`` (F8), ``pause`` (F9 + the first listed reason), ``resume`` (F9),
``finish`` (F10 + the first outcome), ``finish_nowait`` (the same, marked as soon as Enter is
pressed, without waiting for the screen: the parent then kills it while the write may still be
under way).

After each action the child waits until the screen shows that it happened (the worker has
finished and the screen reloaded from the database), and only then appends ``reached N ACTION``
to MARKER (flushed and fsynced). After the last action it appends ``blocked`` and waits, the app
still running, until the parent kills it with SIGKILL (or gives up after CRASH_CHILD_MAX_SECONDS,
exit status 3). Any failure: the traceback on stderr and exit status 1.
"""

from __future__ import annotations

import asyncio
import os
import sys
import traceback
from datetime import datetime, timedelta
from pathlib import Path

OFFICER = "สมชาย ใจดี"
PIN = "1234"
COUNTER = "ช่อง 1"


class PlanClock:
    def __init__(self, base: datetime) -> None:
        self.base = base
        self.now = base

    def set(self, minutes: float) -> None:
        self.now = self.base + timedelta(minutes=minutes)

    def __call__(self) -> datetime:
        return self.now


def mark(path: Path, line: str) -> None:
    with open(path, "a", encoding="utf-8") as f:
        f.write(line + "\n")
        f.flush()
        os.fsync(f.fileno())


async def settle(pilot) -> None:
    from textual.worker import WorkerCancelled

    for _ in range(3):
        try:
            await pilot.app.workers.wait_for_complete()
        except WorkerCancelled:  # a superseded refresh
            pass
        await pilot.pause()


async def until(pilot, condition, what: str, seconds: float = 30) -> None:
    """Wait (bounded) until ``condition()`` holds: the screen has confirmed the action."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while True:
        await settle(pilot)
        if condition():
            return
        if loop.time() > deadline:
            raise TimeoutError(f"the screen never confirmed: {what} (screen: {pilot.app.screen})")
        await asyncio.sleep(0.05)


def _service(app):
    from counter_tui.screens.service import ServiceScreen

    screen = app.screen
    if (
        isinstance(screen, ServiceScreen)
        and screen.view is not None
        and screen.view.active is not None
    ):
        return screen
    return None


def _status(app) -> str | None:
    screen = _service(app)
    return screen.view.active.timing.status if screen else None


def _steps_done(app) -> int:
    screen = _service(app)
    return sum(1 for s in screen.view.active.timing.steps if s.completed) if screen else -1


async def run(url: str, config_dir: Path, marker: Path, plan: list[tuple[str, float]]) -> None:
    from textual.widgets import Input

    from counter_tui.app import make_app
    from counter_tui.config import Settings
    from counter_tui.screens.dialogs import ChoiceDialog, ReasonDialog
    from counter_tui.screens.finish import FinishScreen
    from counter_tui.screens.queue import QueueScreen

    clock = PlanClock(datetime.fromisoformat(os.environ["CRASH_CLOCK_BASE"]))
    settings = Settings(config_path=config_dir / "config.toml", database_url=url, counter=COUNTER)
    app = make_app(settings, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        for number, (action, minutes) in enumerate(plan, start=1):
            clock.set(minutes)
            if action == "signin":
                await until(pilot, lambda: app.db.office is not None, "the database opened")
                app.screen.query_one("#name", Input).value = OFFICER
                await pilot.press("enter", "tab", *PIN, "enter")
                await until(
                    pilot,
                    lambda: (
                        isinstance(app.screen, QueueScreen)
                        and app.screen.snapshot is not None
                        or _service(app) is not None
                    ),
                    "signed in",
                )
                # A visit in progress reopens its service screen by itself.
                if (
                    isinstance(app.screen, QueueScreen)
                    and app.screen.snapshot.current
                    and app.screen.snapshot.current.status == "serving"
                ):
                    await until(pilot, lambda: _service(app) is not None, "service resumed")
            elif action == "call":
                await pilot.press("f5")
                await until(
                    pilot,
                    lambda: (
                        isinstance(app.screen, QueueScreen)
                        and app.screen.snapshot is not None
                        and app.screen.snapshot.current is not None
                        and app.screen.snapshot.current.status == "called"
                    ),
                    "called",
                )
            elif action == "start":
                await pilot.press("enter")
                await until(pilot, lambda: _status(app) == "serving", "started")
            elif action == "step":
                before = _steps_done(app)
                await pilot.press("f8")
                await until(
                    pilot,
                    lambda: _steps_done(app) == before + 1,  # noqa: B023 (awaited here)
                    "step completed",
                )
            elif action == "pause":
                await pilot.press("f9")
                await until(pilot, lambda: isinstance(app.screen, ReasonDialog), "reason dialog")
                await pilot.press("enter")
                await until(pilot, lambda: _status(app) == "paused", "paused")
            elif action == "resume":
                await pilot.press("f9")
                await until(pilot, lambda: _status(app) == "serving", "resumed")
            elif action == "finish_nowait":
                # The outcome chosen and the process killed at once: the write may or may not
                # have been committed yet — either way it must be whole.
                await pilot.press("f10")
                await until(pilot, lambda: isinstance(app.screen, ChoiceDialog), "outcomes")
                await pilot.press("enter")
            elif action == "finish":
                await pilot.press("f10")
                await until(pilot, lambda: isinstance(app.screen, ChoiceDialog), "outcomes")
                await pilot.press("enter")
                await until(pilot, lambda: isinstance(app.screen, FinishScreen), "finished")
            else:
                raise ValueError(f"unknown action {action!r}")
            mark(marker, f"reached {number} {action}")
        mark(marker, "blocked")
        await asyncio.sleep(float(os.environ.get("CRASH_CHILD_MAX_SECONDS", "120")))
    sys.exit(3)


def main(argv: list[str]) -> int:
    url, config_dir, marker, plan_text = argv
    plan = []
    for item in plan_text.split(","):
        action, _, minutes = item.partition("@")
        plan.append((action, float(minutes or 0)))
    try:
        asyncio.run(run(url, Path(config_dir), Path(marker), plan))
    except SystemExit:
        raise
    except BaseException:  # noqa: BLE001 - everything goes to stderr for the parent
        traceback.print_exc()
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
