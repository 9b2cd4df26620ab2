"""Files are stored under random names with the extension of their detected
type; existing files are renamed (moved)."""

import agora.core.files
from django.db import migrations

from agora.core.files import rename_stored_files


def rename_organization_logo(apps, schema_editor):
    rename_stored_files(apps.get_model("core", "Organization"), "logo", folder="organizations/logos")


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0006_organization_sender_email'),
    ]

    operations = [
        migrations.AlterField(
            model_name='organization',
            name='logo',
            field=agora.core.files.ImageUploadField(blank=True, upload_to=agora.core.files.RandomName('organizations/logos'), verbose_name='logo'),
        ),
        migrations.RunPython(rename_organization_logo, migrations.RunPython.noop),
    ]
