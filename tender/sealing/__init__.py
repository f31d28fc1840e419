"""Sealing: what nobody may read before its ceremony — bids, the 予定価格, proposal files.

``envelope`` is the one envelope format (ECDH P-256, HKDF-SHA256, AES-256-GCM with associated
data); ``threshold`` splits a case's secret into shares (k of n officials); ``passphrase``
keeps each official's opening key under a passphrase the server never stores. The models and
operations tie them to cases and users. See docs/sealing.md and docs/threat-model.md.
"""
