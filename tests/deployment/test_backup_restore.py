"""Backup and restore as docs/deployment.md tells an operator to do it: `pg_dump -Fc` of a
seeded database that has been worked in, `pg_restore` into a new database, and the restored
copy passes `check_invariants` and `verify_audit` (the hash chain survives the round trip)."""

import os
import shutil
import subprocess
import sys
import uuid

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from decisions import services as decisions
from demo.models import DemoAccount
from organisations.models import Organisation
from tests.conftest import ROOT, _missing
from tests.factories import make_dossier_awaiting_decision, user

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _client_args(db: dict) -> list[str]:
    args = ["-h", db.get("HOST") or "127.0.0.1", "-p", str(db.get("PORT") or 5432)]
    return [*args, "-U", db.get("USER") or "postgres"]


def _url(db: dict, name: str) -> str:
    host, port = db.get("HOST") or "127.0.0.1", db.get("PORT") or 5432
    return f"postgres://{db.get('USER') or 'postgres'}@{host}:{port}/{name}"


def test_a_dump_of_a_seeded_database_restores_into_a_new_one_that_passes_the_checks(tmp_path):
    for tool in ("pg_dump", "pg_restore", "createdb", "dropdb"):
        if shutil.which(tool) is None:
            _missing(f"{tool} is not installed (Debian: postgresql-client)")
    call_command("seed_demo", "--quiet", "--force", verbosity=0)
    DemoAccount.objects.all().delete()
    # Work in it first: a dossier through two councils to a signed-off provincial decision.
    dossier = make_dossier_awaiting_decision(Organisation.objects.get(code="th-hop-thanh"))
    clerk = user("lang-son.vanphong")
    nominees = list(dossier.active_nominees().values_list("pk", flat=True))
    draft = decisions.create_draft(
        Organisation.objects.get(code="lang-son").pk, by=clerk, nominee_ids=nominees
    )
    decisions.submit_for_signature(draft.pk, by=clerk)
    decisions.issue_decision(draft.pk, by=user("lang-son.lanhdao"), issued_on=timezone.localdate())

    db = connection.settings_dict
    dump = tmp_path / "khenthuong.dump"
    subprocess.run(
        ["pg_dump", "-Fc", *_client_args(db), "-f", str(dump), db["NAME"]],
        check=True,
        timeout=300,
    )
    target = f"kt_restore_{uuid.uuid4().hex[:8]}"
    subprocess.run(["createdb", *_client_args(db), target], check=True, timeout=60)
    try:
        # --no-owner/--no-privileges: the copy belongs to whoever restores it; the operator
        # then runs `grant_app_role` for the application's role (docs/deployment.md).
        subprocess.run(
            ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error",
             *_client_args(db), "-d", target, str(dump)],
            check=True,
            timeout=300,
        )  # fmt: skip
        env = {
            **os.environ,
            "DATABASE_URL": _url(db, target),
            "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        }
        for command in ("check_invariants", "verify_audit"):
            done = subprocess.run(
                [sys.executable, "manage.py", command],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
                timeout=300,
            )
            assert done.returncode == 0, done.stdout + done.stderr
            assert done.stdout.startswith("OK"), done.stdout
        invariants = subprocess.run(
            [sys.executable, "manage.py", "check_invariants"],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=True,
        )  # fmt: skip
        assert "0 violations" in invariants.stdout
    finally:
        subprocess.run(["dropdb", "--if-exists", *_client_args(db), target], timeout=60)
