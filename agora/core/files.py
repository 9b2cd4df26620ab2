"""How Agora stores, names, serves and deletes uploaded files.

- Every file field is an `UploadField` / `ImageUploadField` with
  `upload_to=RandomName("<folder>")`: a stored file is named
  `<folder>/<32 random hex digits><extension of the type found in its
  bytes>`, never with the name the browser sent (`x.html` holding a PDF is
  stored as `….pdf`), so a served file cannot become a page of the site.
- Files are written under a temporary name and moved into place once
  complete (`AtomicFileSystemStorage`): a full or read-only disk never leaves
  a truncated file. A storage error while saving becomes `FileNotStored`, a
  ValidationError, so the service's transaction rolls back (no row) and the
  form is shown again with what the person typed.
- Files of private content (ideas' attachments, identity documents) live in
  the "private" storage, outside MEDIA_ROOT, and are only served by views
  that check permission (`private_file_response`); with S3 they get signed,
  expiring URLs.
- Deletions run after the commit (`delete_file_after_commit`); a failure is
  logged and the file is left to `manage.py remove_orphan_files`.
"""

import logging
import os
import secrets
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.core.files.storage import FileSystemStorage, storages
from django.db import models, transaction
from django.db.models.fields.files import FieldFile, ImageFieldFile
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

from agora.core.variants import source_stem

logger = logging.getLogger("agora.files")

TEMPORARY_PREFIX = ".incoming-"

# --- what a file is, from its bytes ---------------------------------------------------------

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT_TYPE = "application/vnd.oasis.opendocument.text"
IMAGE_FORMATS = {
    "JPEG": ("image/jpeg", ".jpg"),
    "PNG": ("image/png", ".png"),
    "GIF": ("image/gif", ".gif"),
    "WEBP": ("image/webp", ".webp"),
}
# The only types Agora stores, by the extension it gave them. Anything else
# (files stored before random names) is served as an opaque download.
TYPES_BY_EXTENSION = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".pdf": "application/pdf",
    ".docx": DOCX_TYPE,
    ".odt": ODT_TYPE,
    # An organization's font (agora.core.fonts checks it by its content; never detected as an upload).
    ".woff2": "font/woff2",
}
UNKNOWN_TYPE = "application/octet-stream"
# The Content-Security-Policy of every file Agora serves (agora.core.files.file_response).
FILE_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"


@dataclass(frozen=True)
class Detected:
    kind: str  # "image", "pdf", "docx", "odt"
    content_type: str
    extension: str
    image_format: str = ""

    @property
    def attachment_kind(self) -> str:
        return "image" if self.kind == "image" else "document"


def _image(content) -> Detected | None:
    try:
        content.seek(0)
        with Image.open(content) as image:
            image_format = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return None
    if image_format in IMAGE_FORMATS:
        content_type, extension = IMAGE_FORMATS[image_format]
        return Detected("image", content_type, extension, image_format)
    return None


def _office(content) -> Detected | None:
    try:
        content.seek(0)
        with zipfile.ZipFile(content) as archive:
            names = set(archive.namelist())
            if "mimetype" in names and archive.getinfo("mimetype").file_size < 100:
                if archive.read("mimetype").strip() == ODT_TYPE.encode():
                    return Detected("odt", ODT_TYPE, ".odt")
            if "[Content_Types].xml" in names and "word/document.xml" in names:
                info = archive.getinfo("[Content_Types].xml")
                if info.file_size < 1_000_000 and b"wordprocessingml.document.main+xml" in archive.read(info):
                    return Detected("docx", DOCX_TYPE, ".docx")
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, EOFError):
        return None
    return None


def detect(content) -> Detected | None:
    """The type of a file from its bytes (a JPEG/PNG/GIF/WebP picture Pillow
    can read, a PDF, a docx or odt document), never from its name; None
    for anything else. The read position is put back."""
    position = content.tell() if hasattr(content, "tell") else 0
    try:
        content.seek(0)
        head = content.read(8)
        if head.startswith(b"%PDF-"):
            return Detected("pdf", "application/pdf", ".pdf")
        if head.startswith(b"PK\x03\x04"):
            return _office(content)
        return _image(content)
    finally:
        content.seek(position)


