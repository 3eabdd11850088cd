"""counter-tui: the Thai-first front-counter app. Importing the package imports nothing heavy."""

from counter_tui import _lazy_drivers

_lazy_drivers.install()  # peewee without psycopg until a PostgreSQL URL is opened

__version__ = "0.1.0"
