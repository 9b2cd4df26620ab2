"""Files are stored under random names with the extension of their detected
type; existing files are renamed (moved)."""

import agora.core.files
from django.db import migrations

from agora.core.files import rename_stored_files


def rename_user_avatar(apps, schema_editor):
    rename_stored_files(apps.get_model("accounts", "User"), "avatar", folder="avatars")


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0002_invitation'),
    ]

    operations = [
        migrations.AlterField(
            model_name='user',
            name='avatar',
            field=agora.core.files.ImageUploadField(blank=True, upload_to=agora.core.files.RandomName('avatars'), verbose_name='avatar'),
        ),
        migrations.RunPython(rename_user_avatar, migrations.RunPython.noop),
    ]
