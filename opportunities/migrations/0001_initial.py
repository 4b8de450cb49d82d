"""Paid opportunities move out of `advisory` into their own app. Their tables stay where they are,
under the names they have always had (`db_table`), with their rows, constraints and
triggers: this migration only tells Django's state that the models now live here.
`advisory` 0008 removes them from advisory's state, and moves their content types."""

import django.core.validators
import django.db.models.deletion
import django.utils.timezone
from decimal import Decimal
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('advisory', '0007_one_list_of_paid_work'),
        ('accounts', '0009_sign_in_counters_in_the_database'),
        ('compensation', '0004_booked_work_append_only'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Opportunity',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('title', models.CharField(max_length=200, verbose_name='title')),
                        ('kind', models.CharField(choices=[('preparation', 'Preparing for a meeting'), ('reading_minutes', 'Reading minutes'), ('confirming_input', 'Checking what staff wrote down'), ('reviewing_reports', 'Reviewing a report'), ('document_review', 'Reviewing documents'), ('speaking', 'Speaking'), ('training', 'Training others'), ('co_facilitating', 'Co-facilitating'), ('hiring_panel', 'Sitting on a hiring panel'), ('evaluation', 'Evaluation'), ('other', 'Other work for the program')], max_length=24, verbose_name='kind of work')),
                        ('area', models.CharField(blank=True, max_length=32, verbose_name='topic')),
                        ('involves', models.TextField(verbose_name='what it involves')),
                        ('time_needed', models.CharField(max_length=200, verbose_name='time needed')),
                        ('hours', models.DecimalField(decimal_places=2, max_digits=5, validators=[django.core.validators.MinValueValidator(0), django.core.validators.MaxValueValidator(Decimal('200'))], verbose_name='hours of work')),
                        ('pay_basis', models.CharField(choices=[('hourly', 'Paid by the hour'), ('fixed', 'A fixed amount')], max_length=8, verbose_name='how it is paid')),
                        ('fixed_amount', models.DecimalField(blank=True, decimal_places=2, max_digits=10, null=True, verbose_name='fixed amount')),
                        ('starts_on', models.DateField(verbose_name='first day')),
                        ('ends_on', models.DateField(blank=True, null=True, verbose_name='last day')),
                        ('public_facing', models.BooleanField(default=False, verbose_name='the public will see or hear the person')),
                        ('story_expected', models.BooleanField(default=False, verbose_name='it asks people to share their own story')),
                        ('how_chosen', models.TextField(verbose_name='how people are chosen')),
                        ('status', models.CharField(choices=[('open', 'Open'), ('closed', 'Closed'), ('cancelled', 'Cancelled')], default='open', max_length=12)),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('organization', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='opportunities', to='accounts.organization')),
                    ],
                    options={
                        'verbose_name_plural': 'opportunities',
                        'db_table': 'advisory_opportunity',
                        'ordering': ['starts_on', 'id'],
                    },
                ),
                migrations.CreateModel(
                    name='OpportunityInterest',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('status', models.CharField(choices=[('interested', 'Interested'), ('withdrawn', 'No longer interested'), ('offered', 'Offered'), ('accepted', 'Accepted'), ('declined', 'Declined'), ('completed', 'Done')], default='interested', max_length=12)),
                        ('no_photos', models.BooleanField(default=False, verbose_name='no photos')),
                        ('no_recording', models.BooleanField(default=False, verbose_name='no audio or video recording')),
                        ('first_name_only', models.BooleanField(default=False, verbose_name='first name only')),
                        ('different_name', models.CharField(blank=True, max_length=80, verbose_name='use this name instead')),
                        ('no_organization_name', models.BooleanField(default=False, verbose_name="do not put the organization's name next to mine")),
                        ('terms_set_at', models.DateTimeField(blank=True, null=True)),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('offered_at', models.DateTimeField(blank=True, null=True)),
                        ('answered_at', models.DateTimeField(blank=True, null=True)),
                        ('completed_at', models.DateTimeField(blank=True, null=True)),
                        ('ledger_entry', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='opportunity_interest', to='compensation.ledgerentry')),
                        ('opportunity', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='interests', to='opportunities.opportunity')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='opportunity_interests', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'advisory_opportunityinterest',
                        'ordering': ['created_at', 'id'],
                    },
                ),
                migrations.AddIndex(
                    model_name='opportunity',
                    index=models.Index(fields=['organization', 'status', 'starts_on'], name='opportunity_org_idx'),
                ),
                migrations.AddConstraint(
                    model_name='opportunity',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('pay_basis', 'fixed'), _negated=True), ('fixed_amount__gt', 0), _connector='OR'), name='opportunity_fixed_has_amount'),
                ),
                migrations.AddConstraint(
                    model_name='opportunity',
                    constraint=models.CheckConstraint(condition=models.Q(('ends_on__isnull', True), ('ends_on__gte', models.F('starts_on')), _connector='OR'), name='opportunity_ends_after_it_starts'),
                ),
                migrations.AddConstraint(
                    model_name='opportunityinterest',
                    constraint=models.UniqueConstraint(fields=('opportunity', 'user'), name='opportunity_interest_once'),
                ),
            ],
            database_operations=[],
        ),
    ]
