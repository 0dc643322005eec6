"""Product image bytes: validation by content, normalisation and the renditions the pages use.

Plain Pillow, no Django models: ``catalog.services`` stores what these functions return. Why not a rendition
library (django-imagekit 6.1, easy-thumbnails 2.10, versatileimagefield 3.1): they make a rendition on first
use, in the page render (a write, and an S3 round trip, in a GET), key it by their own naming, and leave it
behind when the original is deleted. The store needs the opposite: four fixed sizes made once by a Celery
task, keys recorded on the row (so a page knows without asking S3 whether a rendition exists, and a delete
removes exactly those objects). Pillow does the real work (``ImageOps.exif_transpose``, ``thumbnail`` with
``draft`` JPEG decoding); what is left here is choosing sizes and formats.
"""

import io
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageFile, ImageOps

from shop.exceptions import DomainError

# Content types accepted, by Pillow's detected format (never by the file name) -> stored extension.
ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
# 40 megapixels is a 7,700 x 5,200 photo; decoding one takes ~160 MB. Pillow's own bomb guard (89 MP warns,
# 179 MP refuses) is far above what a worker on a small machine should decode.
MAX_PIXELS = 40_000_000
MAX_SIDE = 12_000
ORIGINAL_JPEG_QUALITY = 90
RENDITION_QUALITY = {"WEBP": 80, "JPEG": 82}

# A truncated file must fail, not decode as a grey bottom half.
ImageFile.LOAD_TRUNCATED_IMAGES = False


@dataclass(frozen=True)
class RenditionSize:
    """One size the pages use: the longest edge, in pixels (never upscaled)."""

    name: str
    edge: int


# Largest first: each rendition is made from the one before it (one full decode per image).
RENDITION_SIZES = (
    RenditionSize("zoom", 1600),
    RenditionSize("product", 800),
    RenditionSize("card", 360),
    RenditionSize("thumb", 128),
)
RENDITION_FORMATS = (("webp", "WEBP"), ("jpeg", "JPEG"))
# Stored on each image: when the sizes or formats above change, the regeneration command (and the task) see
# that an image's renditions are stale.
RENDITION_SPEC = (
    "v1:"
    + ",".join(f"{size.name}={size.edge}" for size in RENDITION_SIZES)
    + ":"
    + ",".join(f"{image_format}@{RENDITION_QUALITY[image_format]}" for _key, image_format in RENDITION_FORMATS)
)


class InvalidImage(DomainError):
    """An upload that is not an image the store accepts; ``message`` says why in the customer's language."""

    code = "invalid_image"

    def __init__(self, message, **params):
        self.message = message % params if params else message
        self.params = params
        super().__init__(self.message)

    def details(self):
        return self.params or None


@dataclass(frozen=True)
class CleanImage:
    """A validated image re-encoded without metadata, orientation applied."""

    content: bytes
    extension: str
    width: int
    height: int


@dataclass(frozen=True)
class Rendition:
    name: str
    width: int
    height: int
    files: dict  # format key ("webp", "jpeg") -> bytes


