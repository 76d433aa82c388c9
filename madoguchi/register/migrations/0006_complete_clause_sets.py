"""Replace the shipped clause sets of 13 (乙) and 9 (丙) clauses by the complete sets of 24 each.

A set the municipality has edited (any clause whose heading or text differs from the first shipped
wording, or any clause added or switched off) is left as it is; the staff can add the missing topics
on the template screen.
"""

from django.db import migrations


def upgrade(apps, schema_editor):
    from madoguchi.register.defaults import read_json

    ClauseSet = apps.get_model("register", "ClauseSet")
    Clause = apps.get_model("register", "Clause")
    data = read_json("clauses.json")
    for spec in data["sets"]:
        clause_set = ClauseSet.objects.filter(party=spec["party"]).first()
        if clause_set is None:
            continue
        current = [[c.heading, c.text] for c in Clause.objects.filter(clause_set=clause_set, active=True)
                   .order_by("order", "id")]
        inactive = Clause.objects.filter(clause_set=clause_set, active=False).exists()
        if inactive or current != data["previous"][spec["party"]]:
            continue
        Clause.objects.filter(clause_set=clause_set).delete()
        Clause.objects.bulk_create([Clause(clause_set=clause_set, order=i + 1, heading=h, text=t)
                                    for i, (h, t) in enumerate(spec["clauses"])])
        clause_set.preamble = spec["preamble"]
        clause_set.save(update_fields=["preamble"])


class Migration(migrations.Migration):
    dependencies = [("register", "0005_withdrawal")]
    operations = [migrations.RunPython(upgrade, migrations.RunPython.noop)]
