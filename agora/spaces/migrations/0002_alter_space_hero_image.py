"""Files are stored under random names with the extension of their detected
type; existing files are renamed (moved)."""

import agora.core.files
from django.db import migrations

from agora.core.files import rename_stored_files


def rename_space_hero_image(apps, schema_editor):
    rename_stored_files(apps.get_model("spaces", "Space"), "hero_image", folder="spaces/heroes")


class Migration(migrations.Migration):

    dependencies = [
        ('spaces', '0001_initial'),
    ]

    operations = [
        migrations.AlterField(
            model_name='space',
            name='hero_image',
            field=agora.core.files.ImageUploadField(blank=True, upload_to=agora.core.files.RandomName('spaces/heroes'), verbose_name='hero image'),
        ),
        migrations.RunPython(rename_space_hero_image, migrations.RunPython.noop),
    ]
