"""Subject, text and HTML of a notice in the recipient's language.

Order of preference: the administrator's `MessageTemplate` for (slug, language), then for
(slug, "vi"); then files `notifications/<lang>/<slug>.*`, `notifications/<slug>.*`, and the
`default` files. Vietnamese is the source language; English files live under `en/`.

Templates see plain values only (issue 15): a superuser may edit a `MessageTemplate`, and a
Django template reaches any attribute of any object in its context, so `{{ message.recipient
.password }}` used to print the recipient's password hash into a mail. The context is now the
stored JSON values (strings, numbers, booleans, lists and dicts of them) plus MESSAGE_FIELDS,
a few named values of the outbox row; nothing else gets in. Administrators' templates are
also compiled by their own engine: no {% include %}/{% extends %} of other templates, no
{% debug %} dump.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.template import Context, Engine, Template, TemplateDoesNotExist, engines
from django.template.loader import select_template
from django.utils.functional import cached_property
from django.utils.translation import override

from .models import MessageTemplate


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


class _AdminTemplates:
    """The engine administrators' templates compile with: the project's tag libraries and
    builtins, no template loader (include/extends find nothing), no {% debug %}."""

    @cached_property
    def engine(self) -> Engine:
        project = engines["django"].engine
        engine = Engine(dirs=[], app_dirs=False, libraries=project.libraries, loaders=[])
        defaults = engine.template_builtins[0]
        stripped = type(defaults)()
        stripped.tags = {k: v for k, v in defaults.tags.items() if k != "debug"}
        stripped.filters = dict(defaults.filters)
        engine.template_builtins = [stripped, *engine.template_builtins[1:]]
        return engine


_ADMIN = _AdminTemplates()

# Values of the outbox row a template may name, as `{{ message.<field> }}`.
MESSAGE_FIELDS = ("pk", "template", "created_at", "read_at")


def _plain(value, depth: int = 0):
    """A JSON-like copy of `value`, or None for anything that is an object with attributes."""
    if value is None or isinstance(value, bool | int | float | str | date | datetime):
        return value
    if depth < 4 and isinstance(value, list | tuple):
        return [_plain(v, depth + 1) for v in value]
    if depth < 4 and isinstance(value, dict):
        return {str(k): _plain(v, depth + 1) for k, v in value.items() if isinstance(k, str)}
    return None


def _message_fields(message) -> dict:
    fields = {name: _plain(getattr(message, name, None)) for name in MESSAGE_FIELDS}
    recipient = getattr(message, "recipient", None)
    if recipient is not None:
        fields["recipient"] = {
            "name": recipient.get_full_name() or recipient.get_username(),
            "first_name": recipient.first_name,
            "last_name": recipient.last_name,
        }
    return fields


def safe_context(context: dict) -> dict:
    """What a notice template may see: plain values, and the row's MESSAGE_FIELDS."""
    safe = {key: _plain(value) for key, value in context.items() if key != "message"}
    if context.get("message") is not None:
        safe["message"] = _message_fields(context["message"])
    return safe


def _file_names(slug: str, language: str, suffix: str) -> list[str]:
    return [
        f"notifications/{language}/{slug}.{suffix}",
        f"notifications/{slug}.{suffix}",
        f"notifications/{language}/default.{suffix}",
        f"notifications/default.{suffix}",
    ]


def _render_file(names: list[str], context: dict, *, escape: bool) -> str:
    # Plain-text parts must not HTML-escape a title such as "Tổ Toán & Tin".
    return select_template(names).template.render(Context(context, autoescape=escape))


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _absolute_links(context: dict) -> dict:
    """Links in e-mails must be absolute: `url` and every `…_url` (e.g. decision_url)."""
    return {
        **context,
        **{
            key: settings.SITE_URL + value
            for key, value in context.items()
            if (key == "url" or key.endswith("_url"))
            and isinstance(value, str)
            and value.startswith("/")
        },
    }


def stored_templates(slugs: Iterable[str]) -> dict[str, dict[str, MessageTemplate]]:
    """The administrator's templates for `slugs`, by slug then language (one query)."""
    found: dict[str, dict[str, MessageTemplate]] = {}
    for template in MessageTemplate.objects.filter(slug__in=set(slugs)):
        found.setdefault(template.slug, {})[template.language] = template
    return found


def _chosen(slug: str, language: str, stored: dict | None) -> MessageTemplate | None:
    by_language = (stored if stored is not None else stored_templates([slug])).get(slug, {})
    return by_language.get(language) or by_language.get("vi")


def render_parts(slug: str, context: dict, *, language: str = "vi") -> Rendered:
    """Render one notice (`context` as stored on the outbox row) for `language`."""
    context = _absolute_links(safe_context(context))
    chosen = _chosen(slug, language, None)
    with override(language):
        if chosen is not None:
            ctx = Context(context, autoescape=False)
            subject = Template(chosen.subject, engine=_ADMIN.engine).render(ctx)
            text = Template(chosen.body_text, engine=_ADMIN.engine).render(ctx)
            html = (
                Template(chosen.body_html, engine=_ADMIN.engine).render(Context(context))
                if chosen.body_html
                else ""
            )
            return Rendered(_one_line(subject), text, html)
        subject = _render_file(_file_names(slug, language, "subject.txt"), context, escape=False)
        text = _render_file(_file_names(slug, language, "txt"), context, escape=False)
        try:
            html = _render_file(_file_names(slug, language, "html"), context, escape=True)
        except TemplateDoesNotExist:
            html = ""
    return Rendered(_one_line(subject), text, html)


def render_subject(
    slug: str, context: dict, *, language: str = "vi", stored: dict | None = None
) -> str:
    """Only the subject line of a notice, as the notice list shows it: no body rendered,
    and with `stored` (from `stored_templates`, read once per page) no query."""
    context = _absolute_links(safe_context(context))
    chosen = _chosen(slug, language, stored)
    with override(language):
        if chosen is not None:
            ctx = Context(context, autoescape=False)
            return _one_line(Template(chosen.subject, engine=_ADMIN.engine).render(ctx))
        names = _file_names(slug, language, "subject.txt")
        return _one_line(_render_file(names, context, escape=False))


def render(message, *, language: str = "vi") -> tuple[str, str]:
    """(subject, text) of an outbox row; kept for callers of the first version."""
    parts = render_parts(
        message.template, {"message": message, **message.context}, language=language
    )
    return parts.subject, parts.text
