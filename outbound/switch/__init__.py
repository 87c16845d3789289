"""The state message switch and NCIC: service-update messages, their tcp framing, a simulator."""
