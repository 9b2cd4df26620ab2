"""Registration closes when the selection starts: pools whose selection started before
that rule had their flag left open (the permission refused registration all the same)."""

from django.db import migrations


def close(apps, schema_editor):
    Sortition = apps.get_model("sortitions", "Sortition")
    Sortition.objects.filter(registration_open=True, draws__isnull=False).update(registration_open=False)


class Migration(migrations.Migration):
    dependencies = [("sortitions", "0004_volunteer_registration")]

    operations = [migrations.RunPython(close, migrations.RunPython.noop)]
