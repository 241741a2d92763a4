# posting-prize (issue 13): public posting with objections, the Party committee's written
# opinion as a route step, prize multiples on the award form.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

CATEGORIES = [
    ("submission_letter", "Tờ trình kèm danh sách"),
    ("achievement_report", "Báo cáo thành tích"),
    ("summary_report", "Báo cáo tóm tắt thành tích"),
    ("minutes", "Biên bản họp Hội đồng đơn vị"),
    ("initiative", "Quyết định công nhận sáng kiến"),
    ("initiative_effect", "Xác nhận phạm vi ảnh hưởng của sáng kiến"),
    ("prior_decisions", "Các quyết định khen thưởng trước"),
    ("cluster_score", "Kết quả chấm điểm cụm, khối thi đua"),
    ("confirmation", "Xác nhận của cơ quan có thẩm quyền"),
    ("party_opinion", "Ý kiến bằng văn bản của Ban Thường vụ Tỉnh ủy"),
    ("other", "Tài liệu khác"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0006_nominee_women_share"),
        ("registry", "0002_holds_initiatives_awarding_kind"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="document",
            name="category",
            field=models.CharField(choices=CATEGORIES, max_length=32, verbose_name="loại tài liệu"),
        ),
        migrations.AlterField(
            model_name="requireddocument",
            name="category",
            field=models.CharField(choices=CATEGORIES, max_length=32, verbose_name="loại tài liệu"),
        ),
        migrations.AddField(
            model_name="awardtype",
            name="posting_days",
            field=models.PositiveSmallIntegerField(
                default=0,
                help_text=(
                    "0: không công khai. Ví dụ Hà Nội QĐ 71/2025 điều 5: 7 ngày làm việc trên "
                    "cổng thông tin. Quyết định chỉ ban hành được sau khi hết thời gian công khai."
                ),
                verbose_name="thời gian công khai danh sách (ngày làm việc)",
            ),
        ),
        migrations.AddField(
            model_name="awardtype",
            name="posting_basis",
            field=models.CharField(
                blank=True,
                help_text="Ví dụ: Quyết định số 71/2025/QĐ-UBND, điều 5.",
                max_length=255,
                verbose_name="căn cứ công khai",
            ),
        ),
        migrations.AddField(
            model_name="awardtype",
            name="prize_multiple",
            field=models.DecimalField(
                blank=True,
                decimal_places=2,
                help_text=(
                    "Nghị định 152/2025 điều 49–54. Trống: không có tiền thưởng. Hộ gia đình: "
                    "1,5 lần mức của cá nhân."
                ),
                max_digits=5,
                null=True,
                verbose_name="tiền thưởng cá nhân (hệ số × lương cơ sở)",
            ),
        ),
        migrations.AddField(
            model_name="awardtype",
            name="prize_multiple_collective",
            field=models.DecimalField(
                blank=True,
                decimal_places=2,
                help_text="Nghị định 152/2025 điều 49–54. Trống: không có tiền thưởng.",
                max_digits=5,
                null=True,
                verbose_name="tiền thưởng tập thể (hệ số × lương cơ sở)",
            ),
        ),
        migrations.AddField(
            model_name="routestage",
            name="party_opinion_required",
            field=models.BooleanField(
                default=False,
                help_text=(
                    "Bật: bước này chỉ chuyển hồ sơ đi (chuyển tiếp, trình Hội đồng) khi đã đính "
                    "kèm ý kiến bằng văn bản của Ban Thường vụ Tỉnh ủy (ví dụ Bắc Ninh QĐ 86/2025 "
                    "điều 5 khoản 1 điểm a)."
                ),
                verbose_name="cần ý kiến bằng văn bản của Ban Thường vụ Tỉnh ủy",
            ),
        ),
        migrations.AddField(
            model_name="routestage",
            name="party_opinion_basis",
            field=models.CharField(
                blank=True,
                max_length=255,
                verbose_name="căn cứ lấy ý kiến Ban Thường vụ Tỉnh ủy",
            ),
        ),
        migrations.CreateModel(
            name="Posting",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "days",
                    models.PositiveSmallIntegerField(verbose_name="số ngày làm việc công khai"),
                ),
                ("basis", models.CharField(blank=True, max_length=255, verbose_name="căn cứ")),
                ("starts_on", models.DateField(verbose_name="công khai từ ngày")),
                ("ends_on", models.DateField(verbose_name="công khai đến hết ngày")),
                ("opened_at", models.DateTimeField(auto_now_add=True)),
                (
                    "dossier",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="posting",
                        to="dossiers.dossier",
                    ),
                ),
                (
                    "nominees",
                    models.ManyToManyField(
                        related_name="postings",
                        to="dossiers.nominee",
                        verbose_name="danh sách được công khai",
                    ),
                ),
                (
                    "opened_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "công khai danh sách đề nghị khen thưởng",
                "verbose_name_plural": "công khai danh sách đề nghị khen thưởng",
                "ordering": ["-starts_on", "-pk"],
            },
        ),
        migrations.CreateModel(
            name="Objection",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("text", models.TextField(verbose_name="nội dung phản ánh")),
                (
                    "on_behalf_of",
                    models.CharField(
                        blank=True,
                        help_text=(
                            "Họ tên, địa chỉ liên hệ của người dân phản ánh trực tiếp hoặc bằng "
                            "thư."
                        ),
                        max_length=255,
                        verbose_name="người phản ánh (khi cơ quan thường trực ghi thay)",
                    ),
                ),
                (
                    "raised_at",
                    models.DateTimeField(auto_now_add=True, verbose_name="thời điểm ghi nhận"),
                ),
                ("answer", models.TextField(blank=True, verbose_name="trả lời")),
                (
                    "answered_on",
                    models.DateField(blank=True, null=True, verbose_name="ngày trả lời"),
                ),
                (
                    "answered_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "hold",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="registry.hold",
                    ),
                ),
                (
                    "nominee",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="objections",
                        to="dossiers.nominee",
                        verbose_name="người, tập thể bị phản ánh",
                    ),
                ),
                (
                    "posting",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="objections",
                        to="dossiers.posting",
                    ),
                ),
                (
                    "raised_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="người ghi nhận",
                    ),
                ),
            ],
            options={
                "verbose_name": "ý kiến phản ánh",
                "verbose_name_plural": "ý kiến phản ánh",
                "ordering": ["posting", "raised_at", "pk"],
            },
        ),
    ]
