"""Where stored files' bytes live (issue 20): one interface, two backends.

* ``LocalStore`` — a folder (``FILE_STORAGE``), the embedded default: written to a temporary file,
  fsynced and renamed into place, so a crash never leaves half a file under a name.
* ``S3Store`` — an S3-compatible object store (AWS S3, MinIO, Ceph…; boto3), for several web
  servers and workers that share nothing else: each object is sent with its MD5 and SHA-256, which
  the store checks before it keeps it, and encrypted at rest by the store (``S3_SSE``: AES256 by
  default, or aws:kms with ``S3_SSE_KMS_KEY_ID``).

Both are content-addressed as before: a blob's name is the SHA-256 of its bytes, kept under
``<aa>/<bb>/<name>`` (the same layout in a backup), so a write is idempotent and a read is
verified against the name by the caller (tender.documents.storage.read). ``FILE_STORE`` chooses
(``local`` or ``s3``).
"""
from __future__ import annotations

import base64
import hashlib
import os
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from flask import current_app


@dataclass(frozen=True)
class Blob:
    """An object in the store: its path under the store (``aa/bb/name``), size and modification time."""

    relative: str
    size: int
    modified: float

    @property
    def name(self) -> str:
        return self.relative.rsplit("/", 1)[-1]


class BlobMissing(FileNotFoundError):
    """No object under that name."""


class StoreError(OSError):
    """The store could not keep or give the bytes (disk full, network, refused checksum)."""


def relative_of(name: str) -> str:
    return f"{name[:2]}/{name[2:4]}/{name}"


