"""Provides ``ShowsWorkerErrors``: screens and dialogs hand their workers' failures to the app.

``Worker.StateChanged`` does not bubble, so without this a refusal raised in a screen's worker
(a validation error, "finish the current ticket first") would vanish without a word.
"""

from __future__ import annotations

from textual.worker import Worker


class ShowsWorkerErrors:
    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        self.app.report_worker_error(event)  # type: ignore[attr-defined]
