"""Files are stored under random names with the extension of their detected
type, private ones outside the public folder; existing files are renamed (moved)."""

import agora.core.files
from django.db import migrations

from agora.core.files import rename_stored_files


def rename_verification_document(apps, schema_editor):
    rename_stored_files(apps.get_model("verifications", "Verification"), "document", folder="verifications/documents", private=True)


class Migration(migrations.Migration):

    dependencies = [
        ('verifications', '0001_initial'),
    ]

    operations = [
        migrations.AlterField(
            model_name='verification',
            name='document',
            field=agora.core.files.UploadField(blank=True, storage=agora.core.files.private_storage, upload_to=agora.core.files.RandomName('verifications/documents')),
        ),
        migrations.RunPython(rename_verification_document, migrations.RunPython.noop),
    ]
