from django import template

register = template.Library()


@register.filter
def post_signature(post, organization):
    """{{ post|post_signature:organization }}: the author's public name, or the organization's."""
    return post.signature(organization)
