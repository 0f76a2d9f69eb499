"""Undoing Content-Encoding (gzip, deflate) as the body streams in, never producing more than a cap.

Bodies are decompressed with a streaming decoder capped at the policy's `max_bytes`, so a gzip bomb
stops after the cap, not after filling memory. A response may list at most `MAX_CODINGS` codings: each one
costs a decoder, and thousands of gzip layers cost seconds and hundreds of megabytes even when every layer is
small (urllib3 set the same cap in 2025, for CVE-2025-66418).

Not for: the cap on bytes read off the wire or the refusal of an oversized Content-Length (both in
`sources.http.client`, which reads the body), or character sets (`sources.http.content_type`).
"""

from __future__ import annotations

import zlib

#: The codings `Inflater` can undo, and so the only ones a fetch asks for in Accept-Encoding.
SUPPORTED_CODINGS = ("gzip", "deflate")
#: The most content codings one response may have applied; more are refused before any is undone.
MAX_CODINGS = 5


class TooLarge(Exception):
    """Decoding would produce more than the limit; raised as soon as it does, before keeping the excess."""


class Inflater:
    """Streaming gzip/deflate decoder that never produces more than `limit` bytes in total."""

    def __init__(self, encoding: str, limit: int) -> None:
        self.encoding = encoding
        self.limit = limit
        self.produced = 0
        self._decoder: zlib._Decompress | None = None
        self._finished = False

    def _new_decoder(self, first_bytes: bytes) -> zlib._Decompress:
        if self.encoding == "gzip":
            return zlib.decompressobj(16 + zlib.MAX_WBITS)
        # "deflate" is meant to be zlib-wrapped, but some servers send raw deflate; the zlib header
        # check (CM=8, header checksum divisible by 31) tells them apart.
        if len(first_bytes) >= 2 and first_bytes[0] & 0x0F == 8 and (first_bytes[0] * 256 + first_bytes[1]) % 31 == 0:
            return zlib.decompressobj(zlib.MAX_WBITS)
        return zlib.decompressobj(-zlib.MAX_WBITS)

    def feed(self, data: bytes) -> bytes:
        pieces: list[bytes] = []
        while data:
            if self._finished:
                if self.encoding == "gzip" and data[:2] == b"\x1f\x8b":
                    self._finished = False
                    self._decoder = None  # another gzip member follows
                else:
                    break  # trailing garbage after the stream: ignored, as browsers do
            if self._decoder is None:
                self._decoder = self._new_decoder(data)
            piece = self._decoder.decompress(data, self.limit - self.produced + 1)
            self.produced += len(piece)
            if self.produced > self.limit:
                raise TooLarge
            pieces.append(piece)
            if self._decoder.eof:
                self._finished = True
                data = self._decoder.unused_data
            else:
                data = self._decoder.unconsumed_tail
        return b"".join(pieces)

    def finish(self) -> bytes:
        if self._decoder is None or self._finished:
            return b""
        tail = self._decoder.flush()
        self.produced += len(tail)
        if self.produced > self.limit:
            raise TooLarge
        if not self._decoder.eof:
            raise zlib.error("compressed body ended before the end of the stream")
        return tail


def content_codings(header: str) -> list[str]:
    """The codings a Content-Encoding header lists, in the order applied; "identity" dropped, x-gzip as gzip."""
    codings = [c.strip().lower() for c in header.split(",") if c.strip()]
    return ["gzip" if c == "x-gzip" else c for c in codings if c != "identity"]
