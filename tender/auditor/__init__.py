"""The auditor's side: the trail searched, and a case's record reconstructed (casefile.py)."""
