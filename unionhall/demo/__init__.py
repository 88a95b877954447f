"""The demo organisation: units, history, users and roles built through the services."""
