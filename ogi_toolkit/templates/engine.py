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
"""
from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass
from pathlib import Path

import operator

import jinja2
import jinja2.meta
from jinja2 import nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment

from ..definition.taxonomy import Subtask, TaxonomyError
from ..disk_cache import cached
from .builders.base import Builder, get_builder
from .grammar import FILTERS, normalise

__all__ = ["ENV", "CompiledSubtask", "compile_subtask", "compile_text", "template_variables", "render", "render_text",
           "check_params"]

# A product (string or list repetition, or a number) larger than this is refused when rendered.
MAX_PRODUCT = 100_000
# ``a ** b`` with an exponent larger than this is refused (9 ** 9 ** 9 would never finish).
MAX_EXPONENT = 64


class TemplateSandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, with ``*`` and ``**`` bounded so a template cannot make a huge
    value (the sandbox leaves them to Python; a product of constants would even be computed
    while the template compiles)."""

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context, op: str, left, right):
        if op == "**":
            if isinstance(right, (int, float)) and abs(right) > MAX_EXPONENT:
                raise jinja2.sandbox.SecurityError(f"exponent {right} is over the template limit of {MAX_EXPONENT}")
            return operator.pow(left, right)
        for seq, times in ((left, right), (right, left)):
            if isinstance(seq, (str, list, tuple)) and isinstance(times, int) and len(seq) * times > MAX_PRODUCT:
                raise jinja2.sandbox.SecurityError(f"repetition makes {len(seq) * times:,} items; the template limit is {MAX_PRODUCT:,}")
        return operator.mul(left, right)


ENV = TemplateSandbox(undefined=jinja2.StrictUndefined, autoescape=False, keep_trailing_newline=False)
ENV.filters.update(FILTERS)
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
    _check_safe(ast)
    variables = sorted(jinja2.meta.find_undeclared_variables(ast) - set(ENV.globals))
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

    for node in ast.find_all((nodes.BinExpr, nodes.UnaryExpr)):
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
    return normalise("".join(template.root_render_func(ctx)))


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

