"""The sweep (tender.jobs): a case published ahead of its 公示日 gets its first release once the day
has come — no request or commit happens at 0時 to make it."""
from __future__ import annotations

from tender import clock
from tender.extensions import db
from tender.jobs import job
from tender.opendata import operations as ops


@job("ocds.sync", schedule="*/5 * * * *", label="オープンデータ（OCDS）の公開：公示日を迎えた案件の最初のリリース")
def sync() -> str:
    made = ops.sync_due(clock.now())
    db.session.commit()
    return f"新しいリリース {len(made)} 件。" + "".join(f"\n{r.release_id}" for r in made)