def clean_image(file) -> CleanImage:
    """Open ``file`` by content, refuse what the store does not take, and re-encode it: EXIF orientation applied,
    EXIF (GPS, camera serials), XMP and comments dropped; the colour profile kept. Raises ``InvalidImage``."""
    size = getattr(file, "size", None)
    if size is not None and size > MAX_UPLOAD_BYTES:
        raise InvalidImage(_("The file is larger than %(limit)d MB."), limit=MAX_UPLOAD_BYTES // (1024 * 1024))
    file.seek(0)
    image = _open(file)
    _check_dimensions(image.width, image.height)
    try:
        image.load()
    except (OSError, SyntaxError, ValueError) as error:
        raise InvalidImage(_("The image file is damaged or incomplete.")) from error
    source_format = image.format
    # A colour profile is kept for RGB images (a phone's Display P3 photo); a CMYK or grey one would not fit
    # the RGB pixels written below.
    icc_profile = image.info.get("icc_profile") if image.mode in ("RGB", "RGBA") else None
    image = ImageOps.exif_transpose(image)
    image = _normalise_mode(image, keep_alpha=source_format != "JPEG")
    buffer = io.BytesIO()
    options = {"icc_profile": icc_profile} if icc_profile else {}
    if source_format == "JPEG":
        image.save(buffer, format="JPEG", quality=ORIGINAL_JPEG_QUALITY, optimize=True, **options)
    elif source_format == "PNG":
        image.save(buffer, format="PNG", optimize=True, **options)
    else:
        image.save(buffer, format="WEBP", quality=ORIGINAL_JPEG_QUALITY, **options)
    return CleanImage(buffer.getvalue(), ALLOWED_FORMATS[source_format], image.width, image.height)


def _open(file):
    try:
        image = Image.open(file, formats=list(ALLOWED_FORMATS))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise InvalidImage(_("The image has too many pixels.")) from error
    except (OSError, SyntaxError, ValueError) as error:
        raise InvalidImage(_("Upload a JPEG, PNG or WebP image; this file is not one.")) from error
    if image.format not in ALLOWED_FORMATS:
        raise InvalidImage(_("Upload a JPEG, PNG or WebP image; this file is not one."))
    return image


def _check_dimensions(width, height):
    if width * height > MAX_PIXELS or max(width, height) > MAX_SIDE:
        raise InvalidImage(
            _("The image is %(width)d x %(height)d pixels; at most %(megapixels)d megapixels are allowed."),
            width=width,
            height=height,
            megapixels=MAX_PIXELS // 1_000_000,
        )


def _normalise_mode(image, *, keep_alpha):
    """RGB, or RGBA when the image has transparency worth keeping (palette PNGs included)."""
    has_alpha = image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)
    if keep_alpha and has_alpha:
        return image.convert("RGBA")
    if image.mode != "RGB":
        return image.convert("RGB")
    return image


@dataclass(frozen=True)
class RenditionSet:
    width: int  # the original's, so rows saved before sizes were recorded learn them too
    height: int
    renditions: list[Rendition]


def make_renditions(file) -> RenditionSet:
    """Every size of ``RENDITION_SIZES`` as WebP (with alpha) and JPEG (on white), from a cleaned original."""
    file.seek(0)
    image = Image.open(file)
    original_size = image.size
    if image.format == "JPEG":
        # Let libjpeg decode at 1/2, 1/4 or 1/8 scale when that still covers the largest rendition (draft()
        # wants both sides covered, so ask for the largest rendition's own box, not a square).
        scale = RENDITION_SIZES[0].edge / max(image.size)
        if scale < 1:
            image.draft("RGB", (round(image.width * scale), round(image.height * scale)))
    icc_profile = image.info.get("icc_profile")
    image = _normalise_mode(image, keep_alpha=True)
    renditions = []
    for size in RENDITION_SIZES:
        if renditions and max(image.size) <= size.edge:
            # Already small enough (a small original): the same files serve this size too.
            renditions.append(Rendition(size.name, image.width, image.height, renditions[-1].files))
            continue
        image = image if max(image.size) <= size.edge else _shrink(image, size.edge)
        renditions.append(Rendition(size.name, image.width, image.height, _encode(image, icc_profile)))
    return RenditionSet(*original_size, renditions)


def _shrink(image, edge):
    smaller = image.copy()
    smaller.thumbnail((edge, edge), Image.Resampling.LANCZOS, reducing_gap=2.0)
    return smaller


def _encode(image, icc_profile) -> dict:
    options = {"icc_profile": icc_profile} if icc_profile else {}
    files = {}
    for key, image_format in RENDITION_FORMATS:
        output = image
        if image_format == "JPEG" and image.mode == "RGBA":
            output = Image.new("RGB", image.size, "white")
            output.paste(image, mask=image.getchannel("A"))
        buffer = io.BytesIO()
        output.save(buffer, format=image_format, quality=RENDITION_QUALITY[image_format], optimize=True, **options)
        files[key] = buffer.getvalue()
    return files
