"""Files are stored under random names with the extension of their detected
type; existing files are renamed (moved)."""

import agora.core.files
from django.db import migrations

from agora.core.files import rename_stored_files


def rename_project_image(apps, schema_editor):
    rename_stored_files(apps.get_model("budgets", "Project"), "image", folder="budgets")


def rename_projectdocument_file(apps, schema_editor):
    rename_stored_files(apps.get_model("budgets", "ProjectDocument"), "file", folder="budgets/documents")


class Migration(migrations.Migration):

    dependencies = [
        ('budgets', '0001_initial'),
    ]

    operations = [
        migrations.AlterField(
            model_name='project',
            name='image',
            field=agora.core.files.ImageUploadField(blank=True, upload_to=agora.core.files.RandomName('budgets'), verbose_name='image'),
        ),
        migrations.AlterField(
            model_name='projectdocument',
            name='file',
            field=agora.core.files.UploadField(upload_to=agora.core.files.RandomName('budgets/documents'), verbose_name='file'),
        ),
        migrations.RunPython(rename_project_image, migrations.RunPython.noop),
        migrations.RunPython(rename_projectdocument_file, migrations.RunPython.noop),
    ]
