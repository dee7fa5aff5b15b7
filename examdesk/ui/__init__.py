"""Qt only here: one package per screen (see docs/architecture.md, "The screens"), the one table model,
the dialog base. No SQL: everything goes through services."""
