"""Downloading a package is an export of the residents it carries: its access-log row names them."""

from __future__ import annotations

from madoguchi.audit.events import AuditEvent
from madoguchi.audit.models import AccessLog
from madoguchi.audit.selectors import LogFilter, iter_log
from madoguchi.handover.services import packages
from tests.handover.test_packages import _make


def test_download_row_names_the_residents_of_the_package(world):
    # given a package made for the printer
    job = _make(world, run_now=True)
    made = AccessLog.objects.get(action=AuditEvent.HANDOVER_EXPORT, target=f"package:{job.pk}")
    assert made.resident_ids
    # when the owner downloads it
    packages.open_package(job=job, actor=world.actor("owner2"))
    # then the download's row names the same residents, so a filter by resident finds it
    row = AccessLog.objects.get(target=f"package:{job.pk}:download")
    assert (row.action, row.allowed, row.resident_ids, row.resident_count) == (
        AuditEvent.HANDOVER_EXPORT, True, made.resident_ids, len(made.resident_ids))
    targets = {r.target for r in iter_log(LogFilter(resident_id=made.resident_ids[0]))}
    assert {f"package:{job.pk}", f"package:{job.pk}:download"} <= targets
