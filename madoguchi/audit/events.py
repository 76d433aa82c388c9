"""The one list of access-log event types.  A duplicate value fails at import (``@unique``)."""

from enum import StrEnum, unique


@unique
class AuditEvent(StrEnum):
    # authentication
    LOGIN = "auth.login"
    LOGIN_FAILED = "auth.login_failed"
    LOGIN_LOCKED = "auth.locked"
    LOGOUT = "auth.logout"
    # residents
    RESIDENT_VIEW = "resident.view"
    RESIDENT_SEARCH = "resident.search"
    RESIDENT_IMPORT = "resident.import"
    RESIDENT_CHANGE = "resident.change"
    RESIDENT_EXPORT = "resident.export"
    # access policy
    ACCESS_DENIED = "policy.denied"
    BREAK_GLASS = "policy.break_glass"
    # register
    REGISTER_CHANGE = "register.change"
    REGISTER_SUBMIT = "register.submit"
    REGISTER_DECIDE = "register.decide"
    REGISTER_DOCUMENT = "register.document"
    PROGRAM_ENROL = "program.enrol"
    REGISTER_EVIDENCE = "register.evidence"
    REGISTER_EVIDENCE_VIEW = "register.evidence_view"
    PARTICIPANT_LIST = "program.participants"
    # casework
    CASE_VIEW = "case.view"
    CASE_LIST = "case.list"
    CASE_IMPORT = "case.import"
    CASE_CHANGE = "case.change"
    CASE_TRANSITION = "case.transition"
    DUPLICATE_CHECK = "case.duplicate_check"
    DUPLICATE_SETTLE = "case.duplicate_settle"
    INQUIRY_LOG = "case.inquiry"
    ATTACHMENT_ADD = "case.attachment_add"
    ATTACHMENT_VIEW = "case.attachment_view"
    NOTICE_RENDER = "case.notice_render"
    # payments
    PAYMENT_BATCH = "payment.batch"
    PAYMENT_EXPORT = "payment.export"
    PAYMENT_RESULT = "payment.result"
    ACCOUNT_CHANGE = "payment.account_change"
    PAYMENT_VIEW = "payment.view"
    BANK_CODE_CHANGE = "payment.bank_code_change"  # the ward's list of merged/closed bank codes
    # hand-over, retention
    HANDOVER_EXPORT = "handover.export"
    HANDOVER_RETURN = "handover.return"
    ERASURE_DRY_RUN = "erasure.dry_run"
    ERASURE_APPROVE = "erasure.approve"
    ERASURE_EXECUTE = "erasure.execute"
    KEY_ROTATION = "crypto.key_rotation"
    # audit itself
    AUDIT_VIEW = "audit.view"
    AUDIT_ANALYSIS = "audit.analysis"
    AUDIT_VERIFY = "audit.verify"
    AUDIT_EXPORT = "audit.export"
    AUDIT_REKEY = "audit.rekey"  # the cut-over from keyless to keyed rows (ADR 0019)
    AUDIT_DIGEST = "audit.digest"  # a signed daily digest of the chain heads (ADR 0019)
    BACKUP = "ops.backup"
    RESTORE = "ops.restore"
    # terminal binding (issue 4, point 2)
    TERMINAL_REFUSED = "auth.terminal_refused"
    # administration (users, organisations, role settings, terminals)
    ADMIN_USER = "admin.user"
    ADMIN_ORGANISATION = "admin.organisation"
    ADMIN_ROLE_SETTING = "admin.role_setting"
    ADMIN_TERMINAL = "admin.terminal"
    # API tokens (issue and revocation; each use is logged by the call it makes)
    API_TOKEN_ISSUE = "admin.api_token_issue"
    API_TOKEN_REVOKE = "admin.api_token_revoke"
