"""Routes: participants (事業の対象者) of a program, by program code (generic over program types)."""

from __future__ import annotations

from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Path, Query, Router

from madoguchi.api.endpoints.common import CODE_PATTERN, ID_MAX, PAGE_MAX, REFUSALS, Page, policy
from madoguchi.api.main import api
from madoguchi.api.services import participants as svc

router = Router(tags=["事業の対象者"])
Code = Annotated[str, Path(pattern=CODE_PATTERN)]


@router.get("/programs/{program_code}/participants", response={200: Page, **REFUSALS},
            summary="事業の対象者の一覧（住民番号順、登録で認められた項目のみ、ページ単位）")
def list_participants(request: HttpRequest, program_code: Code,
                      page: Annotated[int, Query(ge=1, le=PAGE_MAX)] = 1,
                      per_page: Annotated[int, Query(ge=1, le=svc.PER_PAGE_MAX)] = 50) -> Any:
    return svc.list_participants(policy=policy(request), program_code=program_code, page=page, per_page=per_page)


@router.get("/programs/{program_code}/participants/{resident_id}", response={200: dict[str, Any], **REFUSALS},
            summary="事業の対象者1人（登録で認められた項目のみ）")
def get_participant(request: HttpRequest, program_code: Code,
                    resident_id: Annotated[int, Path(ge=1, le=ID_MAX)]) -> Any:
    """存在しない住民と、この事業の対象者でない住民は、同じ 403 で答えます。"""
    return svc.view_participant(policy=policy(request), program_code=program_code, resident_id=resident_id)


api.add_router("", router)
