from django import template

from kieumau.assessments.selectors import stored_outcome

register = template.Library()


@register.filter
def outcome(assessment) -> str:
    """`{{ a|outcome }}`: the stored outcome of an assessment in the language of the request."""
    return stored_outcome(assessment)
