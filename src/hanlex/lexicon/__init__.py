"""Word lists: read (`entries`), compiled to hashes (`compiled`), and user
dictionaries that force words at decode time (`userdict`)."""
