"""`{% may_package user dossier as ok %}`: whether the dossier page offers the e-dossier
package (the same rule as the download: interchange.services.may_package)."""

from django import template

from interchange.services import may_package as rule

register = template.Library()


@register.simple_tag
def may_package(user, dossier) -> bool:
    return rule(user, dossier)
