"""Who does things in a test: the office's admin (the actor of the administration use-cases a test
sets up with), and the command line run as that admin signed in (``--as``, the PIN on standard
input)."""

from __future__ import annotations

ADMIN = "admin"  # the name and PIN the UI tests sign in with
ADMIN_PIN = "9999"


def admin_id(office_id: int) -> int:
    """The id of the office's active admin, made (as the first admin, PIN ``ADMIN_PIN``) when
    it has none; on the database the models are bound to."""
    from counter_tui.db import models as m

    found = (
        m.Staff.select(m.Staff.id)
        .where((m.Staff.office == office_id) & (m.Staff.role == "admin") & (m.Staff.active == True))  # noqa: E712
        .order_by(m.Staff.id)
        .scalar()
    )
    return found if found is not None else add_admin(office_id).id


def add_admin(office_id: int, name: str = ADMIN, pin: str = ADMIN_PIN):
    """The admin ``name`` of the office (a StaffInfo): the one there already, else the first
    admin, else one added by the office's admin."""
    from counter_tui.db import models as m
    from counter_tui.services import staff as st
    from support.clock import FIXED_NOW

    same = (
        m.Staff.select(m.Staff.id)
        .where(
            (m.Staff.office == office_id)
            & (m.Staff.name == st.clean_name(name))
            & (m.Staff.role == "admin")
        )
        .scalar()
    )
    if same is not None:
        return st.get_staff(same)
    if not st.has_admin(office_id):
        return st.create_first_admin(office_id, name, pin, FIXED_NOW)
    return st.add_staff(office_id, name, "admin", pin, FIXED_NOW, actor_id=admin_id(office_id))


def as_admin(*args: str, input: str | None = None, office: str | None = None, **kwargs):
    """``counter-tui --as ADMIN --pin-stdin ARGS`` (``run_cli``), the admin made first (in this
    process, on the ``--database`` of ARGS, in ``office`` or the first office) when the office
    has none; ``input`` follows the admin's PIN on standard input."""
    from conftest import run_cli

    url = args[list(args).index("--database") + 1]
    ensure_admin(url, office)
    return run_cli(
        "--as", ADMIN, "--pin-stdin", *args, input=f"{ADMIN_PIN}\n{input or ''}", **kwargs
    )


def ensure_admin(url: str, office_code: str | None = None) -> None:
    """The office (``office_code``, else the first) of the database at ``url`` has an admin."""
    from counter_tui.db.models import database_proxy
    from counter_tui.services.office import connect
    from support.clock import FIXED_NOW

    previous = database_proxy.obj
    database, office = connect(url, FIXED_NOW, office_code)
    try:
        admin_id(office.id)
    finally:
        database.close()
        database_proxy.initialize(previous)
