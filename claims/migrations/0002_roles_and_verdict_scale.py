"""Create the staff roles with their permissions and seed the default verdict scale."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from claims.roles import ensure_roles, ensure_verdict_scale


def create_roles(apps, schema_editor):
    # Permissions are normally created after migrations; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    ensure_roles(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


def seed_scale(apps, schema_editor):
    ensure_verdict_scale(apps.get_model("claims", "VerdictRating"))


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0001_initial_schema"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(create_roles, migrations.RunPython.noop),
        migrations.RunPython(seed_scale, migrations.RunPython.noop),
    ]
