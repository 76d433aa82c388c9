from django.db import migrations


def load(apps, schema_editor):
    from madoguchi.register.defaults import load_defaults

    load_defaults(apps.get_model("register", "ChecklistTemplate"), apps.get_model("register", "ChecklistMeasure"),
                  apps.get_model("register", "ClauseSet"), apps.get_model("register", "Clause"))


class Migration(migrations.Migration):

    dependencies = [
        ("register", "0003_council"),
    ]

    operations = [
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
