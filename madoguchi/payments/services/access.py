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
from madoguchi.register.policy import policy_for

PAYMENT_TASK = "payment"


def payment_program_codes(actor: Actor) -> set[str]:
    """Programs whose payments the actor may see."""
    policy = policy_for(actor)
    return {g.program_code for g in policy.grants if g.kind == "owner" or PAYMENT_TASK in g.tasks}


def require_view(actor: Actor, program_code: str) -> None:
    policy_for(actor).require(program_code, task=PAYMENT_TASK)


def require_operate(actor: Actor, program_code: str) -> None:
    policy = policy_for(actor)
    policy.require(program_code, task=PAYMENT_TASK)
    if not policy.owns(program_code):
        raise AccessRefused("振込の作成・確定・結果取込・口座訂正は、事業を所管する課の職員だけが行えます。",
                            program=program_code, action="payment")


def may_operate(actor: Actor, program_code: str) -> bool:
    try:
        require_operate(actor, program_code)
    except AccessRefused:
        return False
    return True
