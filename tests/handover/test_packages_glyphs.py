"""Hand-over packages and characters: IVS dropped for CP932 and counted (issue 15 §3); vendor 外字 written as
the ward's table maps them, an unmapped one refused with line and column (issue 19 §4).  ADR 0016."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from madoguchi.core import gaiji
from madoguchi.handover.models import JobStatus, LedgerEntry
from madoguchi.handover.services.packing import GETA, UnmappedGaiji, encode_csv
from madoguchi.residents.models import GaijiMapping, Resident
from madoguchi.residents.services.gaiji import clear_cache
from tests.handover.test_packages import _make, _open

IVS = "\U000E0100"


@pytest.fixture(autouse=True)
def _fresh_table():
    clear_cache()
    yield
    clear_cache()


def test_ivs_is_dropped_for_cp932_counted_in_the_ledger_and_kept_in_storage(world):
    r = world.residents["first_day"]
    Resident.objects.filter(pk=r.pk).update(name=f"葛{IVS}飾　花子")
    job = _make(world, run_now=True)
    assert job.status == JobStatus.DONE
    _names, data = _open(job, job.password)
    assert "葛飾　花子" in data.decode("cp932")
    assert "異体字セレクタ 1 字" in LedgerEntry.objects.get(package=job).content
    assert Resident.objects.get(pk=r.pk).name == f"葛{IVS}飾　花子"  # storage keeps the selector


def test_geta_option_never_adds_a_character_for_an_ivs(world):
    Resident.objects.filter(pk=world.residents["first_day"].pk).update(name=f"葛{IVS}飾　花子")
    job = _make(world, run_now=True, replace_unencodable=True)
    assert job.status == JobStatus.DONE and job.replaced_count == 0
    text = _open(job, job.password)[1].decode("cp932")
    assert "葛飾　花子" in text and "葛〓飾" not in text


def test_utf8_package_keeps_the_selector():
    out = encode_csv(["氏名"], ["name"], [(1, {"name": f"葛{IVS}飾"})], encoding="utf-8", gaiji_table={})
    assert f"葛{IVS}飾".encode() in out.data and out.selectors_dropped == 0


def test_unmapped_gaiji_refuses_the_package_with_line_and_column(world):
    Resident.objects.filter(pk=world.residents["first_day"].pk).update(name="\ue000田　太郎")
    job = _make(world, run_now=True)
    assert job.status == JobStatus.FAILED
    assert "外字対応表にない外字" in job.error and "「F040」" in job.error
    assert "「氏名」列" in job.error and "行目" in job.error
    assert not job.file_path and not LedgerEntry.objects.exists()


@pytest.mark.parametrize("encoding", ["cp932", "utf-8"])
def test_mapped_gaiji_is_written_as_its_standard_character(world, encoding):
    GaijiMapping.objects.create(char="\ue000", vendor_code="F040", standard=f"髙{IVS}")
    Resident.objects.filter(pk=world.residents["first_day"].pk).update(name="\ue000田　太郎")
    job = _make(world, run_now=True, encoding=encoding)
    assert job.status == JobStatus.DONE
    text = _open(job, job.password)[1].decode("cp932" if encoding == "cp932" else "utf-8")
    assert ("髙田　太郎" if encoding == "cp932" else f"髙{IVS}田　太郎") in text
    assert "\ue000" not in text
    assert "外字 1 字を外字対応表の文字で出力" in LedgerEntry.objects.get(package=job).content


def test_unmapped_gaiji_is_refused_even_with_the_geta_option():
    with pytest.raises(UnmappedGaiji) as caught:
        encode_csv(["氏名", "住所"], ["name", "address"], [(1, {"name": "山田", "address": "西新宿\ue001"})],
                   replace_unencodable=True, gaiji_table={})
    assert [(e.line, e.column) for e in caught.value.errors] == [(2, "住所")]


_NAME = st.lists(st.sampled_from(list("山田葛飾辻髙橋渡邉") + [IVS, "\U000E0101", "\ufe00"]), min_size=1, max_size=10)


@settings(max_examples=60, deadline=None)
@given(_NAME, st.booleans())
def test_property_cp932_output_is_the_name_without_selectors_never_a_geta(chars, replace):
    name = "".join(chars)
    out = encode_csv(["氏名"], ["name"], [(1, {"name": name})], replace_unencodable=replace, gaiji_table={})
    written = out.data.decode("cp932").split("\r\n")[1]
    expected = "".join(c for c in name if c not in (IVS, "\U000E0101", "\ufe00"))
    assert written.strip('"') == expected and GETA not in written
    assert out.selectors_dropped == len(name) - len(expected)


def test_gaiji_mapping_provider_is_the_ward_table(db):
    GaijiMapping.objects.create(char="\ue005", vendor_code="F045", standard="﨑")
    GaijiMapping.objects.create(char="\ue006", vendor_code="F046", standard="")  # seen, not yet mapped
    assert dict(gaiji.current_mapping()) == {"\ue005": "﨑"}
