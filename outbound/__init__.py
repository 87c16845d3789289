"""Fan-out of service entries to fax, the state switch and NCIC."""
