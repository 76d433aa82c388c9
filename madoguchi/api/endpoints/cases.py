"""Routes: cases (申請・案件) of a program, by program code (generic over program types)."""

from __future__ import annotations

from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Path, Query, Router

from madoguchi.api.endpoints.common import CODE_PATTERN, ID_MAX, PAGE_MAX, REFUSALS, Page, policy
from madoguchi.api.main import api
from madoguchi.api.services import cases as svc

router = Router(tags=["申請・案件"])
Code = Annotated[str, Path(pattern=CODE_PATTERN)]


@router.get("/programs/{program_code}/cases", response={200: Page, **REFUSALS},
            summary="事業の申請の一覧（登録で認められた項目のみ、ページ単位）")
def list_cases(request: HttpRequest, program_code: Code,
               status: Annotated[str, Query(pattern=r"^[a-z_]{0,24}$")] = "",
               page: Annotated[int, Query(ge=1, le=PAGE_MAX)] = 1,
               per_page: Annotated[int, Query(ge=1, le=svc.PER_PAGE_MAX)] = 50) -> Any:
    """状態（status）で絞り込めます。状態・経過は「申請の進捗」の項目、支払の結果は「支払額」の項目が
    登録で認められている場合だけ返します。"""
    return svc.list_program_cases(policy=policy(request), program_code=program_code, status=status, page=page,
                                  per_page=per_page)


@router.get("/programs/{program_code}/cases/{case_id}", response={200: dict[str, Any], **REFUSALS},
            summary="事業の申請1件（登録で認められた項目のみ）")
def get_case(request: HttpRequest, program_code: Code, case_id: Annotated[int, Path(ge=1, le=ID_MAX)]) -> Any:
    """存在しない申請番号と、他の事業の申請・閲覧を認められていない申請は、同じ 403 で答えます。"""
    return svc.view_program_case(policy=policy(request), program_code=program_code, case_id=case_id)


api.add_router("", router)
