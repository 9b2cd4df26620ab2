"""Files are stored under random names with the extension of their detected
type; existing files are renamed (moved)."""

import agora.core.files
from django.db import migrations

from agora.core.files import rename_stored_files


def rename_milestonephoto_image(apps, schema_editor):
    rename_stored_files(apps.get_model("accountability", "MilestonePhoto"), "image", folder="results")


class Migration(migrations.Migration):

    dependencies = [
        ('accountability', '0002_result_projects'),
    ]

    operations = [
        migrations.AlterField(
            model_name='milestonephoto',
            name='image',
            field=agora.core.files.ImageUploadField(upload_to=agora.core.files.RandomName('results'), verbose_name='photo'),
        ),
        migrations.RunPython(rename_milestonephoto_image, migrations.RunPython.noop),
    ]
