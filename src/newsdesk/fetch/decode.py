"""Incremental Content-Encoding decoders whose output comes in bounded pieces.

Each decoder yields at most CHUNK bytes at a time from whatever it was fed, so the caller can
stop at the byte cap: a gzip or brotli bomb never gets to expand past it in memory.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from typing import Protocol

import brotli

CHUNK = 64 * 1024
ACCEPT_ENCODING = "gzip, deflate, br"


class DecodeError(Exception):
    """The body is not valid for its Content-Encoding."""


class Decoder(Protocol):
    def feed(self, data: bytes) -> Iterator[bytes]: ...
    def flush(self) -> Iterator[bytes]: ...


class Identity:
    def feed(self, data: bytes) -> Iterator[bytes]:
        if data:
            yield data

    def flush(self) -> Iterator[bytes]:
        return iter(())


class ZlibDecoder:
    """gzip (several members allowed) or deflate (zlib-wrapped, or raw as some servers send)."""

    def __init__(self, gzip: bool) -> None:
        self._gzip = gzip
        self._first = True
        self._obj = zlib.decompressobj(16 + zlib.MAX_WBITS if gzip else zlib.MAX_WBITS)

    def feed(self, data: bytes) -> Iterator[bytes]:
        if self._first and data and not self._gzip:
            self._first = False
            if data[0] & 0x0F != 8:  # not a zlib header: a raw deflate stream
                self._obj = zlib.decompressobj(-zlib.MAX_WBITS)
        try:
            while data:
                out = self._obj.decompress(data, CHUNK)
                data = self._obj.unconsumed_tail
                if self._obj.eof and self._gzip and self._obj.unused_data:
                    data = self._obj.unused_data  # another gzip member follows
                    self._obj = zlib.decompressobj(16 + zlib.MAX_WBITS)
                elif self._obj.eof:
                    data = b""  # trailing garbage after the stream: ignored, as browsers do
                if out:
                    yield out
        except zlib.error as exc:
            raise DecodeError(str(exc)) from None

    def flush(self) -> Iterator[bytes]:
        try:
            out = self._obj.flush()
        except zlib.error as exc:
            raise DecodeError(str(exc)) from None
        for i in range(0, len(out), CHUNK):
            yield out[i : i + CHUNK]


class BrotliDecoder:
    def __init__(self) -> None:
        self._obj = brotli.Decompressor()

    def feed(self, data: bytes) -> Iterator[bytes]:
        try:
            out = self._obj.process(data, output_buffer_limit=CHUNK)
            if out:
                yield out
            yield from self._drain()
        except brotli.error as exc:
            raise DecodeError(str(exc)) from None

    def flush(self) -> Iterator[bytes]:
        try:
            yield from self._drain()
        except brotli.error as exc:
            raise DecodeError(str(exc)) from None

    def _drain(self) -> Iterator[bytes]:
        # Output held back by the limit comes out on calls with empty input.
        while not self._obj.is_finished():
            out = self._obj.process(b"", output_buffer_limit=CHUNK)
            if not out:
                return
            yield out


class Chain:
    """Several encodings, decoders listed in decoding order (the header's reverse)."""

    def __init__(self, decoders: list[Decoder]) -> None:
        self._decoders = decoders

    def feed(self, data: bytes) -> Iterator[bytes]:
        stream: Iterator[bytes] = iter((data,))
        for decoder in self._decoders:
            stream = _through(decoder, stream)
        return stream

    def flush(self) -> Iterator[bytes]:
        for i, decoder in enumerate(self._decoders):
            stream = decoder.flush()
            for later in self._decoders[i + 1 :]:
                stream = _through(later, stream)
            yield from stream


def _through(decoder: Decoder, pieces: Iterator[bytes]) -> Iterator[bytes]:
    for piece in pieces:
        yield from decoder.feed(piece)


def make_decoder(content_encoding: str) -> Decoder:
    """A decoder for a Content-Encoding header value; DecodeError for an unknown coding.

    zstd is not offered: zstandard's decompressobj cannot bound its output per call.
    """
    codings = [c.strip().lower() for c in content_encoding.split(",") if c.strip()]
    decoders: list[Decoder] = []
    for coding in reversed(codings):
        if coding in {"gzip", "x-gzip"}:
            decoders.append(ZlibDecoder(gzip=True))
        elif coding == "deflate":
            decoders.append(ZlibDecoder(gzip=False))
        elif coding == "br":
            decoders.append(BrotliDecoder())
        elif coding != "identity":
            raise DecodeError(f"unsupported Content-Encoding {coding!r}")
    if not decoders:
        return Identity()
    return decoders[0] if len(decoders) == 1 else Chain(decoders)
