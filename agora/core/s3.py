"""Media in S3-compatible storage (settings.STORAGES when AGORA_S3_BUCKET is
set; needs django-storages[s3], see docs/deployment.md).

django-storages stores an object with the Content-Type the *browser* sent
for the upload when there is one (before guessing from the name): an
`x.html` PDF would be served by the bucket as text/html. These storages set
the type from the extension Agora gave the file (the detected type), and
`Content-Disposition: attachment` on anything that is not an image, like
Agora's own media view. nosniff cannot be stored on an S3 object: the media
domain (CDN) in front of the bucket adds it (docs/deployment.md)."""

from storages.backends.s3 import S3Storage

from agora.core.files import served_type


class _DetectedTypeMixin:
    def get_object_parameters(self, name):
        parameters = super().get_object_parameters(name)
        content_type, inline = served_type(name)
        parameters["ContentType"] = content_type
        if not inline:
            parameters["ContentDisposition"] = "attachment"
        return parameters


class PublicMediaS3Storage(_DetectedTypeMixin, S3Storage):
    pass


class PrivateMediaS3Storage(_DetectedTypeMixin, S3Storage):
    """Private files: never public (ACL private, or a bucket of their own);
    the permission-checked views redirect to a signed URL that expires."""
