"""Files are stored under random names with the extension of their detected
type, private ones outside the public folder; existing files are renamed (moved)."""

import agora.core.files
from django.db import migrations

from agora.core.files import rename_stored_files


def rename_attachment_file(apps, schema_editor):
    rename_stored_files(apps.get_model("proposals", "Attachment"), "file", folder="proposals", private=True)


class Migration(migrations.Migration):

    dependencies = [
        ('proposals', '0004_drop_unused_comments_count'),
    ]

    operations = [
        migrations.AlterField(
            model_name='attachment',
            name='file',
            field=agora.core.files.UploadField(storage=agora.core.files.private_storage, upload_to=agora.core.files.RandomName('proposals'), verbose_name='file'),
        ),
        migrations.RunPython(rename_attachment_file, migrations.RunPython.noop),
    ]
