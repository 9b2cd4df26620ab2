from django.urls import path

from agora.backoffice import home_blocks
from agora.backoffice.views import (
    components,
    dashboard,
    log,
    members,
    organization,
    people,
    phases,
    preview,
    spaces,
    styleguide,
    taxonomy,
)
from agora.spaces.models import Space

app_name = "backoffice"

SPACE = "spaces/<int:space_id>/"

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("styleguide/", styleguide.styleguide, name="styleguide"),
    # Organization
    path("organization/", organization.organization_settings, name="organization"),
    path("organization/terms/", organization.terms, name="terms"),
    path("organization/terms/new/", organization.terms_new, name="terms_new"),
    path("organization/accessibility/", organization.accessibility_statement, name="accessibility_statement"),
    *home_blocks.urls(),
    # Spaces
    path("spaces/", spaces.space_list, name="spaces"),
    path("spaces/new/process/", spaces.space_create, {"kind": Space.Kind.PROCESS}, name="process_create"),
    path("spaces/new/assembly/", spaces.space_create, {"kind": Space.Kind.ASSEMBLY}, name="assembly_create"),
    path(SPACE, spaces.space_detail, name="space"),
    path(SPACE + "edit/", spaces.space_edit, name="space_edit"),
    path(SPACE + "publish/", spaces.space_publish, name="space_publish"),
    path(SPACE + "unpublish/", spaces.space_unpublish, name="space_unpublish"),
    path(SPACE + "delete/", spaces.space_delete, name="space_delete"),
    path(SPACE + "copy/", spaces.space_copy, name="space_copy"),
    path("groups/", spaces.group_list, name="groups"),
    path("groups/new/", spaces.group_form, name="group_create"),
    path("groups/<int:group_id>/edit/", spaces.group_form, name="group_edit"),
    path("groups/<int:group_id>/delete/", spaces.group_delete, name="group_delete"),
    # Phases of a process
    path(SPACE + "phases/", phases.phase_list, name="phases"),
    path(SPACE + "phases/new/", phases.phase_form, name="phase_create"),
    path(SPACE + "phases/<int:phase_id>/edit/", phases.phase_form, name="phase_edit"),
    path(SPACE + "phases/<int:phase_id>/move/", phases.phase_move, name="phase_move"),
    path(SPACE + "phases/<int:phase_id>/activate/", phases.phase_activate, name="phase_activate"),
    path(SPACE + "phases/<int:phase_id>/release/", phases.phase_release, name="phase_release"),
    path(SPACE + "phases/<int:phase_id>/delete/", phases.phase_delete, name="phase_delete"),
    # Members
    path(SPACE + "assembly-members/", members.assembly_members, name="assembly_members"),
    path(SPACE + "assembly-members/<int:member_id>/edit/", members.assembly_member_edit, name="assembly_member_edit"),
    path(
        SPACE + "assembly-members/<int:member_id>/remove/",
        members.assembly_member_remove,
        name="assembly_member_remove",
    ),
    path(SPACE + "members/", members.space_members, name="space_members"),
    path(SPACE + "members/<int:member_id>/remove/", members.space_member_remove, name="space_member_remove"),
    # Components (their content is managed by each component's own admin URLs)
    path(SPACE + "components/", components.component_list, name="components"),
    path(SPACE + "components/new/", components.component_add, name="component_add"),
    path(
        SPACE + "components/<int:component_id>/configure/", components.component_configure, name="component_configure"
    ),
    path(SPACE + "components/<int:component_id>/publish/", components.component_publish, name="component_publish"),
    path(
        SPACE + "components/<int:component_id>/unpublish/", components.component_unpublish, name="component_unpublish"
    ),
    path(SPACE + "components/<int:component_id>/delete/", components.component_delete, name="component_delete"),
    path(
        SPACE + "components/<int:component_id>/export/<slug:export_format>/",
        components.component_export,
        name="component_export",
    ),
    # Categories and scopes
    path("categories/", taxonomy.category_list, name="categories"),
    path("categories/new/", taxonomy.category_form, name="category_create"),
    path("categories/<int:category_id>/edit/", taxonomy.category_form, name="category_edit"),
    path("categories/<int:category_id>/delete/", taxonomy.category_delete, name="category_delete"),
    path("scope-types/", taxonomy.scope_type_list, name="scope_types"),
    path("scope-types/new/", taxonomy.scope_type_form, name="scope_type_create"),
    path("scope-types/<int:scope_type_id>/edit/", taxonomy.scope_type_form, name="scope_type_edit"),
    path("scope-types/<int:scope_type_id>/delete/", taxonomy.scope_type_delete, name="scope_type_delete"),
    path("scopes/", taxonomy.scope_list, name="scopes"),
    path("scopes/new/", taxonomy.scope_form, name="scope_create"),
    path("scopes/import/", taxonomy.scope_import, name="scope_import"),
    path("scopes/<int:scope_id>/edit/", taxonomy.scope_form, name="scope_edit"),
    path("scopes/<int:scope_id>/delete/", taxonomy.scope_delete, name="scope_delete"),
    # People
    path("participants/", people.participant_list, name="participants"),
    path("invitations/", people.invitations, name="invitations"),
    path("roles/", people.roles, name="roles"),
    path("roles/<int:role_id>/revoke/", people.role_revoke, name="role_revoke"),
    path("roles/people/<int:user_id>/second-factor/reset/", people.second_factor_reset, name="second_factor_reset"),
    # Admin action log
    path("log/", log.action_log, name="log"),
    # The preview of the text fields written in Markdown
    path("preview/markdown/", preview.markdown_preview, name="markdown_preview"),
]
