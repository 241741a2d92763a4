"""The list and inbox indexes exist once migrated (dossiers 0011_list_indexes, workflow
0003_task_queue_index), on SQLite and PostgreSQL alike; the trigram index where the
database has pg_trgm (PostgreSQL)."""

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


def indexes(table: str) -> dict[str, dict]:
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, table)
    return {name: c for name, c in found.items() if c["index"] and not c["primary_key"]}


def test_the_list_order_is_read_from_an_index_on_updated_at_then_id():
    index = indexes("dossiers_dossier")["dossier_updated_idx"]
    assert index["columns"][:2] == ["updated_at", "id"]
    if "orders" in index:  # PostgreSQL's introspection reports the order
        assert index["orders"][:2] == ["DESC", "DESC"]
    else:  # SQLite's does not: its definition says it
        with connection.cursor() as cursor:
            cursor.execute("SELECT sql FROM sqlite_master WHERE name = 'dossier_updated_idx'")
            assert "(updated_at DESC, id DESC)" in cursor.fetchone()[0]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="INCLUDE is PostgreSQL's")
def test_the_list_walk_reads_unit_and_state_from_its_index_not_the_rows():
    """dossiers 0013: the walk's visibility filter needs proposer_id and status; held in the
    index, a page of the list is an index-only scan."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'dossier_updated_idx'")
        definition = cursor.fetchone()[0]
    assert definition.endswith("(updated_at DESC, id DESC) INCLUDE (proposer_id, status)")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute(
            "EXPLAIN SELECT id FROM dossiers_dossier WHERE proposer_id IN (1, 2) "
            "OR status <> 'draft' ORDER BY updated_at DESC, id DESC LIMIT 26"
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Index Only Scan using dossier_updated_idx" in plan


def test_the_visibility_semi_join_has_an_index_on_organisation_then_dossier():
    index = indexes("dossiers_dossierstage")["dossierstage_routed_idx"]
    assert index["columns"] == ["organisation_id", "dossier_id"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_trgm is PostgreSQL's")
def test_search_has_a_trigram_index_on_the_folded_column():
    index = indexes("dossiers_dossier")["dossier_search_trgm"]
    assert index["type"] == "gin"
    assert index["columns"] == ["search_text"]
    with connection.cursor() as cursor:
        cursor.execute(
            "EXPLAIN SELECT id FROM dossiers_dossier WHERE search_text LIKE %s",
            ["%hoang thi mai 12345%"],
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())
    # On the test database's empty table the planner may still prefer a scan; what matters
    # is that the index can serve the query: with seq scans off, it is chosen.
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(
            "EXPLAIN SELECT id FROM dossiers_dossier WHERE search_text LIKE %s",
            ["%hoang thi mai 12345%"],
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "dossier_search_trgm" in plan


def test_the_inbox_finds_a_bodys_unclaimed_tasks_by_an_index():
    """workflow 0003: the queue's organisation and codename, of the NEW tasks only."""
    index = indexes("viewflow_task")["task_queue_idx"]
    assert index["columns"] == ["owner_permission_obj_pk", "owner_permission"]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'task_queue_idx'")
        else:
            cursor.execute("SELECT sql FROM sqlite_master WHERE name = 'task_queue_idx'")
        definition = cursor.fetchone()[0]
    assert "WHERE" in definition  # partial: the open queue only
    assert "'NEW'" in definition


def test_a_reminder_has_no_index_the_unique_clock_and_kind_index_already_serves():
    """workflow 0005: the sweep updates 100 000 reminders; each index of the row is one more
    entry per update. Look-ups by clock (and the cascade from it) use the unique index,
    whose first column is the clock."""
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, "workflow_reminder")
    kept = sorted(
        (c["columns"], bool(c["unique"]))
        for c in found.values()
        if (c["index"] or c["unique"]) and not c["primary_key"]
    )
    assert kept == [(["deadline_id", "kind"], True), (["fire_on", "id"], False)]
