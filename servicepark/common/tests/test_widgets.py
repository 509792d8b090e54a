"""FastSelect renders what Django's Select renders: the chosen option marked, text escaped."""

import pytest

from servicepark.common.widgets import FastSelect

pytestmark = pytest.mark.smoke


def test_fast_select_marks_the_choice_and_escapes_text():
    widget = FastSelect(choices=[("", "全部"), ("a<b", "<script>x</script>"), ("c", "丙")])
    html = widget.render("kind", "c", attrs={"id": "id_kind"})
    assert html.startswith('<select id="id_kind" name="kind">')
    assert '<option value="c" selected>丙</option>' in html
    assert '<option value="a&lt;b">&lt;script&gt;x&lt;/script&gt;</option>' in html
    assert '<option value="">全部</option>' in html and html.count("selected") == 1
    assert 'value="" selected' in widget.render("kind", None)
