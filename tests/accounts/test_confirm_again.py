"""Press again to confirm: only the key of what was shown, sent back, confirms."""

from django import forms
from django.http import QueryDict

from accounts.confirm_again import ConfirmAgain, confirm_field


class AskOnce(ConfirmAgain):
    confirm_field_name = "seen"

    days = forms.MultipleChoiceField(choices=[("1", "1"), ("2", "2")], required=False)
    seen = confirm_field()


def test_the_first_press_asks_and_carries_the_key():
    form = AskOnce(QueryDict("days=1&days=2"))
    assert form.is_valid()
    assert not form.confirmed_again("pay:50")
    rendered = str(form["seen"])
    assert 'name="seen"' in rendered
    assert 'value="pay:50"' in rendered
    data = form.data
    assert isinstance(data, QueryDict)
    assert data.getlist("days") == ["1", "2"]  # nothing else posted is lost


def test_only_the_same_key_confirms():
    assert AskOnce(QueryDict("seen=pay:50")).confirmed_again("pay:50")
    other = AskOnce(QueryDict("seen=pay:40"))
    assert not other.confirmed_again("pay:50")
    assert 'value="pay:50"' in str(other["seen"])
