"""Typed rows of peewee queries.

peewee-stubs type ``query.tuples()`` and ``.dicts()`` as the query itself (rows of the model):
what a query returns depends on the columns it selects, which the stubs cannot follow.
These helpers name the row type once, at the query, so the code reading the rows is checked. Nothing is converted: the rows are peewee's own tuples and dicts.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar, cast

from peewee import BaseQuery

_R = TypeVar("_R")


def tuples(query: BaseQuery, row: type[_R]) -> Iterable[_R]:
    """``query.tuples()``, its rows typed as ``row`` (``tuple[int, str]``: the columns selected)."""
    return cast("Iterable[_R]", query.tuples())


def dicts(query: BaseQuery, row: type[_R]) -> Iterable[_R]:
    """``query.dicts()``, its rows typed as ``row`` (a ``TypedDict`` of the columns selected)."""
    return cast("Iterable[_R]", query.dicts())
