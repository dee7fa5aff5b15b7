"""Use cases: check the user's permission, run the rules, write through the store, audit."""
