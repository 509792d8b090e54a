import pytest
from django.utils import translation


@pytest.fixture
def english():
    """For tests that assert message text: messages in English (the default is Chinese)."""
    with translation.override("en"):
        yield
