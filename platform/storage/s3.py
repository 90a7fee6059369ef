"""Files in an S3-compatible bucket (AWS S3, MinIO, Ceph, ...) through boto3, run in worker threads."""

from __future__ import annotations

import asyncio
import os
import tempfile
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import parse_qs, urlparse

from sampark.platform.storage.base import CHUNK_SIZE, Digest, StorageError, StoredBlob, check_key

__all__ = ["S3Storage"]

# Uploads are spooled in memory up to this size, then on disk, and sent with boto3's managed transfer
# (multipart for large files): S3 needs the length up front, which a stream does not give.
_SPOOL_BYTES = 8 * 1024 * 1024


class S3Storage:
    """A bucket, optionally under a key prefix.

    Configured as ``s3://bucket/optional/prefix?endpoint=http://host:9000&region=eu-central-1``; credentials
    come from the usual AWS environment (``AWS_ACCESS_KEY_ID``, ``AWS_SECRET_ACCESS_KEY``, a profile or an
    instance role), never from the URL, so they stay out of logs and settings dumps.
    """

    def __init__(
        self, bucket: str, *, prefix: str = "", endpoint_url: str | None = None, region: str | None = None
    ):
        import boto3  # imported here: deployments on local disk never load it

        self.bucket = bucket
        self.prefix = prefix.strip("/")
        session = boto3.session.Session()
        self.client: Any = session.client("s3", endpoint_url=endpoint_url, region_name=region)

    @classmethod
    def from_url(cls, url: str) -> S3Storage:
        parsed = urlparse(url)
        if parsed.scheme != "s3" or not parsed.netloc:
            raise StorageError("expected s3://bucket?endpoint=...&region=...")
        query = {name: values[-1] for name, values in parse_qs(parsed.query).items()}
        return cls(
            parsed.netloc,
            prefix=parsed.path,
            endpoint_url=query.get("endpoint") or os.environ.get("AWS_ENDPOINT_URL") or None,
            region=query.get("region") or None,
        )

    def object_key(self, key: str) -> str:
        check_key(key)  # only our own key shape reaches the bucket
        return f"{self.prefix}/{key}" if self.prefix else key

    async def put(self, key: str, chunks: AsyncIterator[bytes]) -> StoredBlob:
        name = self.object_key(key)
        digest = Digest()
        with tempfile.SpooledTemporaryFile(max_size=_SPOOL_BYTES) as spool:
            async for chunk in chunks:
                digest.update(chunk)
                spool.write(chunk)
            spool.seek(0)
            await asyncio.to_thread(self.client.upload_fileobj, spool, self.bucket, name)
        return digest.result()

    async def open(self, key: str) -> AsyncIterator[bytes]:
        name = self.object_key(key)
        response = await asyncio.to_thread(self.client.get_object, Bucket=self.bucket, Key=name)
        body = response["Body"]
        try:
            while chunk := await asyncio.to_thread(body.read, CHUNK_SIZE):
                yield chunk
        finally:
            body.close()

    async def delete(self, key: str) -> None:
        await asyncio.to_thread(self.client.delete_object, Bucket=self.bucket, Key=self.object_key(key))

    async def exists(self, key: str) -> bool:
        from botocore.exceptions import ClientError

        try:
            await asyncio.to_thread(self.client.head_object, Bucket=self.bucket, Key=self.object_key(key))
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return False
            raise
        return True
