"""Demo organisations and one log-in per role.  Everything here is fictitious except the public names
of the seed programs' departments and contractors, which come from the council documents."""

from __future__ import annotations

import random
from typing import Any

from madoguchi.accounts.models import Organisation, OrganisationKind, Role, RoleSetting, Terminal, User

DEMO_PASSWORD = "madoguchi-demo-2026"

# code, name, kind, parent code
ORGANISATIONS: list[tuple[str, str, str, str | None]] = [
    ("dept-crisis", "危機管理担当部危機管理課", OrganisationKind.DEPARTMENT, None),
    ("dept-tax", "総務部税務課", OrganisationKind.DEPARTMENT, None),
    ("dept-health", "健康部健康づくり課", OrganisationKind.DEPARTMENT, None),
    ("dept-child", "子ども家庭部児童育成担当課", OrganisationKind.DEPARTMENT, None),
    ("dept-general", "総務部総務課", OrganisationKind.DEPARTMENT, None),
    ("dept-registry", "地域振興部戸籍住民課", OrganisationKind.DEPARTMENT, None),
    ("privacy-office", "総務部区政情報課（個人情報保護担当）", OrganisationKind.PRIVACY_OFFICE, None),
    ("it-strategy", "総合政策部情報戦略課", OrganisationKind.IT, None),
    ("audit-office", "監査事務局", OrganisationKind.AUDIT, None),
    ("saison-personal-plus", "株式会社セゾンパーソナルプラス", OrganisationKind.CONTRACTOR, None),
    ("callcenter-demo", "（架空）防犯補助コールセンター株式会社", OrganisationKind.SUBCONTRACTOR, "saison-personal-plus"),
    ("hitachi-systems", "株式会社日立システムズ", OrganisationKind.CONTRACTOR, None),
    ("ntt-docomo", "株式会社NTTドコモ", OrganisationKind.CONTRACTOR, None),
    ("coprosystem", "株式会社コプロシステム", OrganisationKind.SUBCONTRACTOR, "ntt-docomo"),
    ("scsk-serviceware", "SCSKサービスウェア株式会社", OrganisationKind.SUBCONTRACTOR, "ntt-docomo"),
    ("densan", "株式会社電算", OrganisationKind.CONTRACTOR, None),
    ("kyokudo", "株式会社旭堂", OrganisationKind.CONTRACTOR, None),
]

# username, display name, role, organisation code, what to show in the demo banner
USERS: list[tuple[str, str, str, str, str]] = [
    ("tanto", "危機管理課 田中", Role.DEPARTMENT_STAFF, "dept-crisis", "担当課職員（防犯機器補助）"),
    ("tanto-child", "児童育成担当課 佐藤", Role.DEPARTMENT_STAFF, "dept-child", "担当課職員（子育て応援手当）"),
    ("tanto-general", "総務課 鈴木", Role.DEPARTMENT_STAFF, "dept-general", "担当課職員（はたちのつどい）"),
    ("tanto-health", "健康づくり課 高橋", Role.DEPARTMENT_STAFF, "dept-health", "担当課職員（健康ポイント）"),
    ("tanto-tax", "税務課 伊藤", Role.DEPARTMENT_STAFF, "dept-tax", "担当課職員（税務システム）"),
    ("hogo", "区政情報課 渡辺", Role.PRIVACY_OFFICE, "privacy-office", "個人情報保護担当"),
    ("itaku", "委託先 山本", Role.CONTRACTOR, "saison-personal-plus", "委託先オペレーター（防犯機器補助）"),
    ("callcenter", "コールセンター 中村", Role.SUBCONTRACTOR, "callcenter-demo", "再委託先（防犯補助コールセンター）"),
    ("saiitaku", "問合せ窓口 小林", Role.SUBCONTRACTOR, "scsk-serviceware", "再委託先（健康ポイント問合せ）"),
    ("insatsu", "印刷事業者 加藤", Role.CONTRACTOR, "kyokudo", "委託先（はたちのつどい印刷）"),
    ("kansa", "監査事務局 吉田", Role.AUDITOR, "audit-office", "監査担当"),
    ("kanri", "情報戦略課 山田", Role.ADMINISTRATOR, "it-strategy", "システム管理者"),
]


def ensure_organisations() -> dict[str, Organisation]:
    orgs: dict[str, Organisation] = {}
    for code, name, kind, parent in ORGANISATIONS:
        org, _ = Organisation.objects.update_or_create(
            code=code, defaults={"name": name, "kind": kind, "parent": orgs.get(parent) if parent else None}
        )
        orgs[code] = org
    return orgs


def seed(*, rng: random.Random, scale: str, stdout: Any) -> None:
    orgs = ensure_organisations()
    for username, display, role, org_code, _label in USERS:
        user, created = User.objects.get_or_create(
            username=username, defaults={"display_name": display, "role": role, "organisation": orgs[org_code]}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
    for role in Role.values:
        RoleSetting.objects.get_or_create(role=role)
    Terminal.objects.get_or_create(
        name="危機管理課 専用端末（VPN）", organisation=orgs["dept-crisis"],
        defaults={"network": "127.0.0.0/8", "roles": [Role.DEPARTMENT_STAFF]},
    )


def demo_logins() -> list[tuple[str, str]]:
    return [(username, label) for username, _d, _r, _o, label in USERS]
