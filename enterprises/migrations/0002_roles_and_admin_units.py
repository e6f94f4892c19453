from django.db import migrations

GROUPS = ["Chuyên viên Trung tâm", "Thẩm định viên", "Lãnh đạo", "Quản trị viên"]


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in GROUPS:
        Group.objects.get_or_create(name=name)


def load_units(apps, schema_editor):
    from enterprises.admin_units import load_admin_units

    load_admin_units(
        province_model=apps.get_model("enterprises", "Province"),
        commune_model=apps.get_model("enterprises", "Commune"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("enterprises", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        # Roles exist as soon as the schema does; their permissions are synced
        # after every migrate (enterprises.roles.sync_role_permissions).
        migrations.RunPython(create_groups, migrations.RunPython.noop),
        migrations.RunPython(load_units, migrations.RunPython.noop),
    ]
