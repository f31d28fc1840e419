"""A case's 評価項目一覧 (evaluation criteria): built by the officer while the case is a draft,
published with the notice, read by the bidders' sheets, the evaluators and the award engine."""
