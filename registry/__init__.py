"""The registry: cases, officers, entries, deliveries and the audit trail."""
