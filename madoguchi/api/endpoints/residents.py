"""Routes: residents (search, one resident), a program's export, the caller's own policy, health."""

from __future__ import annotations

from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Path, Query, Router

from madoguchi.api.endpoints.common import CODE_PATTERN, ID_MAX, REFUSALS, TEXT_PATTERN, policy
from madoguchi.api.main import api
from madoguchi.api.services import residents as svc
from madoguchi.register.policy import item_label

router = Router(tags=["住民"])

Text = Annotated[str, Query(pattern=TEXT_PATTERN, max_length=200)]
OptionalCode = Annotated[str, Query(pattern=r"^[-a-zA-Z0-9_]{0,64}$")]


@router.get("/health", auth=None, summary="稼働確認（認証不要、個人情報なし）")
def health(request: HttpRequest) -> dict[str, str]:
    return {"status": "ok"}


@router.get("/residents", summary="住民の検索（閲覧を認められた住民・項目のみ）",
            response={200: list[dict[str, Any]], **REFUSALS})
def search_residents(request: HttpRequest, q: Text = "", birth_date: Text = "", address: Text = "",
                     program: OptionalCode = "",
                     limit: Annotated[int, Query(ge=1, le=svc.SEARCH_LIMIT)] = svc.SEARCH_LIMIT) -> Any:
    return svc.search_residents(policy=policy(request), q=q, birth_date=birth_date, address=address,
                                program_code=program or None, limit=limit)


@router.get("/residents/{resident_id}", summary="住民の情報（登録で認められた項目のみ）",
            response={200: dict[str, Any], **REFUSALS})
def get_resident(request: HttpRequest, resident_id: Annotated[int, Path(ge=1, le=ID_MAX)],
                 program: OptionalCode = "") -> Any:
    return svc.view_resident(policy=policy(request), resident_id=resident_id, program_code=program or None)


@router.get("/programs/{program_code}/export", summary="事業の対象者の出力（登録された項目のみ）",
            response={200: dict[str, Any], **REFUSALS})
def export_program(request: HttpRequest, program_code: Annotated[str, Path(pattern=CODE_PATTERN)],
                   items: Annotated[list[str], Query(min_length=1)],
                   task: Annotated[str, Query(pattern=r"^[a-z_]{0,40}$")] = "",
                   offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
                   limit: Annotated[int, Query(ge=1, le=svc.EXPORT_LIMIT)] = svc.EXPORT_LIMIT) -> Any:
    wanted = [i for part in items for i in part.split(",") if i]
    return svc.export_program(policy=policy(request), program_code=program_code, items=wanted,
                              task=task or None, offset=offset, limit=limit)


@router.get("/policy", summary="自分の組織に認められている事業・項目・業務・期間", response={200: dict[str, Any], **REFUSALS})
def my_policy(request: HttpRequest) -> Any:
    p = policy(request)
    return {
        "refusal": p.refusal,
        "grants": [
            {"program": g.program_code, "revision": g.revision_number, "kind": g.kind,
             "items": [{"key": k, "name": item_label(k)} for k in sorted(g.items)],
             "tasks": sorted(g.tasks), "media": sorted(g.media),
             "start": g.start.isoformat() if g.start else None, "end": g.end.isoformat() if g.end else None}
            for g in p.grants
        ],
        "break_glass": [{"resident_id": b.resident_id, "expires_at": b.expires_at.isoformat()}
                        for b in p.break_glass],
    }


api.add_router("", router)
