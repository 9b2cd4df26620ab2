from django.db import migrations, models


def first_row(apps, schema_editor):
    apps.get_model("core", "ContentVersion").objects.create(pk=1, number=0)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_cache_table")]
    operations = [
        migrations.CreateModel(
            name="ContentVersion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("number", models.BigIntegerField(default=0)),
            ],
            options={"db_table": "core_contentversion"},
        ),
        migrations.RunPython(first_row, migrations.RunPython.noop),
    ]
