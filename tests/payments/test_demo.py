from __future__ import annotations

import io
import random

import pytest

from madoguchi.core.bankkana import is_bank_kana
from madoguchi.payments.models import PaymentBatch, PaymentProfile
from madoguchi.payments.services.demo import seed
from tests.factories import ProgramFactory


@pytest.mark.django_db
def test_demo_profiles_for_the_two_paying_programs():
    for code in ("crime-prevention-subsidy-2026", "child-support-allowance-2025"):
        ProgramFactory(code=code)
    seed(rng=random.Random(1), scale="small", stdout=io.StringIO())
    seed(rng=random.Random(1), scale="small", stdout=io.StringIO())  # twice: still one each
    profiles = list(PaymentProfile.objects.all())
    assert len(profiles) == 2
    assert all(is_bank_kana(p.requester_name) and len(p.requester_name) <= 40 for p in profiles)
    assert not PaymentBatch.objects.exists()
