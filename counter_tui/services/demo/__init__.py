"""``counter-tui demo``: realistic simulated activity for an empty database.

The demo fills the N working days up to ``now`` (Asia/Bangkok) of one or more offices with the
rows the real use-cases would have written, as if a busy office had used the app: staff,
counters and settings; tickets issued before and during office hours, peaking mid-morning; a
queue simulated counter by counter under the office's priority policy (so waits grow with the
queue), lunch breaks and field visits; calls, recalls, skips, no-shows and out-of-order calls
with reasons; guided service with the manual's steps timed around their standards, pauses,
corrections, added services; deficiency records (Act s.8) reopened or returned later; cases of
multi-day services with due dates, decisions, result notices and, for services under the Act,
s.10 delay notices; the EIT survey offer and the satisfaction rating after each visit. Today's
visits stop at ``now``: some are waiting, called or being served, so the live screens have
something to show.

Every figure is derived from the events exactly as for real visits (``core.visit_timing``), so
the events carry the kinds, ``data`` JSON and reasons that ``services.queue`` and
``services.visit`` write. Deterministic: one seed and one ``now`` give identical rows (every
random draw comes from ``random.Random`` instances seeded from ``seed``; no set is iterated).

Demo sign-in: every demo staff member (the admin is "ผู้ดูแลระบบ") has the PIN **1234**
(``DEMO_PIN``). The hash is computed once per run with a salt drawn from the seed, so that the
same seed gives the same rows.

The package: ``profile`` (the sample office: services, staff, counters, settings), ``simulation``
(days, arrivals, the queue) and ``serving`` (at the counter and after: steps, deficiency
records, cases), ``rows`` (the rows in the making), ``driver`` (``generate_demo``, a run cut
short); the rows are written by ``counter_tui.db.bulk_load``.
"""

from counter_tui.services.demo.driver import UNFINISHED_KEY, check_sizes, generate_demo
from counter_tui.services.demo.profile import DEMO_PIN

__all__ = ["DEMO_PIN", "UNFINISHED_KEY", "check_sizes", "generate_demo"]
