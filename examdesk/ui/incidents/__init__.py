"""The Incidenten screen: the commission's desk, its list, the incident's file and its dialogs."""
