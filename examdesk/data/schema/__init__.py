"""One module per schema version; each holds an `upgrade(conn)` step."""
