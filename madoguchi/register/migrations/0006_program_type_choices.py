"""Program.program_type becomes one of the fixed program types (ADR 0010).

Free-text values written before this change by older tools are mapped to the fixed codes; a value that
maps to none is left blank (the program then has no type until its department chooses one).
"""

from django.db import migrations, models

TYPES = {"application_subsidy", "push_allowance", "cohort_mailing", "points_scheme", "migration_check"}
LEGACY = {"cohort": "cohort_mailing", "coming_of_age": "cohort_mailing", "points": "points_scheme",
          "subsidy": "application_subsidy", "allowance": "push_allowance", "migration": "migration_check"}


def to_fixed_types(apps, schema_editor):
    Program = apps.get_model("register", "Program")
    for program in Program.objects.exclude(program_type__in=TYPES | {""}):
        program.program_type = LEGACY.get(program.program_type, "")
        program.save(update_fields=["program_type"])


class Migration(migrations.Migration):

    dependencies = [
        ("register", "0005_withdrawal"),
    ]

    operations = [
        migrations.RunPython(to_fixed_types, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="program",
            name="program_type",
            field=models.CharField(blank=True, choices=[("application_subsidy", "申請型補助金"), ("push_allowance", "プッシュ型給付（申請型併用）"), ("cohort_mailing", "対象者抽出・郵送"), ("points_scheme", "ポイント事業"), ("migration_check", "システム移行検証")], max_length=40, verbose_name="事業類型"),
        ),
    ]
