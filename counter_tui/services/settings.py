"""Provides reading and writing office-wide settings in the database, validated."""

from __future__ import annotations

from datetime import date, datetime

from counter_tui.core.clock import to_db
from counter_tui.core.office_settings import SettingError, spec_for, validate_setting
from counter_tui.db import models as m


def _fy_of(today: date) -> int:
    from counter_tui.core.fiscal import fiscal_year_of

    return fiscal_year_of(today)


def _check_fiscal_year(key: str, fiscal_year: int | None, today: date) -> int:
    spec = spec_for(key)
    if not spec.per_fiscal_year:
        if fiscal_year is not None:
            raise SettingError(f"{key} is not kept per fiscal year; drop --fiscal-year.")
        return 0
    year = fiscal_year if fiscal_year is not None else _fy_of(today)
    if not 2500 <= year <= 2800:
        raise SettingError(f"fiscal year {year} is not a Buddhist Era year such as 2569.")
    return year


def get_setting(
    office_id: int, key: str, today: date, fiscal_year: int | None = None
) -> str | None:
    """The stored value, else the default (None when neither)."""
    spec = spec_for(key)
    if key == "office.name":
        return m.Office.get_by_id(office_id).name
    year = _check_fiscal_year(key, fiscal_year, today)
    row = (
        m.Setting.select(m.Setting.value)
        .where(
            (m.Setting.office == office_id)
            & (m.Setting.key == key)
            & (m.Setting.fiscal_year == year)
        )
        .first()
    )
    return row.value if row is not None else spec.default


def set_setting(
    office_id: int,
    key: str,
    value: str,
    now: datetime,
    today: date,
    fiscal_year: int | None = None,
    *,
    actor_id: int | None = None,
) -> str:
    """Validate and store; returns the stored (normalised) value. ``actor_id``: the admin doing
    it (services.permissions)."""
    from counter_tui.db.database import write_transaction
    from counter_tui.services.permissions import authorize

    clean = validate_setting(key, value)
    year = _check_fiscal_year(key, fiscal_year, today)
    # read (who is asking), then write: IMMEDIATE on SQLite, else a second terminal's save
    # fails with "database is locked" (a deferred transaction cannot take the write lock then)
    with write_transaction():
        authorize(actor_id, "settings_set", office_id=office_id)
        if key == "office.name":
            m.Office.update(name=clean).where(m.Office.id == office_id).execute()
            return clean
        # one statement (an upsert on the unique key): two terminals saving a setting not yet
        # stored would both find nothing to update, and the second insert would fail
        (
            m.Setting.insert(
                office=office_id, key=key, fiscal_year=year, value=clean, updated_at=to_db(now)
            )
            .on_conflict(
                conflict_target=[m.Setting.office, m.Setting.key, m.Setting.fiscal_year],
                update={m.Setting.value: clean, m.Setting.updated_at: to_db(now)},
            )
            .execute()
        )
    return clean


def all_settings(office_id: int, today: date) -> dict[str, str | None]:
    from counter_tui.core.office_settings import SPECS

    return {key: get_setting(office_id, key, today) for key in SPECS}
