"""Who may see and run payments (through the access policy derived from the register).

- Department staff of the department that owns the program: everything.
- Contractors and sub-contractors whose approved outsourcing declares the task ``payment`` (振込事務):
  may view batches, items and files, and download them; they do not create, lock, import or correct.
- Everyone else: refused (the web layer logs the refusal and answers 403).

Commands run as a trusted operator on the server; with ``--as USERNAME`` they are checked like the web.
"""

from __future__ import annotations

from madoguchi.accounts.context import Actor
from madoguchi.core.errors import AccessRefused
from madoguchi.register.policy import AccessPolicy, policy_for

PAYMENT_TASK = "payment"


def payment_program_codes(actor: Actor) -> set[str]:
    """Programs whose payments the actor may see."""
    policy = policy_for(actor)
    return {g.program_code for g in policy.grants if g.kind == "owner" or PAYMENT_TASK in g.tasks}


def require_view(actor: Actor, program_code: str, *, policy: AccessPolicy | None = None) -> None:
    (policy or policy_for(actor)).require(program_code, task=PAYMENT_TASK)


def require_operate(actor: Actor, program_code: str, *, policy: AccessPolicy | None = None) -> None:
    policy = policy or policy_for(actor)
    policy.require(program_code, task=PAYMENT_TASK)
    if not policy.owns(program_code):
        raise AccessRefused("振込の作成・確定・結果取込・口座訂正は、事業を所管する課の職員だけが行えます。",
                            program=program_code, action="payment")


def may_operate(actor: Actor, program_code: str, *, policy: AccessPolicy | None = None) -> bool:
    try:
        require_operate(actor, program_code, policy=policy)
    except AccessRefused:
        return False
    return True


# Catalogue items (register.catalogue) behind the columns of payment items.
ITEM_COLUMNS: dict[str, str] = {
    "name": "payee_name",
    "account_holder": "holder_kana",
    "bank_account": "account",
    "payment_amount": "amount",
}


def visible_columns(actor: Actor, program_code: str, *, policy: AccessPolicy | None = None) -> frozenset[str]:
    """The item columns the actor may see: all for the owning department; for a contractor, only those
    whose catalogue item its approved outsourcing declares."""
    policy = policy or policy_for(actor)
    if policy.owns(program_code):
        return frozenset(ITEM_COLUMNS.values())
    declared = policy.items_for(program_code, task=PAYMENT_TASK)
    return frozenset(col for item, col in ITEM_COLUMNS.items() if item in declared)
