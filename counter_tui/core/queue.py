"""Provides the queue rules: ticket numbers, priority categories, channels, and the policy that
chooses the next ticket (never the officer's preference).

Policies:

- ``fifo``: first come, first served, by issue time.
- ``priority``: priority categories first, but a waiting normal ticket is overtaken by at most
  ``max_overtake`` priority tickets issued after it; once it has been overtaken that often it is
  called next.

``overtaken`` maps a waiting normal ticket to how many priority tickets issued after it have
already been called; the services layer counts those inside the claiming transaction.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

PRIORITY_CATEGORIES: dict[str, tuple[str, str]] = {
    "elderly": ("ผู้สูงอายุ 60 ปีขึ้นไป", "Elderly (60+)"),
    "disabled": ("ผู้พิการ", "Person with a disability"),
    "pregnant": ("หญิงตั้งครรภ์", "Pregnant woman"),
    "monk": ("พระภิกษุสงฆ์/นักบวช", "Monk or clergy"),
}

CHANNELS: dict[str, tuple[str, str]] = {
    "walk_in": ("ติดต่อด้วยตนเอง", "Walk-in"),
    "phone": ("โทรศัพท์", "Phone"),
    "letter": ("หนังสือ/ไปรษณีย์", "Letter"),
    "e_service": ("e-Service", "e-Service"),
    "online": ("ออนไลน์", "Online"),
}

POLICIES = ("fifo", "priority")

# Reasons offered in the dialogs (free text may be added); stored as given.
OUT_OF_ORDER_REASONS = ("ผู้รับบริการนัดหมายไว้", "ต่อเนื่องจากเรื่องเดิม", "ผู้บริหารสั่งการ", "กรณีฉุกเฉิน")
SKIP_REASONS = ("ไม่อยู่ที่จุดบริการเมื่อเรียก", "ไปถ่ายเอกสาร", "ออกไปชั่วคราว")
NO_SHOW_REASONS = ("เรียก 3 ครั้งแล้วไม่มา", "ผู้รับบริการแจ้งยกเลิก")
RECALL_REASONS = ("ผู้รับบริการไม่ได้ยิน", "เรียกซ้ำตามคำขอ")


@dataclass(frozen=True)
class QueueEntry:
    ticket_id: int
    number: str
    issued_at: datetime
    priority: str | None = None

    @property
    def key(self) -> tuple[datetime, int]:
        return (self.issued_at, self.ticket_id)


def format_ticket_number(letter: str, seq: int) -> str:
    """``A001``: the group letter and at least three digits (a 1000th ticket is ``A1000``)."""
    if len(letter) != 1 or not letter.isascii() or not letter.isupper():
        raise ValueError(f"ticket group letter must be one letter A-Z, not {letter!r}")
    if seq < 1:
        raise ValueError("ticket sequence starts at 1")
    return f"{letter}{seq:03d}"


def validate_priority(priority: str | None) -> str | None:
    if priority in (None, ""):
        return None
    if priority not in PRIORITY_CATEGORIES:
        raise ValueError(
            f"unknown priority category {priority!r}; use one of {', '.join(PRIORITY_CATEGORIES)}"
        )
    return priority


def validate_channel(channel: str) -> str:
    if channel not in CHANNELS:
        raise ValueError(f"unknown channel {channel!r}; use one of {', '.join(CHANNELS)}")
    return channel


def choose_next(
    entries: Sequence[QueueEntry], policy: str, max_overtake: int, overtaken: Mapping[int, int]
) -> QueueEntry | None:
    """The ticket the policy calls next from ``entries`` (the waiting tickets of one counter)."""
    if not entries:
        return None
    if policy not in POLICIES:
        raise ValueError(f"unknown queue policy {policy!r}")
    oldest = min(entries, key=lambda e: e.key)
    if policy == "fifo":
        return oldest
    priority = [e for e in entries if e.priority]
    normal = [e for e in entries if not e.priority]
    if not priority or not normal:
        return oldest
    first_normal = min(normal, key=lambda e: e.key)
    first_priority = min(priority, key=lambda e: e.key)
    if first_priority.key < first_normal.key:
        return first_priority  # issued first: no overtaking at all
    if overtaken.get(first_normal.ticket_id, 0) >= max_overtake:
        return first_normal
    return first_priority


def order_queue(
    entries: Sequence[QueueEntry], policy: str, max_overtake: int, overtaken: Mapping[int, int]
) -> list[QueueEntry]:
    """The order in which the waiting tickets will be called if nobody else arrives.

    The same as applying ``choose_next`` until the queue is empty, in O(n log n) rather than
    O(n²): priority tickets are taken in issue order, so the overtakes a normal ticket has
    suffered in the simulation are the priority tickets already taken that were issued after
    it, counted by bisection.
    """
    if policy not in POLICIES:
        raise ValueError(f"unknown queue policy {policy!r}")
    if policy == "fifo":
        return sorted(entries, key=lambda e: e.key)
    normal = sorted((e for e in entries if not e.priority), key=lambda e: e.key)
    priority = sorted((e for e in entries if e.priority), key=lambda e: e.key)
    taken: list[tuple[datetime, int]] = []  # keys of priority tickets taken, ascending
    ordered: list[QueueEntry] = []
    i = j = 0
    while i < len(normal) or j < len(priority):
        if j == len(priority):
            ordered.append(normal[i])
            i += 1
            continue
        first_priority = priority[j]
        if i < len(normal):
            first_normal = normal[i]
            suffered = (
                overtaken.get(first_normal.ticket_id, 0)
                + len(taken)
                - bisect_right(taken, first_normal.key)
            )
            if first_priority.key > first_normal.key and suffered >= max_overtake:
                ordered.append(first_normal)
                i += 1
                continue
        ordered.append(first_priority)
        taken.append(first_priority.key)
        j += 1
    return ordered


def count_overtaken(
    normal: Sequence[QueueEntry], called_priority: Sequence[tuple[datetime, int]]
) -> dict[int, int]:
    """For each waiting normal ticket: the called priority tickets issued after it.

    ``called_priority`` holds (issued_at, ticket_id) keys: "after" is decided on the same
    (time, id) key the policy orders by, so tickets issued in the same instant count too.
    """
    return {
        e.ticket_id: sum(1 for key in called_priority if key > e.key)
        for e in normal
        if not e.priority
    }
