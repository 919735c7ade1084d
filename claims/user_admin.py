"""The user admin: administrators manage people's roles (groups) and whether they may sign in;
only superusers grant superuser or staff status and raw permissions.

The rule is "nobody hands out power they do not have": a user who is not a superuser may only
change users whose permissions are all their own too, and may only put them into groups whose
permissions are all their own. Without it the Admin role (which has `auth.change_user`) could
tick "superuser" on its own account, or give itself any permission one by one. Changing another
person's password is a superuser's act too: an administrator who could set an editor's password
could sign in as that editor and approve their own verdict, going around four eyes.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import AbstractBaseUser, Group, Permission
from django.core.exceptions import PermissionDenied
from django.db.models import Q

User = get_user_model()

# Shown to administrators who are not superusers: who they are and which roles they hold.
ROLE_FIELDSETS = (
    (None, {"fields": ("username", "password")}),
    ("Personal info", {"fields": ("first_name", "last_name", "email")}),
    (
        "Roles and access",
        {
            "fields": ("is_active", "is_staff", "groups"),
            "description": "A user's role (Reviewer, Editor, Admin) is their group. Staff "
            "status (the admin site), superuser status and single permissions are granted by a "
            "superuser.",
        },
    ),
    ("Important dates", {"fields": ("last_login", "date_joined")}),
)
ROLE_READONLY_FIELDS = ("is_staff", "last_login", "date_joined")


def permission_codes(permissions) -> set[str]:
    return {
        f"{app_label}.{codename}"
        for app_label, codename in permissions.values_list("content_type__app_label", "codename")
    }


def granted_permissions(user: AbstractBaseUser) -> set[str]:
    """Every permission the user holds through groups or directly, active or not (a
    deactivated account is still one that can be switched back on)."""
    return permission_codes(
        Permission.objects.filter(Q(group__user=user) | Q(user=user)).distinct()
    )


def assignable_groups(actor: AbstractBaseUser):
    """The groups `actor` may put people into: superusers any; others those that give no
    permission `actor` lacks."""
    groups = Group.objects.order_by("name")
    if actor.is_superuser:
        return groups
    own = actor.get_all_permissions()
    allowed = [
        group.pk
        for group in groups.prefetch_related("permissions__content_type")
        if {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()} <= own
    ]
    return groups.filter(pk__in=allowed)


def may_manage(actor: AbstractBaseUser, target: AbstractBaseUser) -> bool:
    """Whether `actor` may change `target`: superusers anyone; others only users who are no
    superuser and hold no permission that `actor` lacks."""
    if actor.is_superuser:
        return True
    if target.is_superuser:
        return False
    return granted_permissions(target) <= actor.get_all_permissions()


admin.site.unregister(User)
admin.site.unregister(Group)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    def get_fieldsets(self, request, obj=None):
        if obj is None or request.user.is_superuser:
            return super().get_fieldsets(request, obj)
        return ROLE_FIELDSETS

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        if obj is None or request.user.is_superuser:
            return readonly
        return (*readonly, *ROLE_READONLY_FIELDS)

    def has_change_permission(self, request, obj=None) -> bool:
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or may_manage(request.user, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        if not super().has_delete_permission(request, obj):
            return False
        return obj is None or may_manage(request.user, obj)

    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        if db_field.name == "groups" and request is not None:
            kwargs["queryset"] = assignable_groups(request.user)
        return super().formfield_for_manytomany(db_field, request=request, **kwargs)

    def user_change_password(self, request, id, form_url=""):
        """Only superusers set someone else's password; everyone may set their own."""
        if not request.user.is_superuser and str(request.user.pk) != str(id):
            raise PermissionDenied
        return super().user_change_password(request, id, form_url)


@admin.register(Group)
class GroupAdmin(DjangoGroupAdmin):
    """Roles are groups. Staff who may change groups (a superuser's grant: the Admin role only
    sees them) may still not give a group a permission they lack themselves."""

    def has_change_permission(self, request, obj=None) -> bool:
        if not super().has_change_permission(request, obj):
            return False
        if obj is None or request.user.is_superuser:
            return True
        return permission_codes(obj.permissions.all()) <= request.user.get_all_permissions()

    def has_delete_permission(self, request, obj=None) -> bool:
        return self.has_change_permission(request, obj) and super().has_delete_permission(
            request, obj
        )

    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        if db_field.name == "permissions" and request is not None and not request.user.is_superuser:
            own = request.user.get_all_permissions()
            kwargs["queryset"] = Permission.objects.filter(
                pk__in=[
                    pk
                    for pk, app_label, codename in Permission.objects.values_list(
                        "pk", "content_type__app_label", "codename"
                    )
                    if f"{app_label}.{codename}" in own
                ]
            ).select_related("content_type")
        return super().formfield_for_manytomany(db_field, request=request, **kwargs)
