"""Faxes to the police agencies: the notification page and its transports."""