def served_type(name: str) -> tuple[str, bool]:
    """(content type, shown inline?) of a stored file, from the extension
    Agora gave it when storing it. Only images are shown inline."""
    content_type = TYPES_BY_EXTENSION.get(os.path.splitext(name)[1].lower(), UNKNOWN_TYPE)
    return content_type, content_type.startswith("image/")


# --- names and fields -----------------------------------------------------------------------


@deconstructible
class RandomName:
    """`upload_to` of every file field: `<folder>/<random><extension>`. The
    extension given here is the detected one (`UploadField` renames the file
    before Django asks for its name); the sent name is never used."""

    def __init__(self, folder: str):
        self.folder = folder.strip("/")

    def __call__(self, instance, filename: str) -> str:
        extension = os.path.splitext(filename)[1].lower()
        if extension not in TYPES_BY_EXTENSION:
            extension = ".bin"
        return f"{self.folder}/{secrets.token_hex(16)}{extension}"

    def __eq__(self, other):
        return isinstance(other, RandomName) and other.folder == self.folder


class FileNotStored(ValidationError):
    """The storage refused the file (disk full, read-only, no permission, S3
    unreachable). A ValidationError so that the service's transaction rolls
    back and the view shows the form again, as for any invalid input."""

    def __init__(self):
        super().__init__(
            _("The file could not be stored, try again later; your text was kept."), code="file_not_stored"
        )


def storage_errors() -> tuple[type[BaseException], ...]:
    errors: list[type[BaseException]] = [OSError]
    try:  # S3 (django-storages) reports its failures as botocore errors.
        from botocore.exceptions import BotoCoreError, ClientError
    except ImportError:
        pass
    else:
        errors += [BotoCoreError, ClientError]
    return tuple(errors)


class _DetectedNameMixin:
    def _extension(self, content) -> str:
        found = detect(content)
        return found.extension if found else ".bin"

    def save(self, name, content, save=True):
        # Only the extension of this name is used (see RandomName).
        name = f"upload{self._extension(content)}"
        try:
            super().save(name, content, save)
        except storage_errors() as error:
            logger.error("Could not store an upload for %s.%s: %s", self.instance._meta.label, self.field.name, error)
            self.name = None
            raise FileNotStored() from error


class DetectedNameFieldFile(_DetectedNameMixin, FieldFile):
    pass


class DetectedNameImageFieldFile(_DetectedNameMixin, ImageFieldFile):
    pass


class UploadField(models.FileField):
    """A FileField stored under a random name with the detected extension."""

    attr_class = DetectedNameFieldFile


class ImageUploadField(models.ImageField):
    """An ImageField stored under a random name with the detected extension."""

    attr_class = DetectedNameImageFieldFile


class DetectedFontFieldFile(DetectedNameFieldFile):
    def _extension(self, content) -> str:
        position = content.tell() if hasattr(content, "tell") else 0
        content.seek(0)
        head = content.read(4)
        content.seek(position)
        return ".woff2" if head == b"wOF2" else ".bin"


class FontUploadField(UploadField):
    """A WOFF2 font (agora.core.fonts checks it whole before it is saved),
    stored under a random name: `.woff2` when it starts as one, else `.bin`."""

    attr_class = DetectedFontFieldFile


# --- storages -------------------------------------------------------------------------------


