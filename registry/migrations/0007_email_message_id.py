from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('registry', '0006_outgoing_messages')]

    initial = False

    operations = [
        ops.AddField(
            model_name='InboundMessage',
            name='message_id',
            field=fields.CharField(null=True, max_length=255),
        ),
        ops.AddIndex(
            model_name='InboundMessage',
            index=Index(fields=['message_id']),
        ),
    ]
