"""The shape of what an API answers, checked against the columns dbt reads.

A field that disappears or changes type would load as null (or into a dlt variant column)
and the run would succeed: the rows of that run would keep the gap after the API is fixed,
because their cursor has moved on. So such an item stops the source's extract with a message
naming it; dlt commits no state, and the next run reads the same items again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from connectors.common.http import SourceError

# a column's dlt data type -> the JSON values it accepts (null always passes)
JSON_TYPES = {"text": (str,), "json": (dict, list), "timestamp": (str,), "bigint": (int,), "bool": (bool,)}


class SchemaDrift(SourceError):
    """The API answered a field dbt reads without it or with another type."""


def missing_field(source: str, table: str, described: str, name: str) -> SchemaDrift:
    return SchemaDrift(
        f"{source}: {table} {described} came without the field `{name}`, which the models read; "
        "the API may have changed. Nothing of this source was loaded; the next run reads these "
        "items again"
    )


def conforming(
    source: str, table: str, columns: dict[str, dict], always_sent: Iterable[str], key: Callable[[dict], str]
) -> Callable[[dict], dict]:
    """A dlt map step that passes an item whose `columns` have their types and which has every
    field the API documents as `always_sent` (others may be left out by some endpoints), else raises."""
    always_sent = frozenset(always_sent)

    def check(item: dict) -> dict:
        for name in always_sent:
            if name not in item:
                raise missing_field(source, table, key(item), name)
        for name, hints in columns.items():
            value, accepted = item.get(name), JSON_TYPES[hints["data_type"]]
            # bool is an int in Python, not in JSON
            if value is not None and (
                not isinstance(value, accepted) or (bool not in accepted and isinstance(value, bool))
            ):
                raise SchemaDrift(
                    f"{source}: {table} {key(item)} has `{name}` = {str(value)[:60]!r} where "
                    f"{hints['data_type']} was expected; the API may have changed. Nothing of this "
                    "source was loaded; the next run reads these items again"
                )
        return item

    return check
