"""The Rapporten screen: make, reopen and check documents."""
