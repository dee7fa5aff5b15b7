"""Qt only here: one module per screen, table models, dialogs. No SQL: everything goes through services."""
