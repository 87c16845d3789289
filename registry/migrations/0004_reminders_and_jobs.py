from tortoise import migrations
from tortoise.migrations import operations as ops
from registry.enums import ReminderStatus
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('registry', '0003_review_and_bot')]

    initial = False

    operations = [
        ops.CreateModel(
            name='JobRun',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('job', fields.CharField(max_length=32)),
                ('slot', fields.CharField(max_length=32)),
                ('started_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('finished_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('outcome', fields.TextField(null=True, unique=False)),
            ],
            options={'table': 'job_run', 'app': 'registry', 'unique_together': (('job', 'slot'),), 'pk_attr': 'id', 'table_description': 'One run of a scheduled job for one time slot, the row is the lock across processes.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Reminder',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('case', fields.ForeignKeyField('registry.Case', source_field='case_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('deadline', fields.DateField()),
                ('officer', fields.ForeignKeyField('registry.User', source_field='officer_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('channel', fields.CharField(max_length=10)),
                ('status', fields.CharEnumField(default=ReminderStatus.SENDING, description='SENDING: sending\nSENT: sent\nFAILED: failed', enum_type=ReminderStatus, max_length=8)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('sent_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('last_error', fields.TextField(null=True, unique=False)),
            ],
            options={'table': 'reminder', 'app': 'registry', 'unique_together': (('case', 'deadline', 'officer'),), 'pk_attr': 'id', 'table_description': 'A reminder that service is due, owed once per case, deadline and holder of process.'},
            bases=['Model'],
        ),
        ops.AddIndex(
            model_name='Case',
            index=Index(fields=['court_id', 'hearing_date']),
        ),
    ]
