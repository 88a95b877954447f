"""One error shape for the whole API: {"error": {"code", "message", "fields"}}."""
