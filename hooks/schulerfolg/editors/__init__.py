"""The editors' tools: validate, the pull-request diff, the JSON schemas, German command lines."""