class LocalStore:
    kind = "local"

    def __init__(self, root: Path):
        self.root = Path(root)

    def describe(self) -> str:
        return str(self.root)

    def path(self, name: str) -> Path:
        return self.root / relative_of(name)

    def put(self, name: str, data: bytes) -> None:
        """Write once, durably: a temporary file beside the target, flushed and fsynced, then renamed
        over it, then the directory fsynced. A file already there is trusted only if its bytes match
        its name; a torn or altered copy is replaced (issue 14: the file store)."""
        target = self.path(name)
        if target.is_file():
            try:
                if hashlib.sha256(target.read_bytes()).hexdigest() == name:
                    return
            except OSError:
                pass
        tmp = target.with_name(f"{target.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            with open(tmp, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, target)
            directory = os.open(target.parent, os.O_RDONLY)
            try:
                os.fsync(directory)
            finally:
                os.close(directory)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise StoreError(str(exc)) from exc

    def get(self, name: str) -> bytes:
        try:
            return self.path(name).read_bytes()
        except FileNotFoundError as exc:
            raise BlobMissing(name) from exc

    def exists(self, name: str) -> bool:
        return self.path(name).is_file()

    def read(self, relative: str) -> bytes:
        """The bytes of an object found by ``listing`` (the backup copies them all)."""
        return (self.root / relative).read_bytes()

    def delete(self, relative: str) -> None:
        (self.root / relative).unlink(missing_ok=True)

    def listing(self) -> Iterator[Blob]:
        """Every plain file under the folder (temporary ones too: the orphan clean-up wants them)."""
        if not self.root.is_dir():
            return
        for directory, dirs, files in os.walk(self.root):
            dirs.sort()
            for filename in sorted(files):
                path = Path(directory) / filename
                if path.is_symlink() or not path.is_file():
                    continue
                stat = path.stat()
                yield Blob(path.relative_to(self.root).as_posix(), stat.st_size, stat.st_mtime)


class S3Store:
    kind = "s3"

    def __init__(self, client, bucket: str, prefix: str = "", sse: str = "AES256", kms_key_id: str = ""):
        self.client, self.bucket = client, bucket
        self.prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""
        self.sse, self.kms_key_id = sse, kms_key_id

    def describe(self) -> str:
        return f"s3://{self.bucket}/{self.prefix}"

    def _key(self, relative: str) -> str:
        return self.prefix + relative

    def put(self, name: str, data: bytes) -> None:
        from botocore.exceptions import BotoCoreError, ClientError

        extra: dict = {}
        if self.sse:
            extra["ServerSideEncryption"] = self.sse
            if self.sse == "aws:kms" and self.kms_key_id:
                extra["SSEKMSKeyId"] = self.kms_key_id
        md5 = hashlib.md5(data, usedforsecurity=False)
        key = self._key(relative_of(name))
        try:  # content-addressed: an object already there with these bytes is kept as it is
            if self.client.head_object(Bucket=self.bucket, Key=key).get("ETag", "").strip('"') == md5.hexdigest():
                return
        except ClientError:
            pass  # not there (or not readable): write it
        except BotoCoreError as exc:
            raise StoreError(f"オブジェクトストレージに保存できませんでした: {exc}") from exc
        try:
            answer = self.client.put_object(
                Bucket=self.bucket, Key=key, Body=data,
                # The store refuses the object unless the bytes it received hash to these.
                ContentMD5=base64.b64encode(md5.digest()).decode("ascii"),
                ChecksumSHA256=base64.b64encode(hashlib.sha256(data).digest()).decode("ascii"),
                ContentType="application/octet-stream", **extra)
        except (BotoCoreError, ClientError) as exc:
            raise StoreError(f"オブジェクトストレージに保存できませんでした: {exc}") from exc
        # And we check what it says it kept: a single PUT's ETag is the MD5 of the bytes stored
        # (except under aws:kms), so a store that did not check is caught here too.
        etag = str(answer.get("ETag", "")).strip('"')
        if self.sse != "aws:kms" and etag and etag != md5.hexdigest():
            self.client.delete_object(Bucket=self.bucket, Key=key)
            raise StoreError(f"オブジェクトストレージに保存した内容が送った内容と一致しません（{name}）。")

    def get(self, name: str) -> bytes:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            return self.client.get_object(Bucket=self.bucket, Key=self._key(relative_of(name)))["Body"].read()
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
                raise BlobMissing(name) from exc
            raise StoreError(f"オブジェクトストレージから読めませんでした: {exc}") from exc
        except BotoCoreError as exc:
            raise StoreError(f"オブジェクトストレージから読めませんでした: {exc}") from exc

    def read(self, relative: str) -> bytes:
        return self.client.get_object(Bucket=self.bucket, Key=self._key(relative))["Body"].read()

    def exists(self, name: str) -> bool:
        from botocore.exceptions import ClientError

        try:
            self.client.head_object(Bucket=self.bucket, Key=self._key(relative_of(name)))
            return True
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("NoSuchKey", "404", "NotFound"):
                return False
            raise StoreError(str(exc)) from exc

    def delete(self, relative: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self._key(relative))

    def listing(self) -> Iterator[Blob]:
        paginator = self.client.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=self.bucket, Prefix=self.prefix):
            for item in page.get("Contents", []):
                yield Blob(item["Key"][len(self.prefix):], int(item["Size"]), item["LastModified"].timestamp())


def _s3_client(config):
    import boto3
    from botocore.config import Config

    return boto3.client(
        "s3", endpoint_url=config.get("S3_ENDPOINT_URL") or None, region_name=config.get("S3_REGION") or None,
        config=Config(retries={"max_attempts": 5, "mode": "standard"}, connect_timeout=5, read_timeout=30,
                      request_checksum_calculation="when_required", response_checksum_validation="when_required"))


def current():
    """The store the configuration names (``FILE_STORE``). An S3 client is made once per
    configuration and process (clients are thread-safe) — nothing another server would need."""
    config = current_app.config
    if (config.get("FILE_STORE") or "local") != "s3":
        return LocalStore(Path(config["FILE_STORAGE"]))
    key = (config.get("S3_ENDPOINT_URL"), config.get("S3_REGION"), config["S3_BUCKET"], config.get("S3_PREFIX", ""),
           config.get("S3_SSE", "AES256"), config.get("S3_SSE_KMS_KEY_ID", ""))
    cache = current_app.extensions.setdefault("tender_s3_stores", {})
    if key not in cache:
        cache[key] = S3Store(_s3_client(config), config["S3_BUCKET"], config.get("S3_PREFIX", ""),
                             config.get("S3_SSE", "AES256"), config.get("S3_SSE_KMS_KEY_ID", ""))
    return cache[key]
