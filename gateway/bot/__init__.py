"""The Telegram bot's conversation and replies, apart from the Telegram library itself."""
