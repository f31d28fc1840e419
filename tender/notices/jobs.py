"""The states that move with the clock (tender.jobs)."""
from __future__ import annotations

from tender import clock
from tender.extensions import db
from tender.jobs import job
from tender.notices import operations as ops


@job("cases.tick", schedule="*/5 * * * *", label="期限による状態の移動（受付終了）")
def tick() -> str:
    closed = ops.close_due(clock.now())
    db.session.commit()
    return f"受付を締め切った案件 {len(closed)} 件。" + "".join(f"\n受付終了: {c.reference} {c.title}" for c in closed)
