"""The gateway: the composition root that speaks HTTP, SMTP and Telegram."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("por-gateway")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0.0.0+source"
