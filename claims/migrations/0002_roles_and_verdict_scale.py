"""Create the staff roles with their permissions and seed the default verdict scale."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from claims.roles import ROLE_PERMISSIONS

DEFAULT_SCALE = [
    # name, slug, order, colour, ClaimReview value, description
    ("True", "true", 1, "#15803d", 5, "The claim is accurate and nothing significant is missing."),
    (
        "Mostly true",
        "mostly-true",
        2,
        "#65a30d",
        4,
        "Accurate, but needs clarification or context.",
    ),
    ("Mixed", "mixed", 3, "#ca8a04", 3, "Partly accurate and partly not."),
    (
        "Mostly false",
        "mostly-false",
        4,
        "#ea580c",
        2,
        "Contains some truth but leaves a false impression.",
    ),
    ("False", "false", 5, "#b91c1c", 1, "The claim is inaccurate."),
    ("Misleading", "misleading", 6, "#9333ea", 2, "Accurate facts presented to mislead."),
    (
        "Unverifiable",
        "unverifiable",
        7,
        "#6b7280",
        None,
        "The evidence available cannot settle it.",
    ),
]


def create_roles(apps, schema_editor):
    # Permissions are normally created after migrations; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codes in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        perms = []
        for code in codes:
            app_label, codename = code.split(".")
            perms.append(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
        group.permissions.set(perms)


def seed_scale(apps, schema_editor):
    VerdictRating = apps.get_model("claims", "VerdictRating")
    for name, slug, order, colour, schema_rating, description in DEFAULT_SCALE:
        VerdictRating.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "order": order,
                "colour": colour,
                "schema_rating": schema_rating,
                "description": description,
            },
        )


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
