"""The suite hashes passwords with a fast hasher (tests/conftest.py); production does not."""

import importlib
import os

from django.conf import global_settings
from django.contrib.auth.hashers import check_password, get_hasher, make_password
from django.test import override_settings


def test_production_hashes_passwords_with_pbkdf2_at_djangos_work_factor():
    production = importlib.import_module(os.environ["DJANGO_SETTINGS_MODULE"])
    hashers = getattr(production, "PASSWORD_HASHERS", global_settings.PASSWORD_HASHERS)
    assert hashers[0] == "django.contrib.auth.hashers.PBKDF2PasswordHasher"
    with override_settings(PASSWORD_HASHERS=hashers):
        hashed = make_password("correct-horse-battery")
        algorithm, iterations, _salt, _hash = hashed.split("$")
        assert algorithm == "pbkdf2_sha256"
        assert int(iterations) == get_hasher("pbkdf2_sha256").iterations >= 1_000_000
        assert check_password("correct-horse-battery", hashed)


def test_the_suite_hashes_with_the_fast_hasher():
    assert make_password("correct-horse-battery").startswith("md5$")
