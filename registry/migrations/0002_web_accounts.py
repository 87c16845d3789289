from tortoise import migrations
from tortoise.migrations import operations as ops
from registry.models import AccessRequestStatus
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('registry', '0001_initial')]

    initial = False

    operations = [
        ops.CreateModel(
            name='AccessRequest',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('full_name', fields.CharField(max_length=100)),
                ('username', fields.CharField(max_length=64)),
                ('email', fields.CharField(max_length=320)),
                ('phone', fields.CharField(default='', max_length=32)),
                ('officer_number', fields.CharField(default='', max_length=16)),
                ('employer', fields.CharField(default='', max_length=120)),
                ('reason', fields.TextField(default='', unique=False)),
                ('status', fields.CharEnumField(default=AccessRequestStatus.PENDING, description='PENDING: pending\nAPPROVED: approved\nREJECTED: rejected', enum_type=AccessRequestStatus, max_length=10)),
                ('submitted_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('decided_by', fields.ForeignKeyField('registry.User', source_field='decided_by_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('decided_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('decision_note', fields.TextField(null=True, unique=False)),
                ('account', fields.ForeignKeyField('registry.User', source_field='account_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
            ],
            options={'table': 'access_request', 'app': 'registry', 'indexes': [Index(fields=['status', 'submitted_at'])], 'pk_attr': 'id', 'table_description': 'A request for an officer account, made on the public form, decided by staff.'},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='User',
            name='sessions_valid_after',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
    ]
