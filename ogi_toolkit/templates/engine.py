"""Jinja2 rendering of subtask templates, and the check that binds a subtask to its builder.

One shared environment (StrictUndefined: a missing slot is an error, never an empty string)
carries the grammar helpers as filters and globals. Taxonomy files are shared between labs
like code but read like data, so templates render in Jinja's immutable sandbox: no attribute
that starts with ``_``, no method that changes the builder's data, ranges and products capped
(``{{ ''.__class__.__mro__ }}`` is refused when the template is compiled, and whatever the
load-time checks cannot see is refused by the sandbox when it renders). Each template text is
compiled once and cached; :func:`compile_subtask` checks at load time that the builder is
registered, that the subtask's params are ones it declares, that templates only use the
variables it declares, and that no constant expression fails (``{{ 1 // 0 }}``).

Rendering itself is bounded, so a hostile template ends in an error naming it instead of a
hang or gigabytes: each render has a budget of loop iterations and calls
(:data:`MAX_OPERATIONS`), of characters written (:data:`MAX_OUTPUT`) and of seconds
(:data:`MAX_RENDER_SECONDS`, which also bounds every render of the load-time checks); ranges,
format widths (``'%100000000d'``, ``'{:100000000}'``, ``center(100000000)``), the size of
integers (``((9 ** 64) ** 64) ** 64``) and of every value a filter, call or namespace makes are
capped before the work is done.
"""
from __future__ import annotations

import functools
import hashlib
import operator
import re
import string
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path

import jinja2
import jinja2.meta
from jinja2 import nodes
from jinja2.filters import FILTERS as JINJA_FILTERS
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError
from jinja2.utils import Namespace

from ..definition.taxonomy import Subtask, TaxonomyError
from ..disk_cache import cached
from .builders.base import Builder, get_builder
from .grammar import FILTERS, normalise

__all__ = ["ENV", "CompiledSubtask", "compile_subtask", "compile_text", "template_variables", "render", "render_text",
           "check_params", "render_budget"]

# A product (string or list repetition, or a number) larger than this is refused when rendered.
MAX_PRODUCT = 100_000
# ``a ** b`` with an exponent larger than this is refused (9 ** 9 ** 9 would never finish).
MAX_EXPONENT = 64
# Integers of more bits are refused before they are made (chained powers and products).
MAX_INT_BITS = 1024
# Characters one render may write (an instruction is a few hundred), and the largest string a
# filter, call or namespace may make.
MAX_OUTPUT = 20_000
# Loop iterations plus calls one render may make, and its seconds (also at load).
MAX_OPERATIONS = 20_000
MAX_RENDER_SECONDS = 1.0
# ``range()`` length, and the widths a template may ask of ``%``, ``str.format`` and filters.
MAX_RANGE = 10_000
MAX_WIDTH = 1_000
# Jinja filters whose integer arguments are widths or counts of what they make.
WIDTH_FILTERS = frozenset({"center", "indent", "wordwrap", "truncate", "batch", "slice"})
LOOP_FILTER = "ogi_counted_loop"  # put around every ``for`` loop's iterable when a template compiles


@dataclass
class _Budget:
    operations: int
    characters: int
    deadline: float


_BUDGET: ContextVar[_Budget | None] = ContextVar("template_budget", default=None)


@contextmanager
def render_budget() -> Iterator[None]:
    """A fresh budget of operations, characters and seconds for the renders in the block."""
    # characters written by every `{{ }}`, also inside macros and set blocks whose text is then
    # written again: a few times what one render may put out
    token = _BUDGET.set(_Budget(MAX_OPERATIONS, 5 * MAX_OUTPUT, time.monotonic() + MAX_RENDER_SECONDS))
    try:
        yield
    finally:
        _BUDGET.reset(token)


def _spend(operations: int = 1, characters: int = 0) -> None:
    budget = _BUDGET.get()
    if budget is None:  # outside a render (Jinja folding constants while compiling): sizes still capped
        return
    budget.operations -= operations
    budget.characters -= characters
    if budget.operations < 0:
        raise SecurityError(f"the template makes more than {MAX_OPERATIONS:,} loop iterations and calls "
                            "(the limit per render)")
    if budget.characters < 0:
        raise SecurityError(f"the template writes more than {5 * MAX_OUTPUT:,} characters in all its expressions "
                            "(the limit per render)")
    if time.monotonic() > budget.deadline:
        raise SecurityError(f"the template takes more than {MAX_RENDER_SECONDS:g} s to render (the limit per render)")


