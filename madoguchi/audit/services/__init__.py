"""Writing the access log.  Call :func:`record_access` inside the transaction of the change or read."""

from madoguchi.audit.services.record import record_access, record_denied

__all__ = ["record_access", "record_denied"]
