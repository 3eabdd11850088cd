"""Provides importing citizen manuals into an office's catalog and listing its services.

A changed manual becomes a new version (the old one stays for the visits served under it);
an unchanged one is left alone. Units are created from the responsible units the manuals name.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from peewee import fn

from counter_tui.catalog.loader import validate_paths
from counter_tui.core.clock import to_db
from counter_tui.core.durations import Duration
from counter_tui.core.manual import Manual
from counter_tui.db import models as m
from counter_tui.db.database import for_update, write_transaction
from counter_tui.db.rows import tuples
from counter_tui.errors import UserError
from counter_tui.services.permissions import authorize


@dataclass(frozen=True)
class ServiceInfo:
    code: str
    version: int
    name_th: str
    name_en: str
    group: str
    unit: str
    standard_text: str | None
    standard_seconds: int | None
    standard_days: int | None
    day_kind: str | None
    sample: bool
    under_act: bool
    sensitive: bool
    steps: int
    documents: int


@dataclass
class ImportReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def _standard_columns(duration: Duration | None) -> dict[str, object]:
    if duration is None:
        return {
            "standard_text": None,
            "standard_seconds": None,
            "standard_days": None,
            "day_kind": None,
        }
    return {
        "standard_text": duration.text_th(),
        "standard_seconds": duration.seconds,
        "standard_days": duration.value if duration.is_days else None,
        "day_kind": duration.day_kind,
    }


def _unit_id(office_id: int, name: str) -> int:
    unit: m.Unit  # get_or_create is unannotated in peewee-stubs
    unit, _ = m.Unit.get_or_create(office=office_id, name=name)  # type: ignore[no-untyped-call]
    return unit.id


def import_manuals(
    office_id: int, manuals: Iterable[Manual], now: datetime, *, actor_id: int | None = None
) -> ImportReport:
    """Add or update services from validated manuals, in one transaction; ``actor_id``: the
    admin doing it (services.permissions)."""
    return _import_manuals(office_id, manuals, now, actor_id=actor_id, checked=True)


def _import_manuals(
    office_id: int,
    manuals: Iterable[Manual],
    now: datetime,
    *,
    actor_id: int | None = None,
    checked: bool,
) -> ImportReport:
    """``import_manuals``; unchecked (``checked=False``) only for the sample catalog a new office
    is created with (``import_bundled``), which no one asks for."""
    report = ImportReport()
    db = m.database_proxy.obj
    with write_transaction(db):
        if checked:
            authorize(actor_id, "catalog_import", office_id=office_id)
        # Each manual's next version is read, then written: two imports at once take turns
        # (SQLite: IMMEDIATE; PostgreSQL: the office's row), else both write the same version.
        for_update(m.Office.select(m.Office.id).where(m.Office.id == office_id)).first()
        for manual in manuals:
            digest = manual.content_hash()
            current = (
                m.Service.select()
                .where((m.Service.office == office_id) & (m.Service.code == manual.code))
                .order_by(m.Service.version.desc())
                .first()
            )
            if current is not None and current.content_hash == digest and current.is_current:
                report.unchanged.append(manual.code)
                continue
            version = 1
            if current is not None:
                version = current.version + 1
                (
                    m.Service.update(is_current=False)
                    .where((m.Service.office == office_id) & (m.Service.code == manual.code))
                    .execute()
                )
                report.updated.append(manual.code)
            else:
                report.added.append(manual.code)
            service = m.Service.create(
                office=office_id,
                code=manual.code,
                version=version,
                is_current=True,
                name_th=manual.name_th,
                name_en=manual.name_en,
                group_letter=manual.group,
                unit=_unit_id(office_id, manual.unit),
                under_act=manual.under_act,
                sensitive=manual.sensitive,
                sample=manual.sample,
                manual_json=json.dumps(manual.to_json(), ensure_ascii=False, sort_keys=True),
                content_hash=digest,
                imported_at=to_db(now),
                **_standard_columns(manual.total_standard),
            )
            for position, step in enumerate(manual.steps, start=1):
                m.ServiceStep.create(
                    service=service,
                    position=position,
                    name_th=step.name_th,
                    unit_name=step.unit,
                    **_standard_columns(step.standard),
                )
            for position, doc in enumerate(manual.documents, start=1):
                m.ServiceDocument.create(
                    service=service,
                    position=position,
                    name_th=doc.name_th,
                    originals=doc.originals,
                    copies=doc.copies,
                    unit_word=doc.unit,
                    condition=doc.condition,
                    when=doc.when,
                )
    return report


def import_paths(
    office_id: int, paths: Iterable[str | Path], now: datetime, *, actor_id: int | None = None
) -> ImportReport:
    """Validate, then import; nothing is imported when any file has an error."""
    return _import_manuals(office_id, _valid_manuals(paths), now, actor_id=actor_id, checked=True)


def _valid_manuals(paths: Iterable[str | Path]) -> list[Manual]:
    check = validate_paths(paths)
    if check.has_errors:
        errors = [str(p) for p in check.problems if p.severity == "error"]
        raise UserError("nothing imported; fix these first:\n" + "\n".join(errors))
    return [manual for _, manual in check.manuals]


def import_bundled(office_id: int, now: datetime) -> ImportReport:
    """The sample catalog of a new office (its creation, not an admin's import)."""
    from counter_tui.catalog.loader import bundled_manuals_dir

    return _import_manuals(
        office_id, _valid_manuals([Path(str(bundled_manuals_dir()))]), now, checked=False
    )


def _counts(
    model: type[m.ServiceStep] | type[m.ServiceDocument], service_ids: list[int]
) -> dict[int, int]:
    return dict(
        tuples(
            model.select(model.service, fn.COUNT(model.id))
            .where(model.service.in_(service_ids))
            .group_by(model.service),
            tuple[int, int],
        )
    )


def list_services(office_id: int) -> list[ServiceInfo]:
    """The current version of every service of the office, by group letter then code."""
    query = (
        m.Service.select(m.Service, m.Unit)  # each service's unit, read in the same query
        .join(m.Unit)
        .where((m.Service.office == office_id) & (m.Service.is_current == True))  # noqa: E712
        .order_by(m.Service.group_letter, m.Service.code)
    )
    services = list(query)
    ids = [s.id for s in services]
    step_counts = _counts(m.ServiceStep, ids)
    doc_counts = _counts(m.ServiceDocument, ids)
    return [
        ServiceInfo(
            code=s.code,
            version=s.version,
            name_th=s.name_th,
            name_en=s.name_en,
            group=s.group_letter,
            unit=s.unit.name,
            standard_text=s.standard_text,
            standard_seconds=s.standard_seconds,
            standard_days=s.standard_days,
            day_kind=s.day_kind,
            sample=s.sample,
            under_act=s.under_act,
            sensitive=s.sensitive,
            steps=step_counts.get(s.id, 0),
            documents=doc_counts.get(s.id, 0),
        )
        for s in services
    ]


def find_services(office_id: int, text: str, limit: int = 20) -> list[tuple[str, str, str]]:
    """Services matching part of the Thai name, English name or code: (code, name_th, letter)."""
    needle = text.strip().lower()
    query = (
        m.Service.select(
            m.Service.code, m.Service.name_th, m.Service.name_en, m.Service.group_letter
        )
        .where((m.Service.office == office_id) & (m.Service.is_current == True))  # noqa: E712
        .order_by(m.Service.group_letter, m.Service.code)
    )
    found = [
        (code, th, letter)
        for code, th, en, letter in tuples(query, tuple[str, str, str, str])
        if not needle or needle in code.lower() or needle in th.lower() or needle in en.lower()
    ]
    return found[:limit]


def catalog_is_sample(office_id: int) -> bool:
    """True while any current service of the office comes from a sample manual."""
    return (
        m.Service.select()
        .where(
            (m.Service.office == office_id)
            & (m.Service.is_current == True)  # noqa: E712
            & (m.Service.sample == True)  # noqa: E712
        )
        .exists()
    )


@dataclass(frozen=True)
class CatalogView:
    office_name: str
    services: list[ServiceInfo]


def catalog_view(office_id: int) -> CatalogView:
    """What the home screen shows: the office's name and its current services."""
    return CatalogView(m.Office.get_by_id(office_id).name, list_services(office_id))


def list_units(office_id: int) -> list[str]:
    """The office's units (the responsible units its manuals name), by name."""
    return [
        name
        for (name,) in tuples(
            m.Unit.select(m.Unit.name).where(m.Unit.office == office_id).order_by(m.Unit.name),
            tuple[str],
        )
    ]


def current_manuals(office_id: int) -> list[Manual]:
    """The current version of every manual of the office, as the manual dataclass."""
    return [
        Manual.from_json(json.loads(text))
        for (text,) in tuples(
            m.Service.select(m.Service.manual_json)
            .where((m.Service.office == office_id) & (m.Service.is_current == True))  # noqa: E712
            .order_by(m.Service.group_letter, m.Service.code),
            tuple[str],
        )
    ]
