"""Demo operations of ``crime-prevention-subsidy-2026`` (seed 000): the e-form mapping, a
past-grantee list, about 1,000 applications over every state (linked to demo residents where they are
residents), duplicates of past grantees, inquiries and issued notices.  (The subsidy rule itself is seeded
by the program type, :mod:`madoguchi.programs.types.application_subsidy.demo`, which runs before.)

Rows are written in bulk (the demo is data, not a replay of the screens); every later change goes through
the services.  Granted cases with valid accounts are left out of any payment batch for the payments demo.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.utils import timezone

from madoguchi.accounts.models import User
from madoguchi.casework.models import (
    Case,
    CaseEvent,
    Channel,
    DuplicateCandidate,
    FormProfile,
    Inquiry,
    Notice,
    NoticeKind,
    PastGrantee,
    PastGranteeList,
    PurchaseLine,
    Settlement,
    Source,
    Status,
)
from madoguchi.casework.services.notices import ensure_templates
from madoguchi.core.era import fiscal_year_wareki
from madoguchi.core.text import address_key, household_key, kana_key, name_key, split_address
from madoguchi.register.models import Participation, Program
from madoguchi.residents.models import Resident

CODE = "crime-prevention-subsidy-2026"
TODAY = dt.date(2026, 11, 22)
PLEDGES = ["暴力団員等に該当しないこと", "申請内容が事実であること", "区が住民記録等を確認することへの同意"]
ATTACHMENTS = ["領収書の写し", "購入した機器の写真"]
EQUIPMENT = [("防犯カメラ", 18000, 45000), ("録画機能付きインターホン", 15000, 40000), ("補助錠", 2000, 8000),
             ("防犯フィルム", 5000, 30000), ("センサーライト", 3000, 9000), ("窓用防犯ブザー", 1000, 4000),
             ("防犯砂利", 2000, 6000), ("面格子", 10000, 50000)]
SHOPS = ["新宿電機", "ホームセンター西新宿店", "大久保ロックサービス", "早稲田防犯設備", "ネット通販"]
ACCOUNTS = [("みずほ", "0001", "東京営業部", "001"), ("三菱ＵＦＪ", "0005", "本店", "001"),
            ("三菱ＵＦＪ", "0005", "神田駅前", "010"), ("三井住友", "0009", "神保町", "001"),
            ("ゆうちょ", "9900", "〇〇八", "008")]
# state → share of the applications (every state is present)
STATES: list[tuple[str, int]] = [
    (Status.RECEIVED, 110), (Status.UNDER_REVIEW, 140), (Status.CORRECTION_REQUESTED, 60), (Status.RE_REVIEW, 40),
    (Status.GRANTED, 180), (Status.NOT_GRANTED, 50), (Status.QUEUED, 60), (Status.PAID, 250),
    (Status.TRANSFER_FAILED, 25), (Status.RETRANSFER, 15), (Status.CLOSED, 70),
]
PATH: dict[str, list[str]] = {
    Status.RECEIVED: [],
    Status.UNDER_REVIEW: [Status.UNDER_REVIEW],
    Status.CORRECTION_REQUESTED: [Status.UNDER_REVIEW, Status.CORRECTION_REQUESTED],
    Status.RE_REVIEW: [Status.UNDER_REVIEW, Status.CORRECTION_REQUESTED, Status.RE_REVIEW],
    Status.GRANTED: [Status.UNDER_REVIEW, Status.GRANTED],
    Status.NOT_GRANTED: [Status.UNDER_REVIEW, Status.NOT_GRANTED],
    Status.QUEUED: [Status.UNDER_REVIEW, Status.GRANTED, Status.QUEUED],
    Status.PAID: [Status.UNDER_REVIEW, Status.GRANTED, Status.QUEUED, Status.PAID],
    Status.TRANSFER_FAILED: [Status.UNDER_REVIEW, Status.GRANTED, Status.QUEUED, Status.TRANSFER_FAILED],
    Status.RETRANSFER: [Status.UNDER_REVIEW, Status.GRANTED, Status.QUEUED, Status.TRANSFER_FAILED, Status.RETRANSFER],
    Status.CLOSED: [Status.UNDER_REVIEW, Status.GRANTED, Status.QUEUED, Status.PAID, Status.CLOSED],
}
CORRECTIONS = ["領収書の宛名が申請者と異なるため、申請者宛ての領収書の写しを提出してください。",
               "購入した機器の写真が不鮮明です。機器の全体が分かる写真を提出してください。",
               "口座名義フリガナと通帳の名義が一致しません。通帳の写しを提出してください。"]
MAPPING = {
    "回答ID": "response_id", "申請日時": "application_date", "郵便番号": "postal_code", "住所": "address",
    "氏名": "name", "氏名（フリガナ）": "name_kana", "生年月日": "birth_date", "電話番号": "phone",
    "メールアドレス": "email", "世帯主氏名": "household_head", "世帯主との続柄": "household_relation",
    "購入機器1_品目": "item_1", "購入機器1_購入日": "purchase_date_1", "購入機器1_購入店舗": "shop_1",
    "購入機器1_購入金額": "cost_1", "購入機器1_設置工事": "installation_1",
    "購入機器2_品目": "item_2", "購入機器2_購入日": "purchase_date_2", "購入機器2_購入店舗": "shop_2",
    "購入機器2_購入金額": "cost_2", "購入機器2_設置工事": "installation_2",
    "補助申請額": "application_amount", "金融機関名": "bank_name", "金融機関コード": "bank_code",
    "支店名": "branch_name", "支店コード": "branch_code", "預金種目": "account_type", "口座番号": "account_number",
    "口座名義": "account_holder", "口座名義（フリガナ）": "account_holder_kana",
    "誓約事項1": f"pledge:{PLEDGES[0]}", "誓約事項2": f"pledge:{PLEDGES[1]}", "同意事項": f"pledge:{PLEDGES[2]}",
    "添付ファイル": "attachments", "フォームID": "",
}


def _alt_address(address: str, rng: random.Random) -> str:
    """The same address as a past list might have it (hyphens instead of 丁目・番・号)."""
    base, building = split_address(address)
    text = "新宿区" + base
    return text + (" " + building if building and rng.random() < 0.5 else "")


def seed(*, rng: random.Random, scale: str, stdout: Any) -> None:
    program = Program.objects.filter(code=CODE).first()
    if program is None:
        stdout.write(f"  事業 {CODE} がないため、申請のデモデータは作りません。")
        return
    if Case.objects.filter(program=program).exists():
        stdout.write("  申請のデモデータは作成済みです。")
        return
    ensure_templates(program)
    FormProfile.objects.update_or_create(program=program, name="LoGoフォーム（令和8年度 防犯機器等購入緊急補助）",
                                         defaults={"mapping": MAPPING, "form_ref": "logoform.jp/form/demo/000",
                                                   "updated_by": "tanto"})
    n_cases = 1000 if scale == "small" else 1000
    residents = list(Resident.objects.filter(status="住登", relation="世帯主")
                     .only("id", "name", "name_kana", "birth_date", "postal_code", "address", "address_extra",
                           "household_no")[:20000])
    rng.shuffle(residents)
    if len(residents) < n_cases + 800:
        stdout.write("  住民のデモデータが少ないため、申請のデモデータを減らします。")
        n_cases = max(0, len(residents) - 800) // 2
    # past grantees: residents granted last year (some written differently) and people who moved away
    grantee_list = PastGranteeList.objects.create(program=program, name="令和7年度 交付決定者", imported_by="tanto")
    past_residents = residents[n_cases: n_cases + 700]
    grantees = []
    for r in past_residents:
        full = f"{r.address} {r.address_extra}".strip()
        addr = _alt_address(full, rng) if rng.random() < 0.4 else full
        grantees.append(PastGrantee(grantee_list=grantee_list, name=r.name, address=addr,
                                    name_key=name_key(r.name), address_key=address_key(addr)))
    PastGrantee.objects.bulk_create(grantees, batch_size=1000)
    # applicants: residents, 4% of them past grantees again, 8% written so that no resident is found
    applicants: list[tuple[Resident | None, str, str, str, dt.date | None, str]] = []
    dup_of_past = set(rng.sample(range(n_cases), k=max(1, n_cases * 4 // 100)))
    for i in range(n_cases):
        r = past_residents[i % len(past_residents)] if i in dup_of_past else residents[i]
        full = f"{r.address} {r.address_extra}".strip()
        if rng.random() < 0.08 and i not in dup_of_past:
            applicants.append((None, r.name, r.name_kana, full.replace("丁目", "-").replace("番", "-").rstrip("号"),
                               None, r.postal_code))
        else:
            applicants.append((r, r.name, r.name_kana, full, r.birth_date, r.postal_code))
    states: list[str] = []
    for status, share in STATES:
        states += [status] * (share * n_cases // 1000)
    while len(states) < n_cases:
        states.append(Status.UNDER_REVIEW)
    rng.shuffle(states)
    for i in dup_of_past:  # duplicates of past grantees are still open or were refused
        states[i] = rng.choice([Status.UNDER_REVIEW, Status.RECEIVED, Status.NOT_GRANTED])
    users = {u.username: u for u in User.objects.filter(username__in=["tanto", "itaku", "callcenter"])}
    cases: list[Case] = []
    lines: list[tuple[int, list[PurchaseLine]]] = []
    now = timezone.now()
    for i, ((resident, name, kana, address, birth, postal), status) in enumerate(zip(applicants, states, strict=True)):
        received = TODAY - dt.timedelta(days=rng.randint(1, 190) if status != Status.RECEIVED else rng.randint(0, 20))
        items = rng.sample(EQUIPMENT, k=rng.choice([1, 1, 2, 3]))
        purchase = [PurchaseLine(item=item, purchase_date=received - dt.timedelta(days=rng.randint(3, 40)),
                                 shop=rng.choice(SHOPS), cost=rng.randrange(lo, hi, 100),
                                 installation=item in ("防犯カメラ", "面格子", "防犯フィルム") and rng.random() < 0.6)
                    for item, lo, hi in items]
        for p in purchase:
            if p.installation:
                p.installation_cost = rng.randrange(5000, 20000, 500)
        total = sum(p.cost + p.installation_cost for p in purchase)
        applied = min(20000, total // 2 // 1000 * 1000)
        bank = rng.choice(ACCOUNTS)
        holder_kana = kana.replace("　", " ")
        case = Case(
            program=program, number=f"{i + 1:06d}", source=Source.EFORM if rng.random() < 0.8 else Source.PAPER,
            status=status, status_changed_at=now, resident=resident, postal_code=postal, address=address,
            name=name, name_kana=kana, birth_date=birth or dt.date(1950 + rng.randint(0, 50), rng.randint(1, 12), 1),
            phone=f"03-{rng.randint(3000, 6999)}-{rng.randint(0, 9999):04d}",
            email=f"applicant{i + 1}@example.jp" if rng.random() < 0.7 else "",
            household_head=name, household_relation="本人", application_amount=applied,
            bank_name=bank[0], bank_code=bank[1], branch_name=bank[2], branch_code=bank[3], account_type="1",
            account_number=f"{rng.randint(0, 9999999):07d}", account_holder=name, account_holder_kana=holder_kana,
            pledges=dict.fromkeys(PLEDGES, True), attachments=list(ATTACHMENTS),
            application_date=received - dt.timedelta(days=rng.randint(0, 3)), received_on=received,
            name_key=name_key(name), kana_key=kana_key(kana), address_key=address_key(address),
            household_key=f"hh:{resident.household_no}" if resident and resident.household_no else "addr:" + household_key(address),
            created_by="itaku")
        if case.source == Source.EFORM:
            case.response_id = f"LF2026-{i + 1:06d}"
        path = PATH[status]
        day = received
        for step in path:
            day = min(TODAY, day + dt.timedelta(days=rng.randint(1, 10)))
            if step in (Status.UNDER_REVIEW, Status.RE_REVIEW):
                case.reviewed_on = day
            elif step == Status.CORRECTION_REQUESTED:
                case.correction_requested_on = day
                case.correction_content = rng.choice(CORRECTIONS)
            elif step in (Status.GRANTED, Status.NOT_GRANTED):
                case.decided_on = day
                case.granted_amount = applied if step == Status.GRANTED else 0
                if step == Status.NOT_GRANTED:
                    case.decision_reason = ("過去に補助金の交付を受けているため" if i in dup_of_past
                                            else "補助対象外の機器のため")
            elif step == Status.PAID:
                case.paid_on = day
                case.payment_note = "振込済み"
            elif step == Status.TRANSFER_FAILED:
                case.account_problem = "振込不能（口座なし）"
                case.payment_note = "振込不能: 口座なし"
            elif step == Status.RETRANSFER:
                case.account_problem = ""
                case.payment_note = "口座訂正済み・再振込待ち"
        cases.append(case)
        lines.append((i, purchase))
    Case.objects.bulk_create(cases, batch_size=500)
    saved = {c.number: c for c in Case.objects.filter(program=program)}
    cases = [saved[c.number] for c in cases]
    purchase_rows = []
    for i, purchase in lines:
        for p in purchase:
            p.case = cases[i]
            purchase_rows.append(p)
    PurchaseLine.objects.bulk_create(purchase_rows, batch_size=1000)
    events = []
    for case in cases:
        events.append(CaseEvent(case=case, at=now, on=case.received_on, actor="itaku", organisation="saison-personal-plus",
                                to_status=Status.RECEIVED, note="電子申請を取込" if case.source == Source.EFORM else "紙の申請書を入力"))
        before: str = Status.RECEIVED
        for step in PATH[case.status]:
            # the department decides, queues, imports the bank's result (paid / failed) and closes
            who = "tanto" if step in (Status.GRANTED, Status.NOT_GRANTED, Status.QUEUED, Status.PAID,
                                      Status.TRANSFER_FAILED, Status.CLOSED) else "itaku"
            dates: dict[str, dt.date | None] = {Status.UNDER_REVIEW: case.reviewed_on, Status.CORRECTION_REQUESTED: case.correction_requested_on,
                                                Status.GRANTED: case.decided_on, Status.NOT_GRANTED: case.decided_on,
                                                Status.PAID: case.paid_on}
            on = dates.get(step) or case.decided_on or case.received_on
            events.append(CaseEvent(case=case, at=now, on=on, actor=who, from_status=before, to_status=step,
                                    note=str(Status(step).label)))
            before = step
    CaseEvent.objects.bulk_create(events, batch_size=2000)
    Participation.objects.bulk_create(
        [Participation(program=program, resident_id=c.resident_id, role="申請者") for c in cases if c.resident_id],
        ignore_conflicts=True, batch_size=1000)
    # duplicates: found by the same matching as the screens, settled for the decided cases
    from madoguchi.accounts.context import Actor
    from madoguchi.casework.services.duplicates import check_cases

    check_cases(cases, actor=Actor.cli(users.get("itaku"), purpose="デモデータ"), log=False)
    decided = {c.pk for c in cases if c.status not in (Status.RECEIVED, Status.UNDER_REVIEW,
                                                       Status.CORRECTION_REQUESTED, Status.RE_REVIEW)}
    dup_pks = {cases[i].pk for i in dup_of_past}
    for cand in DuplicateCandidate.objects.filter(case_id__in=decided):
        cand.settlement = Settlement.DUPLICATE if cand.case_id in dup_pks else Settlement.NOT_DUPLICATE
        cand.settled_reason = ("過去の交付決定者と同一人物（住民記録で確認）" if cand.case_id in dup_pks
                               else "生年月日・世帯が異なる別人（住民記録で確認）")
        cand.settled_by = "tanto"
        cand.settled_at = now
        cand.save(update_fields=["settlement", "settled_reason", "settled_by", "settled_at"])
    # notices for decided cases, inquiries from the call center
    notices = []
    serial = {NoticeKind.GRANT: 0, NoticeKind.REFUSAL: 0, NoticeKind.CORRECTION: 0}
    prefix = fiscal_year_wareki(TODAY).removesuffix("年度").replace("令和", "")
    for case in cases:
        kind = None
        if case.granted_amount and case.status not in (Status.GRANTED,):
            kind = NoticeKind.GRANT
        elif case.status == Status.NOT_GRANTED:
            kind = NoticeKind.REFUSAL
        elif case.status == Status.CORRECTION_REQUESTED:
            kind = NoticeKind.CORRECTION
        if kind is None:
            continue
        serial[kind] += 1
        notices.append(Notice(case=case, kind=kind, serial=serial[kind], number=f"{prefix}危機第{serial[kind]}号",
                              issued_on=case.decided_on or case.correction_requested_on or case.received_on,
                              printed_count=1))
    Notice.objects.bulk_create(notices, batch_size=1000)
    questions = [("申請の状況を知りたい", "審査中であることを案内した"),
                 ("補助の対象になる機器を知りたい", "要綱の対象機器を案内した"),
                 ("振込はいつになるか", "交付決定から1か月程度と案内した"),
                 ("補正の書類の送り先を知りたい", "委託先の事務局の住所を案内した")]
    inquiries = []
    for case in rng.sample(cases, k=min(200, len(cases))):
        q, a = rng.choice(questions)
        inquiries.append(Inquiry(program=program, case=case, resident_id=case.resident_id,
                                 at=now - dt.timedelta(days=rng.randint(0, 60), minutes=rng.randint(0, 600)),
                                 channel=rng.choice([Channel.PHONE, Channel.PHONE, Channel.EMAIL]),
                                 caller=rng.choice(["本人", "家族（配偶者）", "家族（子）"]), question=q, answer=a,
                                 responder="コールセンター 中村", organisation="callcenter-demo"))
    Inquiry.objects.bulk_create(inquiries)
    counts = {s: states.count(s) for s, _ in STATES}
    stdout.write(f"  防犯機器等購入緊急補助: 申請 {len(cases)} 件（" + "、".join(
        f"{Status(s).label} {n}" for s, n in counts.items()) + f"）、過去の交付決定者 {len(grantees)} 件")
