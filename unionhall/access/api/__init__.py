"""The grants endpoints of /api/v1/: who holds which role where; granting and revoking."""