class AtomicFileSystemStorage(FileSystemStorage):
    """Writes to a temporary file in the target folder, then moves it into
    place with os.replace (atomic on one file system): readers and the
    orphan command never see a half-written file, and a failed write (disk
    full, read-only) leaves nothing behind."""

    def _save(self, name, content):
        full_path = self.path(name)
        directory = os.path.dirname(full_path)
        os.makedirs(directory, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(dir=directory, prefix=TEMPORARY_PREFIX)
        try:
            with os.fdopen(descriptor, "wb") as output:
                if hasattr(content, "temporary_file_path"):
                    with open(content.temporary_file_path(), "rb") as source:
                        while chunk := source.read(64 * 1024):
                            output.write(chunk)
                else:
                    for chunk in content.chunks():
                        output.write(chunk)
                output.flush()
                os.fsync(output.fileno())
            if self.file_permissions_mode is not None:
                os.chmod(temporary, self.file_permissions_mode)
            # The name is random and was checked as free; os.link would refuse
            # to replace, but a collision of 128 random bits does not happen.
            os.replace(temporary, full_path)
        except BaseException:
            try:
                os.unlink(temporary)
            except OSError:
                pass
            raise
        return str(name).replace("\\", "/")


class PrivateFileSystemStorage(AtomicFileSystemStorage):
    """Files no public address serves, under AGORA_PRIVATE_MEDIA_ROOT
    (outside MEDIA_ROOT, so neither the proxy nor the media view reach them)."""

    def __init__(self, location=None, **kwargs):
        super().__init__(location=location, base_url=None, **kwargs)

    # Read at each use rather than cached, so a changed setting (tests) is seen
    # by the instance the model fields already hold.
    @property
    def base_location(self):
        return self._value_or_setting(self._location, settings.AGORA_PRIVATE_MEDIA_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("Private files have no public address; link the view that checks permission.")


def private_storage():
    """The storage of private files (callable so migrations keep a reference)."""
    return storages["private"]


def public_storage():
    return storages["default"]


# --- serving --------------------------------------------------------------------------------


def _download_name(name: str, title: str = "") -> str:
    extension = os.path.splitext(name)[1].lower()

    stem = slugify(title)[:80] if title else ""
    return f"{stem or 'file'}{extension}"


def file_response(storage, name: str, *, title: str = "", private: bool = False):
    """The stored file `name`, with the type Agora gave it, nosniff, and as a
    download unless it is an image. Private files are never cached by
    shared caches; with a storage that has no local path (S3) the person is
    sent to a signed, expiring URL made after the permission check."""
    parts = name.replace("\\", "/").split("/") if name else []
    # No way out of the folder, and never a temporary (still incomplete) file.
    if not parts or any(part in ("", ".", "..") for part in parts) or parts[-1].startswith("."):
        raise Http404
    content_type, inline = served_type(name)
    disposition = "inline" if inline else "attachment"
    download_name = _download_name(name, title)
    if not _is_local(storage):
        return redirect(_signed_url(storage, name, content_type, disposition, download_name))
    try:
        handle = storage.open(name, "rb")
    except (OSError, ValueError, SuspiciousFileOperation) as error:  # missing, or outside the folder
        raise Http404 from error
    response = FileResponse(handle, content_type=content_type, as_attachment=not inline, filename=download_name)
    if inline:
        response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    # A file's own policy, not the pages': nothing may run in it (no script, sandboxed), and a
    # picture opened by itself may be shown as browsers show one (their viewer styles it inline).
    response["Content-Security-Policy"] = FILE_CSP
    response["Cache-Control"] = "private, no-store" if private else "public, max-age=86400"
    return response


def _is_local(storage) -> bool:
    try:
        storage.path("x")
    except NotImplementedError:
        return False
    return True


def _signed_url(storage, name, content_type, disposition, download_name) -> str:
    parameters = {
        "ResponseContentType": content_type,
        "ResponseContentDisposition": f'{disposition}; filename="{download_name}"',
    }
    try:
        return storage.url(name, parameters=parameters)
    except TypeError:  # a storage without response parameters
        return storage.url(name)


def private_file_response(field_file, *, title: str = ""):
    """A private file, for a view that has checked permission."""
    if not field_file:
        raise Http404
    return file_response(field_file.storage, field_file.name, title=title, private=True)


# --- deleting -------------------------------------------------------------------------------


def delete_file_after_commit(field_file_or_storage, name: str | None = None) -> None:
    """Delete a stored file once the current transaction commits (at once
    outside one), so that a rollback never loses the file of a row that
    stays. Accepts a FieldFile, or a storage and a name. If the storage
    refuses (read-only disk), the failure is logged and the file is left to
    `manage.py remove_orphan_files`: the committed change stands."""
    if name is None:
        field_file = field_file_or_storage
        if not field_file:
            return
        storage, name = field_file.storage, field_file.name
    else:
        storage = field_file_or_storage
    if not name:
        return
    transaction.on_commit(lambda: _delete_now(storage, name))


def _delete_now(storage, name: str) -> None:
    try:
        storage.delete(name)
    except storage_errors() as error:
        logger.warning(
            "Could not delete the stored file %s (%s); manage.py remove_orphan_files will remove it.", name, error
        )


# --- files stored before random names -------------------------------------------------------


def rename_stored_files(model, field_name: str, *, folder: str, private: bool = False) -> int:
    """For data migrations: the files of existing rows get a random name with
    the extension of their detected type, and private ones move out of the
    public folder into the private storage. A row whose file is missing is
    left as it is. Returns how many files were renamed."""
    source = public_storage()
    target = private_storage() if private else source
    renamed = 0
    for row in model.objects.exclude(**{field_name: ""}).iterator():
        old = getattr(row, field_name).name
        try:
            handle = source.open(old, "rb")
        except (OSError, ValueError):
            continue
        with handle:
            found = detect(handle)
            handle.seek(0)
            new = target.save(RandomName(folder)(row, f"x{found.extension if found else '.bin'}"), handle)
        model.objects.filter(pk=row.pk).update(**{field_name: new})
        delete_file_after_commit(source, old)
        renamed += 1
    return renamed


# --- orphans --------------------------------------------------------------------------------


@dataclass(frozen=True)
class StoredFile:
    storage_name: str  # "public" or "private"
    name: str
    size: int | None


def _file_fields():
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.FileField) and field.concrete:
                yield model, field


def _is_private(field) -> bool:
    return getattr(field, "_storage_callable", None) is private_storage


def _walk(storage, folder=""):
    try:
        folders, files = storage.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return
    for name in files:
        yield f"{folder}/{name}" if folder else name
    for sub in folders:
        yield from _walk(storage, f"{folder}/{sub}" if folder else sub)


def find_orphan_files(*, min_age: timedelta = timedelta(hours=1)) -> list[StoredFile]:
    """Stored files (public and private) that no row of any file field names
    (nor, for a picture's variants, the picture they were made from), left by
    a rolled-back upload, a deletion the disk refused, or a deleted row. Files younger than `min_age` are left out: an upload is stored
    before its row is committed."""
    referenced: dict[str, set] = {"public": set(), "private": set()}
    for model, field in _file_fields():
        names = model._base_manager.exclude(**{field.attname: ""}).values_list(field.attname, flat=True)
        referenced["private" if _is_private(field) else "public"].update(names)
    # A picture's variants (agora.core.images) are named after it: kept while it is.
    stems = {key: {os.path.splitext(name)[0] for name in names} for key, names in referenced.items()}
    newest = timezone.now() - min_age
    orphans = []
    for storage_name, storage in (("public", public_storage()), ("private", private_storage())):
        for name in _walk(storage):
            if name in referenced[storage_name] or source_stem(name) in stems[storage_name]:
                continue
            try:
                if storage.get_modified_time(name) > newest:
                    continue
                size = storage.size(name)
            except (OSError, NotImplementedError):
                size = None
            orphans.append(StoredFile(storage_name, name, size))
    return orphans


def delete_stored_file(stored: StoredFile) -> None:
    storage = private_storage() if stored.storage_name == "private" else public_storage()
    storage.delete(stored.name)
