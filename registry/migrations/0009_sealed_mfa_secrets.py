from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('registry', '0008_access_request_client')]

    initial = False

    operations = [
        ops.AlterField(
            model_name='User',
            name='mfa_secret',
            field=fields.CharField(null=True, max_length=200),
        ),
    ]