def _check_size(value, what: str = "a value") -> None:
    """Refuse a string, collection or integer too large for a template to have made."""
    if isinstance(value, str):
        if len(value) > MAX_OUTPUT:
            raise SecurityError(f"{what} of {len(value):,} characters; the template limit is {MAX_OUTPUT:,}")
    elif isinstance(value, (list, tuple, dict, set, frozenset)):
        if len(value) > MAX_PRODUCT:
            raise SecurityError(f"{what} of {len(value):,} items; the template limit is {MAX_PRODUCT:,}")
    elif isinstance(value, int) and value.bit_length() > MAX_INT_BITS:
        raise SecurityError(f"an integer of {value.bit_length():,} bits; the template limit is {MAX_INT_BITS:,}")


def _check_width(number: int | str, what: str) -> None:
    if number == "*" or int(number) > MAX_WIDTH:
        raise SecurityError(f"{what} asks for a width or precision of {number}; the template limit is {MAX_WIDTH:,}")


_PERCENT_SPEC = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?")


def _check_percent_format(text: str) -> None:
    for match in _PERCENT_SPEC.finditer(text):
        for number in match.groups():
            if number is not None:
                _check_width(number, "'%' formatting")


def _check_str_format(text: str) -> None:
    for _, _, spec, _ in string.Formatter().parse(text):
        if spec and "{" in spec:
            raise SecurityError("str.format with a width taken from an argument is not allowed in a template")
        for number in re.findall(r"\d+", spec or ""):
            _check_width(number, "str.format")


def _bounded_filter(name: str, func):
    """A Jinja filter that counts against the render's budget, refuses widths over the limit
    before it runs, and refuses a result too large."""
    skip = 1 + (getattr(func, "jinja_pass_arg", None) is not None)  # the context or environment, the value

    @functools.wraps(func)  # keeps jinja_pass_arg: Jinja passes what the filter asks for
    def bounded(*args, **kwargs):
        _spend()
        if name in WIDTH_FILTERS:
            for value in (*args[skip:], *kwargs.values()):
                if isinstance(value, int) and not isinstance(value, bool):
                    _check_width(value, f"the filter {name!r}")
        elif name == "format" and len(args) >= skip:
            _check_percent_format(str(args[skip - 1]))
        result = func(*args, **kwargs)
        _check_size(result, f"the filter {name!r} made a value")
        return result

    return bounded


def _counted_loop(iterable: Iterable) -> Iterator:
    for item in iterable:
        _spend()
        yield item


def _bounded_range(*args: int) -> range:
    numbers = range(*args)
    if len(numbers) > MAX_RANGE:
        raise SecurityError(f"range of {len(numbers):,} numbers; the template limit is {MAX_RANGE:,}")
    return numbers


class _BoundedNamespace(Namespace):
    """``namespace()`` whose attributes cannot grow past the size limits (``{% set ns.s = ns.s ~
    ns.s %}`` in a loop doubles a string each time)."""

    def __setitem__(self, name: str, value) -> None:
        _spend()
        _check_size(value, f"namespace attribute {name!r}")
        super().__setitem__(name, value)


def _written(value) -> str:
    """Jinja's ``finalize``: every ``{{ ... }}`` written counts its characters against the budget."""
    text = value if isinstance(value, str) else str(value)
    _spend(0, len(text))
    return text


class TemplateSandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, with operators, calls and filters bounded so a template cannot
    make a huge value or loop for ever (the sandbox leaves sizes to Python; a product of
    constants would even be computed while the template compiles)."""

    intercepted_binops = frozenset({"*", "**", "%"})

    def call_binop(self, context, op: str, left, right):
        if op == "**":
            if isinstance(right, (int, float)) and abs(right) > MAX_EXPONENT:
                raise SecurityError(f"exponent {right} is over the template limit of {MAX_EXPONENT}")
            if isinstance(left, int) and isinstance(right, int) and left.bit_length() * abs(right) > MAX_INT_BITS:
                raise SecurityError(f"a power of about {left.bit_length() * abs(right):,} bits; "
                                    f"the template limit is {MAX_INT_BITS:,}")
            return operator.pow(left, right)
        if op == "%":
            if isinstance(left, str):
                _check_percent_format(left)
            result = operator.mod(left, right)
            _check_size(result, "'%' formatting made a value")
            return result
        for seq, times in ((left, right), (right, left)):
            if isinstance(seq, (str, list, tuple)) and isinstance(times, int) and len(seq) * times > MAX_PRODUCT:
                raise SecurityError(f"repetition makes {len(seq) * times:,} items; the template limit is {MAX_PRODUCT:,}")
        if isinstance(left, int) and isinstance(right, int) and left.bit_length() + right.bit_length() > MAX_INT_BITS:
            raise SecurityError(f"a product of about {left.bit_length() + right.bit_length():,} bits; "
                                f"the template limit is {MAX_INT_BITS:,}")
        return operator.mul(left, right)

    def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805 (Jinja's own signature)
        """A call from a template (a method, a macro, a global): counted, its arguments and
        result size-checked, ``str.format`` widths checked before it formats."""
        _spend()
        method = getattr(__obj, "__wrapped__", __obj)  # the sandbox wraps str.format
        if getattr(method, "__name__", None) in ("format", "format_map") and isinstance(
                getattr(method, "__self__", None), str):
            _check_str_format(method.__self__)
        for value in (*args, *kwargs.values()):
            _check_size(value, "an argument")
        result = super().call(__context, __obj, *args, **kwargs)
        _check_size(result, "a call made a value")
        return result


ENV = TemplateSandbox(undefined=jinja2.StrictUndefined, autoescape=False, keep_trailing_newline=False,
                      finalize=_written)
ENV.filters.update({name: _bounded_filter(name, func) for name, func in JINJA_FILTERS.items()})
ENV.filters[LOOP_FILTER] = _counted_loop
ENV.filters.update(FILTERS)
ENV.globals.pop("lipsum")  # lorem ipsum of any length: nothing an instruction needs
ENV.globals.update(range=_bounded_range, namespace=_BoundedNamespace)
ENV.globals.update(FILTERS)
# Always in a template's context, whatever the builder returns.
CONTEXT_NAMES = frozenset({"difficulty"})


def compile_text(text: str) -> jinja2.Template:
    """The compiled template for ``text`` (cached: each text compiles once per process)."""
    return _compiled_and_variables(text)[0]


def template_variables(text: str) -> frozenset[str]:
    """Variables a template reads from its context (filters and globals excluded)."""
    return _compiled_and_variables(text)[1]


@functools.lru_cache(maxsize=4096)
def _compiled_and_variables(text: str) -> tuple[jinja2.Template, frozenset[str]]:
    # The compiled code is kept on disk by the text (as Jinja's own bytecode cache does for
    # file templates): compiling ~400 templates is a second of every plan in a fresh process.
    # Filter names are part of the key: code compiled against other filters is not reused.
    # This module's code is part of the key: code compiled for another sandbox, or accepted by
    # other load-time checks, is not reused.
    key = (jinja2.__version__, _engine_version(), " ".join(sorted(ENV.filters)), text)
    code, variables = cached("jinja", key, lambda: _compile(text))
    return ENV.template_class.from_code(ENV, code, ENV.make_globals(None)), frozenset(variables)


@functools.cache
def _engine_version() -> str:
    return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()


def _compile(text: str) -> tuple:
    """(code object, variables the template reads): parsed once for both, and checked."""
    ast = ENV.parse(text)
    with render_budget():  # constants are folded here: bounded like a render
        _check_safe(ast)
    variables = sorted(jinja2.meta.find_undeclared_variables(ast) - set(ENV.globals))
    for loop in ast.find_all(nodes.For):  # every iteration counts against the render's budget
        loop.iter = nodes.Filter(loop.iter, LOOP_FILTER, [], [], None, None, lineno=loop.lineno)
    return ENV.compile(ast), variables


def _is_dunder(name: object) -> bool:
    return isinstance(name, str) and name.startswith("__")


def _check_safe(ast: nodes.Template) -> None:
    """Refuse, at load time, dunder attribute names (``x.__class__``, ``x['__class__']``,
    ``x|attr('__class__')``) and constant expressions that fail (``1 // 0``). The sandbox
    refuses the rest when rendering; this names the template before anything is drawn."""
    for node in ast.find_all((nodes.Getattr, nodes.Const)):
        name = node.attr if isinstance(node, nodes.Getattr) else node.value
        if _is_dunder(name):
            raise jinja2.TemplateSyntaxError(
                f"access to the dunder name {name!r} is not allowed in a template; "
                f"expected slot names and their fields only", node.lineno)
    eval_ctx = nodes.EvalContext(ENV)

    def fold(node: nodes.Expr):
        if isinstance(node, nodes.BinExpr) and node.operator in ENV.intercepted_binops:
            # not folded by Jinja in a sandbox: evaluated here, with the sandbox's limits
            return ENV.call_binop(None, node.operator, fold(node.left), fold(node.right))
        return node.as_const(eval_ctx)

    for node in ast.find_all((nodes.BinExpr, nodes.UnaryExpr, nodes.Filter)):
        try:
            fold(node)
        except nodes.Impossible as exc:
            cause = exc.__cause__
            if cause is not None and not isinstance(cause, nodes.Impossible):  # constants, and it failed
                raise jinja2.TemplateSyntaxError(
                    f"a constant expression fails: {type(cause).__name__}: {cause}", node.lineno) from None
        except Exception as exc:  # a bounded operator of constants that breaks a limit (or fails)
            raise jinja2.TemplateSyntaxError(
                f"a constant expression fails: {type(exc).__name__}: {exc}", node.lineno) from None


_GLOBALS: dict[jinja2.Template, dict] = {}


def render(template: jinja2.Template, context: dict) -> str:
    """Render and clean up. Same output as ``template.render``, 3x faster: ``render`` copies
    the environment's globals out of a ChainMap on every call; here they are copied once."""
    base = _GLOBALS.get(template)
    if base is None:
        base = _GLOBALS[template] = dict(template.globals)
    # What Template.new_context(shared=True) builds, minus its set() over the globals ChainMap.
    ctx = ENV.context_class(ENV, {**base, **context}, template.name, template.blocks, globals=base)
    with render_budget():
        parts, size = [], 0
        for part in template.root_render_func(ctx):
            size += len(part)
            if size > MAX_OUTPUT:  # static text in a loop is written without finalize
                raise SecurityError(f"the template writes more than {MAX_OUTPUT:,} characters (the limit per render)")
            parts.append(part)
    return normalise("".join(parts))


def render_text(text: str, **context) -> str:
    """Render a small template string with grammar filters; for builders' sub-instructions."""
    return render(compile_text(text), context)


@dataclass(frozen=True)
class CompiledSubtask:
    """A subtask ready to sample: its builder, and its compiled templates per grade."""

    subtask: Subtask
    builder: Builder
    # grade -> ((template id, compiled template), ...): the templates that can express the grade
    templates: dict[int, tuple[tuple[str, jinja2.Template], ...]]


def _declared_names(builder: Builder, params: dict) -> frozenset[str] | None:
    declared = getattr(builder, "slot_names", None)
    if callable(declared):  # builders whose slots depend on params (the generic ``slots`` builder)
        declared = declared(params)
    return None if declared is None else frozenset(declared) | CONTEXT_NAMES


def check_params(sub: Subtask, builder: Builder) -> None:
    """Every key of ``sub.params`` is one the builder declares (``register(..., params=)``)."""
    declared = tuple(getattr(builder, "declared_params", ()))
    unknown = sorted(set(sub.params) - set(declared))
    if unknown:
        expected = f"the params it reads: {', '.join(declared)}" if declared else "no params (it reads none)"
        raise TaxonomyError(f"{sub.file or '<taxonomy>'}: subtask {sub.id!r}: params: unknown key(s) {unknown} "
                            f"for builder {sub.builder!r}; expected {expected}")


def _template_error(exc: jinja2.TemplateError) -> str:
    """One line: Jinja's message (and line within the template), without its multi-line form."""
    message = getattr(exc, "message", None) or str(exc)
    line = getattr(exc, "lineno", None)
    hint = f"; filters: {', '.join(sorted(FILTERS))}" if "filter" in message else ""
    return f"{' '.join(message.split())}{f' (line {line} of its text)' if line else ''}{hint}"


def compile_subtask(sub: Subtask) -> CompiledSubtask:
    """Bind ``sub`` to its builder and compile its templates; errors name file, subtask and key."""
    where = f"{sub.file or '<taxonomy>'}: subtask {sub.id!r}"
    try:
        builder = get_builder(sub.builder)
    except KeyError as exc:
        raise TaxonomyError(f"{where}: builder: {exc}") from None
    check_params(sub, builder)
    try:
        declared = _declared_names(builder, sub.params)
    except (KeyError, TypeError, ValueError) as exc:
        raise TaxonomyError(f"{where}: params: {exc}") from None
    compiled: dict[str, jinja2.Template] = {}
    for t in sub.templates:
        try:
            compiled[t.id] = compile_text(t.text)
        except jinja2.TemplateError as exc:  # an unknown filter, a dunder name, a failing constant
            raise TaxonomyError(f"{where}: template {t.id!r}: {_template_error(exc)}") from None
        if declared is not None:
            unknown = sorted(template_variables(t.text) - declared)
            if unknown:
                raise TaxonomyError(
                    f"{where}: template {t.id!r} uses unknown slot(s) {unknown}; builder "
                    f"{sub.builder!r} fills: {', '.join(sorted(declared))}"
                )
    by_grade = {
        g: tuple((t.id, compiled[t.id]) for t in sub.templates if t.difficulty is None or g in t.difficulty)
        for g in sub.grades
    }
    return CompiledSubtask(sub, builder, by_grade)

