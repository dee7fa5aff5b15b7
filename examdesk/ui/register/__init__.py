"""The Register screen: kwalificaties, instruments and suppliers, their dialogs and table models."""
