"""0005 indexes the EIT survey offers (office, at) WHERE kind = 'survey_offered', a partial index:
the dashboard counts the offers inside the survey window (up to half a year) on every refresh,
and the (office, at) index made it read every event of the window to find them (235 ms on the
ten-year database for a Jan-Jun window, ten times the rest of the refresh; bench/run.py's window
is in the future, so it does not show there). Partial, so it holds only the offers (~8 % of the
events) and other events pay nothing to write. The query must name the kind as a literal (a
bound value does not let SQLite, nor a generic PostgreSQL plan, use a partial index).
"""

from peewee import SQL

NAME = "event_office_id_at_survey_offered"


def up(migrator, db):
    migrator.migrate(
        migrator.add_index(
            "event", ("office_id", "at"), False, where=SQL("kind = 'survey_offered'"), name=NAME
        )
    )


def down(migrator, db):
    migrator.migrate(migrator.drop_index("event", NAME))
