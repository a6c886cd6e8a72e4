"""Uploaded images (avatars, rank images) made safe to store and serve.

An upload is never stored as sent. It must be a JPEG, PNG, GIF or WebP no larger than
``avatar_upload_max_bytes`` whose header declares at most ``avatar_source_pixels_max``
pixels (checked before anything is decoded, so a small file that would expand into
gigabytes is refused cheaply). Its first frame is then decoded, turned upright, shrunk to
fit ``avatar_size_px`` and written as a new PNG from its pixels alone: EXIF, comments,
colour profiles and anything else hidden in the original are gone, and what is served is
a PNG the board itself made. What the member called the file is never read.
"""

from __future__ import annotations

import asyncio
import io

from PIL import Image, ImageOps, UnidentifiedImageError

from tinypier.i18n import N_, _
from tinypier.settings import Settings

ACCEPTED_FORMATS = ("JPEG", "PNG", "GIF", "WEBP")
STORED_CONTENT_TYPE = "image/png"

NO_FILE = N_("Choose an image file to upload.")
TOO_LARGE = N_("The image is larger than %(size)s: choose a smaller file.")
NOT_AN_IMAGE = N_("This is not a JPEG, PNG, GIF or WebP image.")
TOO_MANY_PIXELS = N_(
    "The image is too large in pixels (at most %(pixels)s million): choose a smaller one."
)


class ImageRefused(ValueError):
    """An upload the board will not store; the message is meant for the member."""


def _keeps_transparency(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info


def _refuse_pixels(settings: Settings) -> ImageRefused:
    millions = f"{settings.avatar_source_pixels_max / 1_000_000:g}"
    return ImageRefused(_(TOO_MANY_PIXELS, pixels=millions))


def normalized_png(data: bytes, settings: Settings) -> bytes:
    """The stored form of an uploaded image (see the module's docstring), or ImageRefused."""
    if not data:
        raise ImageRefused(_(NO_FILE))
    if len(data) > settings.avatar_upload_max_bytes:
        kib = f"{settings.avatar_upload_max_bytes // 1024} KiB"
        raise ImageRefused(_(TOO_LARGE, size=kib))
    # Pillow's own bomb check runs as the header is read: above twice this it raises.
    Image.MAX_IMAGE_PIXELS = settings.avatar_source_pixels_max
    try:
        with Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS) as source:
            if source.width * source.height > settings.avatar_source_pixels_max:
                raise _refuse_pixels(settings)
            return _reencoded(source, settings.avatar_size_px)
    except Image.DecompressionBombError:
        raise _refuse_pixels(settings) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as error:
        if isinstance(error, ImageRefused):
            raise
        raise ImageRefused(_(NOT_AN_IMAGE)) from None


def _reencoded(source: Image.Image, box: int) -> bytes:
    """The first frame, upright, fitted into ``box`` x ``box``, as a PNG of its pixels."""
    source.seek(0)
    source.draft("RGB", (box, box))  # JPEG: decode at a reduced scale when it can
    upright = ImageOps.exif_transpose(source)
    mode = "RGBA" if _keeps_transparency(upright) else "RGB"
    frame = upright.convert(mode)
    frame.thumbnail((box, box), Image.Resampling.LANCZOS)
    # A new image from the pixels alone: nothing of the original's info travels along.
    clean = Image.frombytes(mode, frame.size, frame.tobytes())
    output = io.BytesIO()
    clean.save(output, format="PNG", optimize=True)
    return output.getvalue()


async def normalized_png_off_loop(data: bytes, settings: Settings) -> bytes:
    """``normalized_png`` on a worker thread: decoding takes milliseconds the forum and
    the tracker should not wait for."""
    return await asyncio.to_thread(normalized_png, data, settings)
