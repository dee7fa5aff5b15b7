"""Pure rules and value types: no Qt, no SQL, no I/O."""
