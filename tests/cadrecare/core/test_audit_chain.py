"""The audit log's hash chain: a row altered or deleted in the database, by a
superuser past the append-only trigger, is found by ``manage.py audit_verify``
(SECURITY.md, "The audit log")."""

from __future__ import annotations

from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from cadrecare.audit.models import AuditEntry
from cadrecare.audit.services import audit_seal
from tests.conftest import Cast


@pytest.fixture
def logged(cast: Cast, client_for: Any) -> list[AuditEntry]:
    """Five reads logged through the API and sealed into the chain."""
    for cadre in (cast.cadre_a1, cast.cadre_a2, cast.cadre_a1, cast.cadre_a2, cast.cadre_a1):
        assert (
            client_for("hr_a1" if cadre == cast.cadre_a1 else "county_a_admin")
            .get(f"/api/v1/cadres/{cadre.pk}/")
            .status_code
            == 200
        )
    assert audit_seal() == 5
    return list(AuditEntry.objects.order_by("chain_position"))


def _verify(*args: str) -> str:
    out = StringIO()
    call_command("audit_verify", *args, stdout=out)
    return out.getvalue()


def _as_database_superuser(sql: str, params: list[Any]) -> None:
    """What a superuser of the database can do: switch the trigger off, write, switch it on."""
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER audit_entry_append_only")
        cursor.execute(sql, params)
        cursor.execute("ALTER TABLE audit_auditentry ENABLE TRIGGER audit_entry_append_only")


@pytest.fixture
def head(logged: list[AuditEntry]) -> Iterator[str]:
    yield f"{logged[-1].chain_position}:{logged[-1].digest}"


def test_an_untouched_log_verifies_and_sealing_again_changes_nothing(logged: list[AuditEntry], head: str) -> None:
    assert [entry.chain_position for entry in logged] == [1, 2, 3, 4, 5]
    assert audit_seal() == 0
    out = _verify("--head", head)
    assert f"链头 {head}" in out and "审计日志完整" in out


def test_a_sealed_entry_cannot_be_changed_through_the_trigger(logged: list[AuditEntry]) -> None:
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=logged[0].pk).update(digest="0" * 64)


def test_an_entry_altered_by_the_database_superuser_is_found(logged: list[AuditEntry]) -> None:
    _as_database_superuser("UPDATE audit_auditentry SET actor_name = %s WHERE id = %s", ["someone", logged[2].pk])

    with pytest.raises(CommandError, match=f"链序号 3（记录编号 {logged[2].pk}）的内容或顺序已被改动"):
        _verify()


def test_an_entry_deleted_by_the_database_superuser_is_found(logged: list[AuditEntry]) -> None:
    _as_database_superuser("DELETE FROM audit_auditentry WHERE id = %s", [logged[1].pk])

    with pytest.raises(CommandError, match="链序号 2–2 的记录已被删除"):
        _verify()


def test_a_rewritten_chain_fails_without_the_services_key(logged: list[AuditEntry]) -> None:
    # (a digest recomputed by someone who has the database but not the secret key)
    _as_database_superuser(
        "UPDATE audit_auditentry SET actor_name = %s, digest = %s WHERE id = %s", ["someone", "0" * 64, logged[4].pk]
    )

    with pytest.raises(CommandError, match="链序号 5"):
        _verify()


def test_a_cut_tail_is_found_against_the_head_kept_outside(logged: list[AuditEntry], head: str) -> None:
    _as_database_superuser("DELETE FROM audit_auditentry WHERE chain_position >= %s", [4])

    assert "审计日志完整" in _verify()  # what is left is a sound chain
    with pytest.raises(CommandError, match="链头 5 已不在链中"):
        _verify("--head", head)
