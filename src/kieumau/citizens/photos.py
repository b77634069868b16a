"""Photos attached to requests: the type is read from the content by Pillow (never the name),
the size and pixel count are bounded, and the image is re-encoded as JPEG, which drops EXIF
(GPS position, camera, time) and any other metadata or trailing bytes."""

import io

from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ACCEPTED_FORMATS = frozenset({"JPEG", "PNG", "WEBP"})
MAX_PIXELS = 40_000_000
MAX_SIDE = 2560  # larger photos are scaled down: a phone's 4000 px adds nothing for an officer


class BadPhoto(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def clean_photo(upload) -> bytes:
    """JPEG bytes without metadata, or BadPhoto with a Vietnamese message."""
    limit = settings.CITIZENS_PHOTO_MAX_BYTES
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise BadPhoto(_("Ảnh lớn quá %(mb)s MB.") % {"mb": limit // (1024 * 1024)})
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise BadPhoto(_("Ảnh lớn quá %(mb)s MB.") % {"mb": limit // (1024 * 1024)})
    not_image = _("Tệp không phải ảnh JPEG, PNG hoặc WebP.")
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format not in ACCEPTED_FORMATS:
                raise BadPhoto(not_image)
            if probe.width * probe.height > MAX_PIXELS:
                raise BadPhoto(_("Ảnh có quá nhiều điểm ảnh."))
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            image = ImageOps.exif_transpose(image)
            image = image.convert("RGB")
            image.thumbnail((MAX_SIDE, MAX_SIDE))
            out = io.BytesIO()
            image.save(out, format="JPEG", quality=85, optimize=True)
    except BadPhoto:
        raise
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        raise BadPhoto(not_image) from None
    return out.getvalue()
