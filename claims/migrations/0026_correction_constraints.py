# The constraints of 0017 in a migration of their own: on PostgreSQL a table cannot be altered in
# the transaction that just updated its rows (pending deferred foreign-key checks).

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('claims', '0025_corrections_need_a_second_editor'),
    ]

    operations = [
        migrations.AddConstraint(
            model_name='verdictcorrection',
            constraint=models.UniqueConstraint(condition=models.Q(('status', 'proposed')), fields=('verdict',), name='verdictcorrection_one_proposal_per_verdict'),
        ),
        migrations.AddConstraint(
            model_name='verdictcorrection',
            constraint=models.CheckConstraint(condition=models.Q(('status__in', ['proposed', 'rework']), ('decided_at__isnull', False), _connector='OR'), name='verdictcorrection_decided_has_date'),
        ),
    ]
