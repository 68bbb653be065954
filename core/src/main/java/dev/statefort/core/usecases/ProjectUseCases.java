package dev.statefort.core.usecases;

import dev.statefort.core.admin.SettingsAdministration;
import dev.statefort.core.audit.AuditService;
import dev.statefort.core.policy.SettingsService;
import dev.statefort.core.project.ProjectService;

/**
 * Projects, their settings and the audit log.
 *
 * @param projects create, find and list projects
 * @param settings a project's and a state's settings as the services read them
 * @param settingsAdmin a project's settings, as an actor reads and changes them
 * @param audit records events and reads the log
 */
public record ProjectUseCases(
        ProjectService projects, SettingsService settings, SettingsAdministration settingsAdmin, AuditService audit) {}
