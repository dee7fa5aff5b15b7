"""Sub-commands of `examdesk`, one module per part; each has register(sub, db_option)."""
