from tortoise import migrations
from tortoise.migrations import operations as ops
from registry.enums import Adapter
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('registry', '0005_mfa_last_step')]

    initial = False

    operations = [
        ops.AlterModelOptions(
            name='Delivery',
            options={'table': 'delivery', 'app': 'registry', 'indexes': [Index(fields=['status', 'next_attempt_at']), Index(fields=['entry_id'])], 'pk_attr': 'id', 'table_description': 'One message owed to one receiver (the transactional outbox).'},
        ),
        ops.AlterField(
            model_name='Delivery',
            name='adapter',
            field=fields.CharEnumField(description='FAX: fax\nCOLLECT: collect\nNCIC: ncic\nEMAIL: email\nTELEGRAM: telegram', enum_type=Adapter, max_length=8),
        ),
        ops.AlterField(
            model_name='Delivery',
            name='entry',
            field=fields.ForeignKeyField('registry.Entry', source_field='entry_id', null=True, db_constraint=True, to_field='id', related_name='deliveries', on_delete=OnDelete.RESTRICT),
        ),
        ops.AddField(
            model_name='Delivery',
            name='inbound',
            field=fields.ForeignKeyField('registry.InboundMessage', source_field='inbound_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT),
        ),
        ops.AddField(
            model_name='Delivery',
            name='reminder',
            field=fields.ForeignKeyField('registry.Reminder', source_field='reminder_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT),
        ),
    ]
