"""Demo data for trying the portal: one person per role, idempotent, never in migrations."""

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.models import Role, User
from programme.models import Municipality, ServiceProvider

DEMO_PASSWORD = "turvaportaal-demo"


class Command(BaseCommand):
    help = "Create or refresh the demo accounts and data (safe to run again)."

    @transaction.atomic
    def handle(self, *args: object, **options: object) -> None:
        provider, _ = ServiceProvider.objects.update_or_create(
            name="Turvalise Kogukonna Nõustajad OÜ",
            defaults={"email": "info@example.org", "phone": "+372 600 0000"},
        )
        people: list[tuple[str, str, str, Role, dict[str, Any]]] = [
            ("admin@example.org", "Kadri Tamm", "Süsteemi administraator", Role.ADMIN, {}),
            ("ministry@example.org", "Mart Kask", "Programmijuht", Role.MINISTRY, {}),
            (
                "provider@example.org",
                "Liis Saar",
                "Nõustaja",
                Role.PROVIDER,
                {"service_provider": provider},
            ),
            (
                "kov-0668@example.org",
                "Tiit Mägi",
                "Turvalisuse spetsialist",
                Role.MUNICIPALITY,
                {"municipality": Municipality.objects.get(ehak_code="0668")},
            ),
            (
                "kov-0296@example.org",
                "Piret Lepp",
                "Sotsiaalnõunik",
                Role.MUNICIPALITY,
                {"municipality": Municipality.objects.get(ehak_code="0296")},
            ),
        ]
        for email, full_name, position, role, organisation in people:
            user, _ = User.objects.update_or_create(
                email=email,
                defaults={
                    "full_name": full_name,
                    "position": position,
                    "role": role,
                    "municipality": None,
                    "service_provider": None,
                    "is_active": True,
                    **organisation,
                },
            )
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        self.stdout.write(self.style.SUCCESS("Demo data is in place. Sign in with:"))
        for email, _name, _position, role, organisation in people:
            where = organisation.get("municipality") or organisation.get("service_provider") or ""
            self.stdout.write(f"  {email:<24} {DEMO_PASSWORD}   {role.label} {where}")
