"""Factories on the real database.  Residents are generated dummies (Faker ja_JP), never real people."""

from __future__ import annotations

import datetime as dt

import factory
from faker import Faker

from madoguchi.accounts.models import Organisation, OrganisationKind, Role, User
from madoguchi.register.models import DataItem, ItemCategory, Program, Revision, RevisionStatus
from madoguchi.residents.models import Resident

fake = Faker("ja_JP")
PASSWORD = "test-password-0001"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"org-{n}")
    name = factory.Sequence(lambda n: f"テスト組織{n}")
    kind = OrganisationKind.DEPARTMENT


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.LazyAttribute(lambda o: o.username)
    role = Role.DEPARTMENT_STAFF
    organisation = factory.SubFactory(OrganisationFactory)

    @factory.post_generation
    def password(self, create: bool, extracted: str | None, **kwargs: object) -> None:
        self.set_password(extracted or PASSWORD)
        if create:
            self.save()


class ResidentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Resident

    resident_no = factory.Sequence(lambda n: f"{100000000 + n}")
    name = factory.LazyFunction(lambda: f"{fake.last_name()}　{fake.first_name()}")
    name_kana = factory.LazyFunction(lambda: f"{fake.last_kana_name()}　{fake.first_kana_name()}")
    birth_date = factory.LazyFunction(lambda: fake.date_of_birth(minimum_age=0, maximum_age=95))
    sex = "女"
    postal_code = "160-0023"
    address = factory.Sequence(lambda n: f"東京都新宿区西新宿二丁目{n % 20 + 1}番{n % 9 + 1}号")
    household_no = factory.Sequence(lambda n: f"H{n:08d}")
    relation = "世帯主"


class DataItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DataItem
        django_get_or_create = ("key",)

    key = factory.Sequence(lambda n: f"item{n}")
    name = factory.Sequence(lambda n: f"項目{n}")
    category = ItemCategory.IDENTITY


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Program
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"program-{n}")
    name = factory.Sequence(lambda n: f"テスト事業{n}")
    department = factory.SubFactory(OrganisationFactory)


class RevisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Revision

    program = factory.SubFactory(ProgramFactory)
    number = 1
    status = RevisionStatus.DRAFT
    title = factory.LazyAttribute(lambda o: f"{o.program.name}について")
    start_date = dt.date(2026, 4, 1)
    end_date = dt.date(2027, 3, 31)
