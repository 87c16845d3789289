"""Pure parsers for the texts officers and courts send the gateway."""
