"""Signed decisions (issue 14): the public verification token on Decision, the issuers'
encrypted certificates and the signed PDFs.

The token is unique and random per row, so it is added nullable, filled row by row, then
made unique (Django's recipe for a unique field on a table with rows). `atomic = False`:
on PostgreSQL the ALTER after the UPDATEs of the same transaction can fail with "pending
trigger events"; each step here commits on its own, and every step can be rerun.
"""

import functools
import secrets

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def fill_tokens(apps, schema_editor):
    decision = apps.get_model("decisions", "Decision")
    for row in decision.objects.filter(verification_token__isnull=True).only("pk"):
        row.verification_token = secrets.token_urlsafe(16)
        row.save(update_fields=["verification_token"])


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("decisions", "0005_base_salary_prize_multiples"),
        ("organisations", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="decision",
            name="verification_token",
            field=models.CharField(editable=False, max_length=32, null=True),
        ),
        migrations.RunPython(fill_tokens, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="decision",
            name="verification_token",
            field=models.CharField(
                default=functools.partial(secrets.token_urlsafe, *(16,), **{}),
                editable=False,
                max_length=32,
                unique=True,
            ),
        ),
        migrations.CreateModel(
            name="IssuerCertificate",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("subject", models.CharField(max_length=500, verbose_name="chủ thể chứng thư số")),
                (
                    "issuer_name",
                    models.CharField(max_length=500, verbose_name="tổ chức cấp chứng thư số"),
                ),
                ("serial", models.CharField(max_length=100, verbose_name="số hiệu chứng thư số")),
                (
                    "fingerprint",
                    models.CharField(
                        max_length=64, unique=True, verbose_name="dấu vân tay SHA-256"
                    ),
                ),
                ("not_before", models.DateTimeField(verbose_name="hiệu lực từ")),
                ("not_after", models.DateTimeField(verbose_name="hiệu lực đến")),
                ("encrypted_pkcs12", models.BinaryField(editable=False)),
                ("encrypted_password", models.BinaryField(editable=False)),
                ("active", models.BooleanField(default=True, verbose_name="đang dùng để ký")),
                ("is_demo_root", models.BooleanField(default=False, editable=False)),
                ("uploaded_at", models.DateTimeField(auto_now_add=True)),
                (
                    "organisation",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="certificates",
                        to="organisations.organisation",
                        verbose_name="cơ quan ký",
                    ),
                ),
                (
                    "uploaded_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "chứng thư số của cơ quan ban hành",
                "verbose_name_plural": "chứng thư số của cơ quan ban hành",
                "ordering": ["organisation", "-uploaded_at"],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("active", True), ("is_demo_root", False)),
                        fields=("organisation",),
                        name="one_active_certificate_per_issuer",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="SignedDecision",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("path", models.CharField(max_length=255)),
                ("sha256", models.CharField(max_length=64, verbose_name="mã băm SHA-256")),
                ("size", models.PositiveIntegerField()),
                ("signer_subject", models.CharField(max_length=500, verbose_name="ký bởi")),
                ("signed_at", models.DateTimeField(verbose_name="thời điểm ký")),
                (
                    "certificate",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="decisions.issuercertificate",
                    ),
                ),
                (
                    "decision",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="signed",
                        to="decisions.decision",
                    ),
                ),
            ],
            options={
                "verbose_name": "bản quyết định đã ký số",
                "verbose_name_plural": "bản quyết định đã ký số",
            },
        ),
    ]
