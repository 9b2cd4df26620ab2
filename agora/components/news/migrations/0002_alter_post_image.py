"""Files are stored under random names with the extension of their detected
type; existing files are renamed (moved)."""

import agora.core.files
from django.db import migrations

from agora.core.files import rename_stored_files


def rename_post_image(apps, schema_editor):
    rename_stored_files(apps.get_model("news", "Post"), "image", folder="news")


class Migration(migrations.Migration):

    dependencies = [
        ('news', '0001_initial'),
    ]

    operations = [
        migrations.AlterField(
            model_name='post',
            name='image',
            field=agora.core.files.ImageUploadField(blank=True, upload_to=agora.core.files.RandomName('news'), verbose_name='image'),
        ),
        migrations.RunPython(rename_post_image, migrations.RunPython.noop),
    ]
