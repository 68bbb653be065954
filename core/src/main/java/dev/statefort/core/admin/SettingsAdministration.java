package dev.statefort.core.admin;

import dev.statefort.core.audit.AuditAction;
import dev.statefort.core.audit.AuditService;
import dev.statefort.core.auth.Authorization;
import dev.statefort.core.auth.Principal;
import dev.statefort.core.model.Names;
import dev.statefort.core.model.Permission;
import dev.statefort.core.policy.ProjectSettings;
import dev.statefort.core.policy.SettingsService;
import dev.statefort.core.project.ProjectService;
import java.util.Map;

/** A project's settings (retention, guard, lock expiry): its readers see them, its admins change them. */
public final class SettingsAdministration {
    private final SettingsService settings;
    private final ProjectService projects;
    private final AuditService audit;

    public SettingsAdministration(SettingsService settings, ProjectService projects, AuditService audit) {
        this.settings = settings;
        this.projects = projects;
        this.audit = audit;
    }

    public ProjectSettings settings(Principal actor, String project) {
        Names.require("project", project);
        Authorization.require(actor, project, Permission.READ);
        projects.require(project);
        return settings.project(project);
    }

    /** The patch's keys replace those settings, the others stay; validated, audited as {@code project.settings}. */
    public ProjectSettings patch(Principal actor, String project, String patchJson) {
        Names.require("project", project);
        Authorization.require(actor, project, Permission.ADMIN);
        projects.require(project);
        ProjectSettings saved = settings.patchProject(project, patchJson);
        audit.record(actor, AuditAction.PROJECT_SETTINGS, project, null, Map.of("settings", saved));
        return saved;
    }
}
