# The award registry's own app (issue 11). It takes over the tables decisions 0001 created,
# in state only (database_operations=[]: same tables, same names, not a row touched), and
# renames the two content types so audit events and permissions keep pointing at them.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

MOVED = ('registryentry', 'eligibilityoverride')


def _relabel(apps, schema_editor, *, old: str, new: str) -> None:
    content_types = apps.get_model('contenttypes', 'ContentType').objects.using(
        schema_editor.connection.alias
    )
    for model in MOVED:
        # Created afresh (post_migrate of an earlier run)? Then the old one stays as it is.
        if not content_types.filter(app_label=new, model=model).exists():
            content_types.filter(app_label=old, model=model).update(app_label=new)


def forwards(apps, schema_editor):
    _relabel(apps, schema_editor, old='decisions', new='registry')


def backwards(apps, schema_editor):
    _relabel(apps, schema_editor, old='registry', new='decisions')


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('decisions', '0004_registry_moves_out'),
        ('dossiers', '0002_initial'),
        ('organisations', '0001_initial'),
        ('contenttypes', '0002_remove_content_type_name'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='EligibilityOverride',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('rule', models.CharField(max_length=32, verbose_name='quy tắc')),
                        ('reason', models.TextField(verbose_name='lý do')),
                        ('at', models.DateTimeField(auto_now_add=True)),
                        ('by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('dossier', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='overrides', to='dossiers.dossier')),
                        ('nominee', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='overrides', to='dossiers.nominee')),
                    ],
                    options={
                        'verbose_name': 'chấp thuận ngoại lệ điều kiện',
                        'verbose_name_plural': 'chấp thuận ngoại lệ điều kiện',
                        'db_table': 'decisions_eligibilityoverride',
                        'ordering': ['dossier', 'at'],
                    },
                ),
                migrations.CreateModel(
                    name='RegistryEntry',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('subject_key', models.CharField(db_index=True, max_length=300, verbose_name='mã đối tượng')),
                        ('subject_kind', models.CharField(choices=[('collective', 'Tập thể'), ('individual', 'Cá nhân'), ('household', 'Hộ gia đình')], max_length=16, verbose_name='đối tượng')),
                        ('full_name', models.CharField(max_length=255, verbose_name='họ và tên / tên tập thể')),
                        ('birth_year', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='năm sinh')),
                        ('position', models.CharField(blank=True, max_length=255, verbose_name='chức vụ')),
                        ('organisation_name', models.CharField(blank=True, max_length=255, verbose_name='đơn vị công tác')),
                        ('award_code', models.SlugField(max_length=32, verbose_name='mã hình thức')),
                        ('award_name', models.CharField(max_length=255, verbose_name='hình thức khen thưởng')),
                        ('year', models.PositiveSmallIntegerField(verbose_name='năm')),
                        ('achievement_key', models.CharField(max_length=100, verbose_name='thành tích')),
                        ('achievement', models.TextField(blank=True, verbose_name='tóm tắt thành tích')),
                        ('decision_label', models.CharField(max_length=64, verbose_name='số quyết định')),
                        ('decision_date', models.DateField(verbose_name='ngày quyết định')),
                        ('issuer_name', models.CharField(max_length=255, verbose_name='cơ quan ban hành')),
                        ('status', models.CharField(choices=[('valid', 'Còn hiệu lực'), ('revoked', 'Đã thu hồi')], default='valid', max_length=16, verbose_name='tình trạng')),
                        ('revoked_reason', models.TextField(blank=True, verbose_name='lý do thu hồi')),
                        ('revoked_at', models.DateTimeField(blank=True, null=True)),
                        ('flagged', models.TextField(blank=True, help_text='Khen thưởng này dựa trên một khen thưởng đã bị thu hồi.', verbose_name='cần xem xét lại')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('decision', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='registry', to='decisions.decision')),
                        ('issuer', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organisations.organisation', verbose_name='cơ quan ban hành')),
                        ('nominee', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='dossiers.nominee')),
                        ('organisation', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organisations.organisation', verbose_name='đơn vị')),
                    ],
                    options={
                        'verbose_name': 'kết quả khen thưởng',
                        'verbose_name_plural': 'kết quả khen thưởng',
                        'db_table': 'decisions_registryentry',
                        'ordering': ['-year', 'full_name', 'pk'],
                        'indexes': [models.Index(fields=['award_code', 'year', 'organisation'], name='decisions_r_award_c_f93775_idx'), models.Index(fields=['full_name'], name='decisions_r_full_na_ad338c_idx')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(forwards, backwards),
    ]
