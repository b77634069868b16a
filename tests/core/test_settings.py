"""Settings read from the environment fail loudly on a bad value (the proxy settings here)."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from kieumau.settings import env_origins, env_proxy_ssl_header

NAME = "KIEUMAU_TEST_SETTING"


def test_the_proxy_ssl_header_is_read_in_django_form(monkeypatch):
    monkeypatch.setenv(NAME, "X-Forwarded-Proto: https")
    assert env_proxy_ssl_header(NAME) == ("HTTP_X_FORWARDED_PROTO", "https")


def test_no_proxy_ssl_header_by_default(monkeypatch):
    monkeypatch.delenv(NAME, raising=False)
    assert env_proxy_ssl_header(NAME) is None


@pytest.mark.parametrize(
    "raw", ["X-Forwarded-Proto", "X-Forwarded-Proto:", ": https", "X Proto: https"]
)
def test_a_malformed_proxy_ssl_header_is_refused(monkeypatch, raw):
    monkeypatch.setenv(NAME, raw)
    with pytest.raises(ImproperlyConfigured, match="X-Forwarded-Proto: https"):
        env_proxy_ssl_header(NAME)


def test_trusted_origins_are_a_comma_separated_list(monkeypatch):
    monkeypatch.setenv(NAME, "https://kieumau.example.vn, http://10.0.0.5:8080")
    assert env_origins(NAME) == ["https://kieumau.example.vn", "http://10.0.0.5:8080"]


@pytest.mark.parametrize(
    "raw", ["kieumau.example.vn", "https://kieumau.example.vn/path", "ftp://x"]
)
def test_an_origin_without_scheme_or_with_a_path_is_refused(monkeypatch, raw):
    monkeypatch.setenv(NAME, raw)
    with pytest.raises(ImproperlyConfigured, match="scheme://host"):
        env_origins(NAME)
