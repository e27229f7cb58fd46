"""SQL expressions the apps share."""

from __future__ import annotations

from typing import Any

from django.db.models import DateField, Func


class AddMonths(Func):
    """``date + n months`` in SQL, clamped to the month's end as dateutil's
    relativedelta does in Python: PostgreSQL's interval arithmetic clamps;
    SQLite, which rolls over into the next month, is taught to."""

    arity = 2
    output_field = DateField()

    def _parts(self, compiler: Any) -> tuple[str, list[Any], str, list[Any]]:
        date_sql, date_params = compiler.compile(self.source_expressions[0])
        months_sql, months_params = compiler.compile(self.source_expressions[1])
        return date_sql, list(date_params), months_sql, list(months_params)

    def as_sql(
        self,
        compiler: Any,
        connection: Any,
        function: str | None = None,
        template: str | None = None,
        arg_joiner: str | None = None,
        **extra: Any,
    ) -> tuple[str, list[Any]]:
        date_sql, date_params, months_sql, months_params = self._parts(compiler)
        return (
            f"CAST(({date_sql}) + make_interval(months => CAST({months_sql} AS integer)) AS date)",
            date_params + months_params,
        )

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        date_sql, date_params, months_sql, months_params = self._parts(compiler)
        shifted = f"date({date_sql}, '+' || ({months_sql}) || ' months')"
        shifted_params = date_params + months_params
        sql = (
            f"CASE WHEN strftime('%%d', {shifted}) = strftime('%%d', {date_sql}) THEN {shifted} "
            f"ELSE date({shifted}, 'start of month', '-1 day') END"
        )
        return sql, shifted_params + date_params + shifted_params + shifted_params


class AddDays(Func):
    """``date + n days`` in SQL (``n`` an expression, negative to go back):
    PostgreSQL adds an integer to a date; SQLite shifts with a modifier."""

    arity = 2
    output_field = DateField()

    def as_sql(
        self,
        compiler: Any,
        connection: Any,
        function: str | None = None,
        template: str | None = None,
        arg_joiner: str | None = None,
        **extra: Any,
    ) -> tuple[str, list[Any]]:
        date_sql, date_params = compiler.compile(self.source_expressions[0])
        days_sql, days_params = compiler.compile(self.source_expressions[1])
        return f"CAST(({date_sql}) + CAST({days_sql} AS integer) AS date)", [*date_params, *days_params]

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        date_sql, date_params = compiler.compile(self.source_expressions[0])
        days_sql, days_params = compiler.compile(self.source_expressions[1])
        return f"date({date_sql}, ({days_sql}) || ' days')", [*date_params, *days_params]
