"""A founding year after this year is refused, with a clean Vietnamese text."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.timezone import localdate

from enterprises.models import Commune
from tests.builders import make_establishment

pytestmark = pytest.mark.django_db


def test_a_future_founding_year_is_refused():
    commune = Commune.objects.filter(province_id=38).first()
    establishment = make_establishment(commune)
    establishment.founded_year = localdate().year + 1
    with translation.override("vi"), pytest.raises(ValidationError) as refused:
        establishment.full_clean()
    assert refused.value.message_dict["founded_year"] == [
        "Năm thành lập không thể ở tương lai."
    ]
    establishment.founded_year = localdate().year
    establishment.full_clean()


def test_range_messages_have_no_stray_space():
    commune = Commune.objects.filter(province_id=38).first()
    establishment = make_establishment(commune)
    establishment.founded_year = 1800
    with translation.override("vi"), pytest.raises(ValidationError) as refused:
        establishment.full_clean()
    assert refused.value.message_dict["founded_year"] == [
        "Giá trị này phải lớn hơn hoặc bằng 1900."
    ]
