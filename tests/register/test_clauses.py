"""The default clause sets (特記事項): complete, in the seed's topic order, 乙 printed before 丙."""

from __future__ import annotations

import importlib
import io

from django.apps import apps
from docx import Document

from madoguchi.register.defaults import read_json
from madoguchi.register.models import Clause, ClauseSet
from madoguchi.register.services.documents import council_document
from tests.register.test_documents import actor

# The topics of seed 002's 特記事項 (the fullest of the five seeds), in their order, for 乙 and 丙.
OTSU_TOPICS = ["基本的事項", "秘密の保持", "適正な収集", "本人からの収集", "収集してはならない事項", "持出しの禁止",
               "目的外利用", "適正な管理", "複写", "再委託の禁止", "再委託先の従事者", "再委託先への甲の直接の調査",
               "再委託先との契約", "返還と消去", "消去の記録と証明", "取扱責任者", "業務に関する報告", "立入調査",
               "確認の頻度", "監査", "教育", "事故", "公表", "損害の賠償"]
HEI_TOPICS = ["基本的事項", "甲・乙・丙", "秘密の保持", "適正な収集", "本人からの収集", "収集してはならない事項",
              "持出しの禁止", "目的外利用", "適正な管理", "複写", "再委託の禁止", "返還と消去", "消去の記録と証明",
              "取扱責任者", "業務に関する報告", "乙による監査", "教育", "事故", "甲による立入調査", "確認の頻度",
              "確認への協力", "甲の直接の報告要求", "公表", "損害の賠償"]


def headings(party: str) -> list[str]:
    return list(Clause.objects.filter(clause_set__party=party, active=True).order_by("order")
                .values_list("heading", flat=True))


def test_loaded_sets_have_every_topic_of_the_seed_in_order(db):
    for party, topics in (("乙", OTSU_TOPICS), ("丙", HEI_TOPICS)):
        got = headings(party)
        assert len(got) == 24
        for heading, topic in zip(got, topics, strict=True):
            assert topic in heading, (party, heading, topic)


def test_yearly_audit_and_collection_limits_are_in_both_sets(db):
    for party in ("乙", "丙"):
        texts = "".join(Clause.objects.filter(clause_set__party=party).values_list("text", flat=True))
        assert "年度ごとに1回以上" in texts
        assert "思想・信条・宗教" in texts and "犯罪に関する事項" in texts
        assert "取扱責任者と取扱者" in texts


def test_migration_upgrades_an_unedited_old_set_and_keeps_an_edited_one(db):
    data = read_json("clauses.json")
    upgrade = importlib.import_module("madoguchi.register.migrations.0006_complete_clause_sets").upgrade
    for party in ("乙", "丙"):
        clause_set = ClauseSet.objects.get(party=party)
        clause_set.clauses.all().delete()
        Clause.objects.bulk_create([Clause(clause_set=clause_set, order=i + 1, heading=h, text=t)
                                    for i, (h, t) in enumerate(data["previous"][party])])
    edited = Clause.objects.get(clause_set__party="丙", order=1)
    edited.text = "区の正式な文言に書き換えた条文"
    edited.save()
    upgrade(apps, None)
    assert len(headings("乙")) == 24  # unedited: replaced by the complete set
    assert len(headings("丙")) == len(data["previous"]["丙"])  # edited by the ward: left alone
    assert Clause.objects.filter(text="区の正式な文言に書き換えた条文").exists()


def test_council_document_prints_the_contractor_set_before_the_subcontractor_set(demo):
    data = council_document(revision=demo, fmt="docx", actor=actor("hogo"))
    body = "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)
    otsu = body.index("個人情報の取扱いに関する特記事項（委託先用）")
    hei = body.index("個人情報の取扱いに関する特記事項（再委託先用）")
    assert otsu < hei
    assert "24 乙は、この特記事項に反し" in body
