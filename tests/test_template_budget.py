"""Templates cannot make unbounded work or memory (#22 item 4): every render has a budget of
loop iterations and calls, characters and seconds; widths, ranges, integer sizes and the values
filters, calls and namespaces make are capped before the work is done. A taxonomy holding such
a template is refused at load, naming file, subtask and template."""
from __future__ import annotations

import time

import jinja2
import pytest
from definition_helpers import USER_SUBTASK, write_taxonomy

from ogi_toolkit.definition.taxonomy import TaxonomyError, load_taxonomy
from ogi_toolkit.templates.engine import render_text
from ogi_toolkit.templates.validate import validate_taxonomy

HOSTILE = {
    "nested_range_loops": "{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}{% endfor %}",
    "nested_loops_in_range": "{% for i in range(9999) %}{% for j in range(9999) %}{% endfor %}{% endfor %}",
    "chained_powers": "{{ ((9 ** 64) ** 64) ** 64 }}",
    "chained_products": "{{ (9 ** 60) * (9 ** 60) * (9 ** 60) * (9 ** 60) * (9 ** 60) * (9 ** 60) }}",
    "percent_width": "{{ '%100000000d' % 1 }}",
    "format_filter_width": "{{ '%100000000d'|format(1) }}",
    "center": "{{ 'a'|center(100000000) }}",
    "str_format_width": "{{ '{:100000000}'.format(1) }}",
    "str_format_nested_width": "{{ '{:{w}}'.format(1, w=100000000) }}",
    "namespace_doubling": "{% set ns = namespace(s='ab') %}{% for i in range(60) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}",
    "loop_output": "{% for i in range(9000) %}{{ 'abcdefghij' * 9 }}{% endfor %}",
    "lipsum": "{{ lipsum(100000000) }}",
    "macro_fan_out": "{% macro f(n) %}{% for i in range(9) %}{{ f(n + 1) }}{% endfor %}{% endmacro %}{{ f(0) }}",
}


@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_a_hostile_template_ends_in_an_error_quickly(text):
    started = time.monotonic()
    with pytest.raises((jinja2.TemplateError, RecursionError)):
        render_text(text)
    assert time.monotonic() - started < 2


def test_ordinary_templates_render_as_before():
    assert render_text("{% for c in xs %}{{ loop.index }}) {{ c }}{{ '; ' if not loop.last }}{% endfor %}.",
                       xs=["a cup", "a jar"]) == "1) a cup; 2) a jar."
    assert render_text("{{ '%03d' % n }}-{{ '{:0>4}'.format(n) }}-{{ 'ab'|center(6)|length }}", n=7) == "007-0007-6."
    assert render_text("{{ range(3)|join(',') }} {{ 2 ** 10 }}") == "0,1,2 1024."


@pytest.mark.parametrize("name", ["nested_loops_in_range", "chained_powers", "center", "loop_output"])
def test_a_taxonomy_with_such_a_template_is_refused_naming_file_subtask_and_template(tmp_path, name):
    text = USER_SUBTASK.replace('"Draw exactly {{ n }}', '"' + HOSTILE[name].replace('"', "'") + ' Draw exactly {{ n }}')
    folder = write_taxonomy(tmp_path / "taxonomy", {"user.yaml": text})
    started = time.monotonic()
    with pytest.raises(TaxonomyError) as err:
        validate_taxonomy(load_taxonomy(folder))
    assert time.monotonic() - started < 5
    message = str(err.value)
    assert str(folder / "user.yaml") in message and "'animal_counting'" in message and "'ac_b'" in message, message
