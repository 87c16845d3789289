from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from registry.enums import DecisionKind, SummaryStatus
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('registry', '0002_web_accounts')]

    initial = False

    operations = [
        ops.CreateModel(
            name='BotConversation',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('chat_id', fields.BigIntField(unique=True)),
                ('state', fields.CharField(max_length=32)),
                ('data', fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('updated_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'bot_conversation', 'app': 'registry', 'pk_attr': 'id', 'table_description': 'Where one Telegram chat stands in its conversation, kept here so any process can answer.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='BotSummary',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('key', fields.CharField(unique=True, max_length=16)),
                ('chat_id', fields.BigIntField(db_index=True)),
                ('user', fields.ForeignKeyField('registry.User', source_field='user_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('draft', fields.JSONField(encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('status', fields.CharEnumField(default=SummaryStatus.PENDING, description='PENDING: pending\nCONFIRMED: confirmed\nCANCELLED: cancelled', enum_type=SummaryStatus, max_length=10)),
                ('entry', fields.ForeignKeyField('registry.Entry', source_field='entry_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('notified_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'bot_summary', 'app': 'registry', 'pk_attr': 'id', 'table_description': "A summary awaiting the officer's Confirm, callback buttons carry only its short key."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ReviewDecision',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('item', fields.ForeignKeyField('registry.ReviewItem', source_field='item_id', db_constraint=True, to_field='id', related_name='decisions', on_delete=OnDelete.RESTRICT)),
                ('report_index', fields.IntField()),
                ('kind', fields.CharEnumField(description='CONFIRMED: confirmed\nREJECTED: rejected\nLINKED: linked', enum_type=DecisionKind, max_length=10)),
                ('entry', fields.ForeignKeyField('registry.Entry', source_field='entry_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('decided_by', fields.ForeignKeyField('registry.User', source_field='decided_by_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('decided_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('note', fields.TextField(null=True, unique=False)),
            ],
            options={'table': 'review_decision', 'app': 'registry', 'unique_together': (('item', 'report_index'),), 'pk_attr': 'id', 'table_description': 'What staff decided about one report of a review item, at most one decision per report.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='TelegramLink',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('token_hash', fields.CharField(unique=True, max_length=64)),
                ('user', fields.ForeignKeyField('registry.User', source_field='user_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('expires_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('used_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('chat_id', fields.BigIntField(null=True)),
            ],
            options={'table': 'telegram_link', 'app': 'registry', 'pk_attr': 'id', 'table_description': 'A one-time link an officer opens in Telegram to bind that chat to the account.'},
            bases=['Model'],
        ),
    ]
