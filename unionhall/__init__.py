"""unionhall: a platform for trade unions and mass organisations."""
