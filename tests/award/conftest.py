from tests.evaluation.conftest import tender  # noqa: F401  (the same 総合評価 case)
