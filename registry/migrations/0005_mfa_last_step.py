from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('registry', '0004_reminders_and_jobs')]

    initial = False

    operations = [
        ops.AddField(
            model_name='User',
            name='mfa_last_step',
            field=fields.BigIntField(null=True),
        ),
    ]
