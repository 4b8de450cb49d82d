"""Funder reports move out of `advisory` into their own app. Their tables stay where they are,
under the names they have always had (`db_table`), with their rows, constraints and
triggers: this migration only tells Django's state that the models now live here.
`advisory` 0008 removes them from advisory's state, and moves their content types."""

import django.core.validators
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('advisory', '0007_one_list_of_paid_work'),
        ('accounts', '0009_sign_in_counters_in_the_database'),
        ('meetings', '0003_input_reminders'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='ImpactReport',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('year', models.PositiveIntegerField(validators=[django.core.validators.MinValueValidator(2000)])),
                        ('quarter', models.PositiveSmallIntegerField(default=0, validators=[django.core.validators.MinValueValidator(0), django.core.validators.MaxValueValidator(4)])),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('organization', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='impact_reports', to='accounts.organization')),
                    ],
                    options={
                        'db_table': 'advisory_impactreport',
                        'ordering': ['-year', '-quarter'],
                    },
                ),
                migrations.CreateModel(
                    name='QuoteRequest',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('wording', models.TextField(verbose_name='the exact words to quote')),
                        ('status', models.CharField(choices=[('asked', 'Waiting for the author'), ('approved', 'Approved by the author'), ('declined', 'Declined by the author'), ('withdrawn', 'Taken back by the author')], default='asked', max_length=16)),
                        ('requested_by_id', models.BigIntegerField(blank=True, null=True)),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('answered_at', models.DateTimeField(blank=True, null=True)),
                        ('input', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='meetings.input')),
                        ('report', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='quotes', to='reports.impactreport')),
                    ],
                    options={
                        'db_table': 'advisory_quoterequest',
                        'ordering': ['created_at', 'id'],
                    },
                ),
                migrations.CreateModel(
                    name='ReportVersion',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('number', models.PositiveIntegerField()),
                        ('status', models.CharField(choices=[('generating', 'Being prepared'), ('failed', 'Could not be prepared'), ('draft', 'Draft: waiting for the board'), ('replaced', 'Replaced by a newer draft'), ('published', 'Published')], default='generating', max_length=16)),
                        ('reason', models.CharField(choices=[('first', 'First draft'), ('regenerated', 'Prepared again by staff'), ('consent_changed', 'Prepared again: someone changed what may be counted'), ('quote_withdrawn', 'New version: a quote was taken out'), ('published_changed', 'Prepared again: another report was published in the meantime')], default='first', max_length=24)),
                        ('progress', models.PositiveSmallIntegerField(default=0, validators=[django.core.validators.MaxValueValidator(100)])),
                        ('snapshot', models.JSONField(blank=True, default=dict)),
                        ('method_version', models.CharField(blank=True, max_length=120)),
                        ('counted_ids', models.JSONField(blank=True, default=list)),
                        ('statement', models.TextField(blank=True, verbose_name="the board's statement")),
                        ('statement_updated_at', models.DateTimeField(blank=True, null=True)),
                        ('requested_by_id', models.BigIntegerField(blank=True, null=True)),
                        ('published_by_id', models.BigIntegerField(blank=True, null=True)),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('generated_at', models.DateTimeField(blank=True, null=True)),
                        ('published_at', models.DateTimeField(blank=True, null=True)),
                        ('report', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='versions', to='reports.impactreport')),
                    ],
                    options={
                        'db_table': 'advisory_reportversion',
                        'ordering': ['-number'],
                    },
                ),
                migrations.CreateModel(
                    name='SignOff',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('choice', models.CharField(choices=[('approve', 'I approve this report'), ('object', 'I do not approve it yet')], max_length=16)),
                        ('could_identify', models.BooleanField(default=False, verbose_name='this could identify someone')),
                        ('note', models.TextField(blank=True, verbose_name='what should change (optional)')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('updated_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='report_signoffs', to=settings.AUTH_USER_MODEL)),
                        ('version', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='signoffs', to='reports.reportversion')),
                    ],
                    options={
                        'db_table': 'advisory_signoff',
                    },
                ),
                migrations.AddConstraint(
                    model_name='impactreport',
                    constraint=models.UniqueConstraint(fields=('organization', 'year', 'quarter'), name='impact_report_one_per_period'),
                ),
                migrations.AddConstraint(
                    model_name='impactreport',
                    constraint=models.CheckConstraint(condition=models.Q(('quarter__gte', 0), ('quarter__lte', 4)), name='impact_report_quarter_0_4'),
                ),
                migrations.AddConstraint(
                    model_name='quoterequest',
                    constraint=models.UniqueConstraint(condition=models.Q(('status__in', ['asked', 'approved'])), fields=('report', 'input'), name='quote_request_one_open_per_input'),
                ),
                migrations.AddConstraint(
                    model_name='reportversion',
                    constraint=models.UniqueConstraint(fields=('report', 'number'), name='report_version_number_once'),
                ),
                migrations.AddConstraint(
                    model_name='reportversion',
                    constraint=models.UniqueConstraint(condition=models.Q(('status__in', ['generating', 'draft'])), fields=('report',), name='report_version_one_open_draft'),
                ),
                migrations.AddConstraint(
                    model_name='reportversion',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'published'), _negated=True), ('published_at__isnull', False), _connector='OR'), name='report_version_published_has_date'),
                ),
                migrations.AddConstraint(
                    model_name='signoff',
                    constraint=models.UniqueConstraint(fields=('version', 'user'), name='signoff_once_per_version'),
                ),
                migrations.AddConstraint(
                    model_name='signoff',
                    constraint=models.CheckConstraint(condition=models.Q(('choice', 'object'), ('could_identify', False), _connector='OR'), name='signoff_identify_is_an_objection'),
                ),
            ],
            database_operations=[],
        ),
    ]
