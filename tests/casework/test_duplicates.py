"""Duplicates against past grantees and within the household; settling; the grant block."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from hypothesis import given, settings
from hypothesis import strategies as st

from madoguchi.casework.matching import Person, find_pairs
from madoguchi.casework.models import DuplicateCandidate, Settlement, Status
from madoguchi.casework.services import decisions
from madoguchi.casework.services.duplicates import check_cases, import_past_grantees, settle_candidate
from madoguchi.core.errors import AccessRefused, BusinessRuleError, ImportRejected
from tests.casework.factories import make_case

GRANTEES = "住所,氏名\n東京都新宿区西新宿2-8-1,髙橋　一郎\n新宿区百人町一丁目5番3号,佐藤　次郎\n".encode()


@pytest.mark.parametrize(("a", "b"), [
    (("髙橋　一郎", "東京都新宿区西新宿二丁目8番1号"), ("高橋一郎", "新宿区西新宿2-8-1")),
    (("齊藤 花子", "西新宿２丁目８－１　ハイツ新宿 101"), ("斉藤　花子", "東京都新宿区西新宿二丁目8番1号")),
    (("廣瀬　健", "新宿区四谷三丁目1番地の2"), ("広瀬　健", "東京都新宿区四谷3-1-2")),
])
def test_names_and_addresses_match_across_forms(a, b):
    pairs = find_pairs([Person("L", a[0], a[1])], [Person("R", b[0], b[1])], explain=True)
    assert [(p.left_id, p.right_id, p.verdict) for p in pairs] == [("L", "R", "match")]
    assert pairs[0].reasons


@pytest.mark.parametrize(("left", "right"), [
    ("斉藤　花子", "斎藤花子"),  # different characters (issue 15)
    ("齋藤　花子", "斎藤花子"),  # an old form that the standard tables do not list
    ("渡邊　花子", "渡辺花子"),
])
def test_kana_finds_but_does_not_decide_when_kanji_differ(left, right):
    # given the same reading and address but name keys that differ / then a person decides: possible
    pairs = find_pairs([Person("L", left, "新宿区西新宿2-8-1", name_kana="さいとう はなこ")],
                       [Person("R", right, "新宿区西新宿2-8-1", name_kana="ｻｲﾄｳ ﾊﾅｺ")])
    assert [p.verdict for p in pairs] == ["possible"]


def test_family_member_and_namesake_elsewhere_are_not_matches():
    right = [Person("R", "山田　太郎", "新宿区西新宿2-8-1")]
    family = find_pairs([Person("L", "山田　花子", "新宿区西新宿2-8-1")], right)
    namesake = find_pairs([Person("L", "山田　太郎", "新宿区西新宿5-20-3")], right)
    assert all(p.verdict != "match" for p in family + namesake)


def test_past_grantee_blocks_grant_until_settled(setup):
    staff = setup.actor(setup.staff)
    import_past_grantees(actor=staff, program=setup.program, name="令和7年度", data=GRANTEES)
    case = make_case(setup.program, name="高橋　一郎", address="東京都新宿区西新宿二丁目8番1号",
                     status=Status.UNDER_REVIEW)
    assert check_cases([case], actor=staff) == 1
    cand = DuplicateCandidate.objects.get(case=case)
    assert cand.verdict == "match" and cand.score >= 0.9 and cand.reasons
    with pytest.raises(BusinessRuleError):
        decisions.decide_grant(case=case, actor=staff)
    settle_candidate(actor=setup.actor(setup.contractor), candidate=cand, duplicate=False,
                     reason="生年月日と世帯が異なる別人（住民記録で確認）")
    decisions.decide_grant(case=case, actor=staff)
    assert case.status == Status.GRANTED


def test_settled_duplicate_cannot_be_granted(setup):
    staff = setup.actor(setup.staff)
    import_past_grantees(actor=staff, program=setup.program, name="令和7年度", data=GRANTEES)
    case = make_case(setup.program, name="高橋　一郎", status=Status.UNDER_REVIEW)
    check_cases([case], actor=staff)
    settle_candidate(actor=staff, candidate=DuplicateCandidate.objects.get(), duplicate=True, reason="同一人物")
    with pytest.raises(BusinessRuleError):
        decisions.decide_grant(case=case, actor=staff)


def test_same_household_application_is_a_candidate(setup):
    staff = setup.actor(setup.staff)
    first = make_case(setup.program, name="山田　太郎")
    second = make_case(setup.program, name="山田　花子", name_kana="ヤマダ　ハナコ")
    check_cases([second], actor=staff)
    cand = DuplicateCandidate.objects.get(case=second)
    assert cand.other_case == first and cand.kind == "same_household"


def test_settling_needs_a_reason_and_a_declared_role(setup):
    staff = setup.actor(setup.staff)
    import_past_grantees(actor=staff, program=setup.program, name="令和7年度", data=GRANTEES)
    case = make_case(setup.program, name="高橋　一郎")
    check_cases([case], actor=staff)
    cand = DuplicateCandidate.objects.get()
    with pytest.raises(BusinessRuleError):
        settle_candidate(actor=staff, candidate=cand, duplicate=False, reason="")
    for user in (setup.callcenter, setup.other_staff, setup.privacy, setup.auditor, setup.admin):
        with pytest.raises(AccessRefused):
            settle_candidate(actor=setup.actor(user), candidate=cand, duplicate=False, reason="x")
    cand.refresh_from_db()
    assert cand.settlement == Settlement.OPEN


def test_past_grantee_list_is_refused_where_the_approved_revision_does_not_declare_them(setup):
    """Seed 000's approved v1 names only the applicants: a past-grantee list is a list of people the
    registration does not cover, so it is refused with the reason and nothing is stored."""
    from madoguchi.casework.models import PastGrantee, PastGranteeList

    setup.program.revisions.get().scopes.filter(name="過去の交付決定者").delete()
    with pytest.raises(AccessRefused) as exc:
        import_past_grantees(actor=setup.actor(setup.staff), program=setup.program, name="令和7年度", data=GRANTEES)
    assert "個人の範囲に「過去の交付決定者」がありません（登録されている範囲: 申請者）" in exc.value.reason
    assert not PastGranteeList.objects.exists() and not PastGrantee.objects.exists()


def test_past_grantee_command_refusal_is_logged(setup, tmp_path):
    from django.core.management.base import CommandError

    from madoguchi.audit.models import AccessLog

    setup.program.revisions.get().scopes.filter(name="過去の交付決定者").delete()
    path = tmp_path / "g.csv"
    path.write_bytes(GRANTEES)
    with pytest.raises(CommandError, match="過去の交付決定者"):
        call_command("import_past_grantees", "--program", setup.program.code, "--user", "tanto", str(path))
    assert AccessLog.objects.filter(allowed=False, target="import_past_grantees").exists()


def test_past_grantee_list_takes_only_address_and_name(setup):
    with pytest.raises(ImportRejected) as exc:
        import_past_grantees(actor=setup.actor(setup.staff), program=setup.program, name="x",
                             data="住所,氏名,生年月日\n新宿区西新宿2-8-1,高橋一郎,1970-01-01\n".encode())
    assert exc.value.errors[0].column == "生年月日"


def test_find_duplicates_command(setup, tmp_path):
    left = tmp_path / "a.csv"
    right = tmp_path / "b.csv"
    out = tmp_path / "pairs.csv"
    left.write_text("id,name,name_kana,birth_date,postal_code,address\n1,髙橋 一郎,,,,西新宿二丁目8番1号\n"
                    "2,鈴木 花子,,,,新宿区百人町1-1-1\n", encoding="utf-8")
    right.write_bytes("id,name,name_kana,birth_date,postal_code,address\nA,高橋一郎,,,,東京都新宿区西新宿2-8-1\n"
                      .encode("cp932"))
    call_command("find_duplicates", "--as", "tanto", "--left", str(left), "--right", str(right), "--out", str(out))
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "left_id,right_id,score,verdict"
    assert lines[1].startswith("1,A,") and lines[1].endswith(",match") and len(lines) == 2


def test_find_duplicates_refuses_rows_without_required_values(setup, tmp_path):
    from django.core.management.base import CommandError

    left = tmp_path / "a.csv"
    left.write_text("id,name,name_kana,birth_date,postal_code,address\n1,,,,,西新宿2-8-1\n", encoding="utf-8")
    with pytest.raises(CommandError) as exc:
        call_command("find_duplicates", "--as", "tanto", "--left", str(left), "--right", str(left),
                     "--out", str(tmp_path / "o"))
    assert "2行目" in str(exc.value) and "name" in str(exc.value)

KANJI_DIGITS = "〇一二三四五六七八九"
SURNAMES = ["髙橋", "山﨑", "渡邊", "齋藤", "佐藤", "田中", "鈴木", "伊藤"]
GIVEN = ["一郎", "花子", "健", "真理子", "翔太", "陽子"]


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(SURNAMES), st.sampled_from(GIVEN), st.sampled_from(["西新宿", "百人町", "四谷", "下落合"]),
       st.integers(1, 7), st.integers(1, 40), st.integers(1, 30), st.booleans(), st.booleans())
def test_any_person_matches_itself_written_another_way(last, given_name, town, chome, ban, go, wide, building):
    import jaconv

    from madoguchi.core.text import fold_variants

    written = f"東京都新宿区{town}{KANJI_DIGITS[chome]}丁目{ban}番{go}号" + (" メゾン新宿 201" if building else "")
    other = f"新宿区{town}{chome}-{ban}-{go}"
    if wide:
        other = jaconv.h2z(other, digit=True, ascii=True)
    pairs = find_pairs([Person("L", f"{last}　{given_name}", written)],
                       [Person("R", fold_variants(last) + given_name, other)])
    assert [(p.verdict, p.left_id, p.right_id) for p in pairs] == [("match", "L", "R")]


def test_one_flat_written_two_ways_is_one_household(setup):
    # issue 19 item 5: 304号室 and a trailing -304 are one flat; 305 is the neighbour
    staff = setup.actor(setup.staff)
    a = make_case(setup.program, name="山田　太郎", address="東京都新宿区西新宿二丁目8番1号304号室",
                  status=Status.UNDER_REVIEW)
    b = make_case(setup.program, name="山田　花子", address="新宿区西新宿2-8-1-304", status=Status.UNDER_REVIEW)
    c = make_case(setup.program, name="佐藤　一郎", address="西新宿2-8-1-305", status=Status.UNDER_REVIEW,
                  name_kana="サトウ　イチロウ")
    assert a.household_key == b.household_key != c.household_key
    check_cases([a], actor=staff)
    others = {cand.other_case_id: cand.verdict for cand in DuplicateCandidate.objects.filter(case=a)}
    assert others == {b.pk: "possible"}


def test_reapplicant_with_spaced_prefix_and_small_ke_is_found(setup):
    # issue 15: the re-applicant whose address has a space between 都 and 区 and ヶ for ケ
    staff = setup.actor(setup.staff)
    import_past_grantees(actor=staff, program=setup.program, name="令和7年度",
                         data="住所,氏名\n東京都新宿区霞ケ丘町一丁目3番1号,髙橋　一郎\n".encode())
    case = make_case(setup.program, name="高橋　一郎", address="東京都 新宿区霞ヶ丘町1⁃3⁃1",
                     status=Status.UNDER_REVIEW)
    assert check_cases([case], actor=staff) == 1
    assert DuplicateCandidate.objects.get(case=case).verdict == "match"


@pytest.mark.parametrize(("address", "ok"), [
    ("新宿区新宿5-10-4", True),  # issue 17 item 6: 東京都 left out
    ("東京都 新宿区新宿五丁目10番4号", True),
    ("東京都新宿区新宿５－１０－４", True),
    ("東京都渋谷区神南1-1", False),
])
def test_residence_check_reads_the_address_as_the_keys_do(setup, address, ok):
    from madoguchi.casework.services.eligibility import findings

    setup.rule.require_residence = True
    setup.rule.residence_prefix = "東京都新宿区"
    setup.rule.save()
    case = make_case(setup.program, address=address)
    assert [f for f in findings(case) if "（住民記録とは未照合）" in f[1]][0][0] is ok
