"""Thumbnails of an untrusted image: checked, decoded under a pixel cap, cropped, re-encoded.

Only JPEG, PNG, WebP and GIF are read (by their bytes, not the server's word); the header's
size is checked before a pixel is decoded (a decompression bomb is refused, not inflated);
every thumbnail is re-encoded as WebP from pixels alone, so nothing of the original file
(metadata, trailing data, a hostile chunk) reaches a reader.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from newsdesk.read.pictures import WIDTHS, height_for  # the sizes and shape pages declare

# Decoded pixels of one original, far under Pillow's own MAX_IMAGE_PIXELS (89 million) at which
# it only warns: a 10,000 x 4,000 photo passes, a 20,000 x 20,000 one-colour PNG does not.
MAX_PIXELS = 40_000_000
FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp", "GIF": "image/gif"}
QUALITY = 80
METHOD = 2  # WebP effort: 4 took three times as long here, for no smaller a file
MEDIA_TYPE = "image/webp"


class ImageRejected(Exception):
    """The bytes are not an image this proxy serves; the message says why in a few words."""


@dataclass(frozen=True, slots=True)
class Thumbnail:
    width: int
    height: int
    data: bytes  # WebP


def make_thumbnails(content: bytes, widths: tuple[int, ...] = WIDTHS) -> list[Thumbnail]:
    """One WebP thumbnail per width, cropped to ASPECT around the centre; ImageRejected."""
    try:
        with Image.open(io.BytesIO(content), formats=list(FORMATS)) as image:
            _check(image)
            # JPEG can decode at 1/2, 1/4 or 1/8 scale, never below the size asked for here:
            # a 4000-pixel photo is decoded at 1000.
            largest = max(widths)
            image.draft("RGB", (largest, height_for(largest)))
            image.seek(0)  # an animated GIF or WebP: its first frame
            frame = _flatten(ImageOps.exif_transpose(image))
            # One crop from the original at the largest width; the smaller ones are made from it.
            crop = ImageOps.fit(frame, (largest, height_for(largest)), Image.Resampling.LANCZOS)
            return [_thumbnail(crop, width) for width in widths]
    except UnidentifiedImageError:
        raise ImageRejected("not a JPEG, PNG, WebP or GIF image") from None
    except Image.DecompressionBombError:
        raise ImageRejected("too many pixels (a decompression bomb)") from None
    except (OSError, ValueError, SyntaxError, EOFError) as exc:  # truncated or corrupt data
        raise ImageRejected(f"the image data is damaged ({type(exc).__name__})") from None


def _check(image: Image.Image) -> None:
    width, height = image.size
    if width < 1 or height < 1:
        raise ImageRejected("the image has no pixels")
    if width * height > MAX_PIXELS:
        raise ImageRejected(f"{width} x {height} pixels is over the {MAX_PIXELS:,} cap")


def _thumbnail(crop: Image.Image, width: int) -> Thumbnail:
    height = height_for(width)
    sized = crop if crop.width == width else crop.resize((width, height), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    sized.save(out, "WEBP", quality=QUALITY, method=METHOD)
    return Thumbnail(width, height, out.getvalue())


def _flatten(frame: Image.Image) -> Image.Image:
    """RGB pixels; transparency laid on white (a logo on a transparent PNG stays readable)."""
    if frame.mode in ("RGBA", "LA") or (frame.mode == "P" and "transparency" in frame.info):
        rgba = frame.convert("RGBA")
        white = Image.new("RGB", rgba.size, (255, 255, 255))
        white.paste(rgba, mask=rgba.getchannel("A"))
        return white
    return frame.convert("RGB")
