"""`madoguchi payment_batch create|lock|export|results|retransfer|close` for operators.

``--as USERNAME`` is required (madoguchi.accounts.operators): the named user's access policy applies as on
the web, and the access log names them.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from madoguchi.accounts.context import Actor
from madoguchi.accounts.operators import add_operator_argument, operator_actor
from madoguchi.audit.events import AuditEvent
from madoguchi.audit.services import record_denied
from madoguchi.core.errors import AccessRefused, BusinessRuleError, ImportRejected
from madoguchi.payments.models import PaymentBatch
from madoguchi.payments.services import access
from madoguchi.payments.services.batches import (
    NotBusinessDay,
    close_batch,
    create_batch,
    create_retransfer_batch,
    lock_batch,
)
from madoguchi.payments.services.export import export_batch
from madoguchi.payments.services.results import import_results
from madoguchi.register.models import Program


class Command(BaseCommand):
    help = "支払バッチの作成・確定・振込データ出力・結果取込を行います。"

    def add_arguments(self, parser: CommandParser) -> None:
        add_operator_argument(parser)
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="支払対象からバッチを作成（最後の行にバッチ ID）")
        create.add_argument("--program", required=True, help="事業コード")
        create.add_argument("--date", required=True, help="振込指定日 YYYY-MM-DD")
        create.add_argument("--skip-invalid", action="store_true", help="誤りのある支払を除いて作成する")
        retransfer = sub.add_parser("retransfer", help="口座訂正済みの振込不能分から再振込バッチを作成")
        retransfer.add_argument("--program", required=True)
        retransfer.add_argument("--date", required=True)
        lock = sub.add_parser("lock", help="バッチを確定（内容を固定）")
        lock.add_argument("batch_id", type=int)
        export = sub.add_parser("export", help="全銀振込データを出力")
        export.add_argument("batch_id", type=int)
        export.add_argument("--out", required=True, help="出力ファイル")
        results = sub.add_parser("results", help="銀行の振込結果ファイル（全銀形式または CSV）を取り込む")
        results.add_argument("batch_id", type=int)
        results.add_argument("file")
        close = sub.add_parser("close", help="バッチを完了にする")
        close.add_argument("batch_id", type=int)
        for p in (create, retransfer, lock, export, results, close):
            add_operator_argument(p, dest="operator_sub")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = operator_actor({"operator": options.get("operator_sub") or options.get("operator")},
                               purpose="支払事務（コマンド）")
        action = options["action"]
        try:
            if action in ("create", "retransfer"):
                self._create(actor, options, retransfer=action == "retransfer")
                return
            batch = self._batch(options["batch_id"])
            self._check(actor, batch.program.code, write=True)
            if action == "lock":
                dropped = lock_batch(batch=batch, actor=actor)
                for d in dropped:
                    self.stdout.write(f"外した明細: {d}")
                batch.refresh_from_db()
                self.stdout.write(f"確定しました: {batch.item_count}件 {batch.total_amount:,}円")
            elif action == "export":
                exported = export_batch(batch=batch, actor=actor)
                Path(options["out"]).write_bytes(exported.content)
                state = "作成しました" if exported.created else "作成済みのデータを出力しました（同じ内容です）"
                self.stdout.write(f"{state}: {options['out']} {exported.record_count}件 "
                                  f"{exported.total_amount:,}円 SHA-256 {exported.sha256}")
            elif action == "results":
                path = Path(options["file"])
                log = import_results(batch=batch, data=path.read_bytes(), filename=path.name, actor=actor)
                self.stdout.write(f"取り込みました: 振込済み {log.paid_count}件、振込不能 {log.failed_count}件")
            elif action == "close":
                close_batch(batch=batch, actor=actor)
                self.stdout.write("完了にしました。")
        except ImportRejected as exc:
            raise CommandError(str(exc)) from exc
        except BusinessRuleError as exc:
            raise CommandError(str(exc)) from exc

    def _create(self, actor: Actor, options: dict[str, Any], *, retransfer: bool) -> None:
        try:
            program = Program.objects.get(code=options["program"])
        except Program.DoesNotExist as exc:
            raise CommandError(f"事業コード「{options['program']}」はありません。") from exc
        try:
            day = dt.date.fromisoformat(options["date"])
        except ValueError as exc:
            raise CommandError(f"振込指定日「{options['date']}」は YYYY-MM-DD で指定してください。") from exc
        self._check(actor, program.code, write=True)
        try:
            if retransfer:
                batch = create_retransfer_batch(program=program, transfer_date=day, actor=actor)
            else:
                result = create_batch(program=program, transfer_date=day, actor=actor,
                                      skip_invalid=options["skip_invalid"])
                batch = result.batch
                for problem in result.skipped:
                    self.stdout.write(f"除いた支払: {problem}")
        except NotBusinessDay as exc:
            raise CommandError(f"{exc}\n次の営業日で作成するには --date {exc.proposed.isoformat()} を指定してください。") from exc
        self.stdout.write(f"支払バッチを作成しました: {batch.item_count}件 {batch.total_amount:,}円 振込指定日 {day}")
        self.stdout.write(str(batch.pk))

    def _check(self, actor: Actor, program_code: str, *, write: bool) -> None:
        try:
            (access.require_operate if write else access.require_view)(actor, program_code)
        except AccessRefused as exc:
            record_denied(actor=actor, action=AuditEvent.ACCESS_DENIED, reason=exc.reason, program=program_code,
                          target="payment_batch")
            raise CommandError(exc.reason) from exc

    def _batch(self, batch_id: int) -> PaymentBatch:
        try:
            return PaymentBatch.objects.select_related("program").get(pk=batch_id)
        except PaymentBatch.DoesNotExist as exc:
            raise CommandError(f"支払バッチ {batch_id} はありません。") from exc
