"""Subject, text and HTML of a notice in the recipient's language.

Order of preference: the administrator's `MessageTemplate` for (slug, language), then for
(slug, "vi"); then files `notifications/<lang>/<slug>.*`, `notifications/<slug>.*`, and the
`default` files. Vietnamese is the source language; English files live under `en/`.
"""

from dataclasses import dataclass

from django.conf import settings
from django.template import Context, Template, TemplateDoesNotExist
from django.template.loader import select_template
from django.utils.translation import override

from .models import MessageTemplate


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


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


def render_parts(slug: str, context: dict, *, language: str = "vi") -> Rendered:
    """Render one notice (`context` as stored on the outbox row) for `language`."""
    if context.get("url", "").startswith("/"):  # links in e-mails must be absolute
        context = {**context, "url": settings.SITE_URL + context["url"]}
    stored = {t.language: t for t in MessageTemplate.objects.filter(slug=slug)}
    chosen = stored.get(language) or stored.get("vi")
    with override(language):
        if chosen is not None:
            ctx = Context(context, autoescape=False)
            subject = Template(chosen.subject).render(ctx)
            text = Template(chosen.body_text).render(ctx)
            html = Template(chosen.body_html).render(Context(context)) if chosen.body_html else ""
            return Rendered(_one_line(subject), text, html)
        subject = _render_file(_file_names(slug, language, "subject.txt"), context, escape=False)
        text = _render_file(_file_names(slug, language, "txt"), context, escape=False)
        try:
            html = _render_file(_file_names(slug, language, "html"), context, escape=True)
        except TemplateDoesNotExist:
            html = ""
    return Rendered(_one_line(subject), text, html)


def render(message, *, language: str = "vi") -> tuple[str, str]:
    """(subject, text) of an outbox row; kept for callers of the first version."""
    parts = render_parts(
        message.template, {"message": message, **message.context}, language=language
    )
    return parts.subject, parts.text
