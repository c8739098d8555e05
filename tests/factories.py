import factory
from factory.django import DjangoModelFactory

from accounts.models import Role, User
from programme.models import Municipality, ServiceProvider

PASSWORD = "correct-horse-battery"


class ServiceProviderFactory(DjangoModelFactory[ServiceProvider]):
    class Meta:
        model = ServiceProvider

    name = factory.Sequence(lambda n: f"Nõustamisfirma {n} OÜ")
    email = factory.Sequence(lambda n: f"info{n}@provider.example")


class UserFactory(DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name", locale="et_EE")
    position = "Spetsialist"
    role = Role.MINISTRY
    password = factory.django.Password(PASSWORD)

    class Params:
        municipality_code = None

    @factory.lazy_attribute
    def municipality(self) -> Municipality | None:
        if self.role != Role.MUNICIPALITY:
            return None
        return Municipality.objects.get(ehak_code=self.municipality_code or "0668")

    @factory.lazy_attribute
    def service_provider(self) -> ServiceProvider | None:
        return ServiceProviderFactory() if self.role == Role.PROVIDER else None
