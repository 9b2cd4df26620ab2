# The count of a survey's responses moves from the survey's row (written by
# every response, a row every respondent queued on) to ResponseCount shards.

import django.db.models.deletion
from django.db import migrations, models


def keep_counts(apps, schema_editor):
    Survey = apps.get_model("surveys", "Survey")
    ResponseCount = apps.get_model("surveys", "ResponseCount")
    ResponseCount.objects.bulk_create(
        [
            ResponseCount(survey_id=pk, shard=0, count=count)
            for pk, count in Survey.objects.filter(answer_count__gt=0).values_list("pk", "answer_count")
        ]
    )


def restore_counts(apps, schema_editor):
    Survey = apps.get_model("surveys", "Survey")
    ResponseCount = apps.get_model("surveys", "ResponseCount")
    for survey in Survey.objects.all():
        survey.answer_count = sum(ResponseCount.objects.filter(survey=survey).values_list("count", flat=True))
        survey.save(update_fields=["answer_count"])


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0002_export"),
    ]

    operations = [
        migrations.CreateModel(
            name="ResponseCount",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("shard", models.PositiveSmallIntegerField(default=0)),
                ("count", models.BigIntegerField(default=0)),
                (
                    "survey",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to="surveys.survey"
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(fields=("survey", "shard"), name="survey_count_one_per_shard")
                ],
            },
        ),
        migrations.RunPython(keep_counts, restore_counts),
        migrations.RemoveField(
            model_name="survey",
            name="answer_count",
        ),
    ]
