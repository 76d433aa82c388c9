"""Field encryption at rest: unreadable in raw SQL, readable through the ORM, and key rotation
(``madoguchi rotate_field_keys``) with old+new keys, after which the old key can be removed."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection

from madoguchi.audit.models import AccessLog
from madoguchi.core import crypto
from madoguchi.handover.models import PackageJob
from tests.handover.factories import build_world

SECRET = "Pw-2026-ひみつ-Secret"


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def job(db):
    world = build_world(cohort=0)
    return PackageJob.objects.create(
        program=world.programs["coming"], outsourcing=world.outsourcings["kyokudo"], recipient=world.orgs["kyokudo"],
        task="printing", medium="usb", items=["name"], purpose="test", requested_by=world.users["owner"],
        password=SECRET)


def _raw(pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT password FROM handover_packagejob WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def test_value_is_unreadable_in_raw_sql_and_readable_through_the_orm(job):
    raw = _raw(job.pk)
    assert raw.startswith(crypto.PREFIX)
    assert SECRET not in raw and "Secret" not in raw
    assert PackageJob.objects.get(pk=job.pk).password == SECRET
    assert PackageJob.objects.values_list("password", flat=True).get(pk=job.pk) == SECRET


def test_every_encrypted_field_is_found(db):
    found = {model._meta.label: names for model, names in crypto.encrypted_models()}
    assert found["handover.PackageJob"] == ["password"]


def test_rotation_with_old_and_new_keys_then_old_key_removed(settings, db):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.FIELD_KEYS = [old]
    world = build_world(cohort=0)
    job = PackageJob.objects.create(
        program=world.programs["coming"], outsourcing=world.outsourcings["kyokudo"], recipient=world.orgs["kyokudo"],
        task="printing", medium="usb", items=["name"], purpose="test", requested_by=world.users["owner"],
        password=SECRET)
    before = _raw(job.pk)
    # given only the new key, the old value cannot be read (so the rotation below is what makes it readable)
    settings.FIELD_KEYS = [new]
    with pytest.raises(ImproperlyConfigured):
        PackageJob.objects.get(pk=job.pk).password  # noqa: B018
    # when the new key is put first and the old one kept, and the command runs
    settings.FIELD_KEYS = [new, old]
    call_command("rotate_field_keys", "--batch-size", "1", "--operator", "owner")
    after = _raw(job.pk)
    assert after != before and after.startswith(crypto.PREFIX) and SECRET not in after
    # then, with the old key removed, the value still decrypts
    settings.FIELD_KEYS = [new]
    assert PackageJob.objects.get(pk=job.pk).password == SECRET
    log = AccessLog.objects.get(action="crypto.key_rotation")
    assert log.username == "owner" and "handover.PackageJob.password 1件" in log.reason


def test_rotation_encrypts_a_value_stored_before_encryption(job):
    with connection.cursor() as cursor:
        cursor.execute("UPDATE handover_packagejob SET password = %s WHERE id = %s", ["plain-old", job.pk])
    call_command("rotate_field_keys", "--as", "owner")
    assert _raw(job.pk).startswith(crypto.PREFIX)
    assert PackageJob.objects.get(pk=job.pk).password == "plain-old"
