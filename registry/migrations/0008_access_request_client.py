from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('registry', '0007_email_message_id')]

    initial = False

    operations = [
        ops.AddField(
            model_name='AccessRequest',
            name='client_address',
            field=fields.CharField(default='', db_index=True, db_default='', max_length=64),
        ),
    ]
