package dev.statefort.server.http.ui;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.statefort.core.InvalidInputException;
import dev.statefort.core.admin.MemberAdministration;
import dev.statefort.core.admin.SettingsAdministration;
import dev.statefort.core.audit.AuditService;
import dev.statefort.core.auth.Principal;
import dev.statefort.core.model.AuditEvent;
import dev.statefort.core.model.AuditQuery;
import dev.statefort.core.model.Names;
import dev.statefort.core.model.Permission;
import dev.statefort.core.model.ProjectRecord;
import dev.statefort.core.model.Role;
import dev.statefort.core.policy.GuardMode;
import dev.statefort.core.policy.ProjectSettings;
import dev.statefort.core.project.ProjectService;
import dev.statefort.core.storage.StorageAdministration;
import dev.statefort.core.usecases.ProjectUseCases;
import dev.statefort.server.http.Exchange;
import dev.statefort.server.http.ui.AccessPages.Option;
import dev.statefort.server.http.ui.Chrome.Crumb;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The UI's project members, project settings, audit log and the global admin's new project form.
 * The rules and audit events are core's use cases', the same as the REST API's and the CLI's.
 */
public final class UiProjectAdminPages {
    public static final int AUDIT_PAGE = 50;

    private final ProjectService projects;
    private final MemberAdministration members;
    private final SettingsAdministration settings;
    private final AuditService audit;
    private final StorageAdministration storage;
    private final Clock clock;
    private final ObjectMapper json;
    private final UiView ui;

    public UiProjectAdminPages(
            ProjectUseCases projects,
            MemberAdministration members,
            StorageAdministration storage,
            Clock clock,
            ObjectMapper json,
            UiView ui) {
        this.projects = projects.projects();
        this.settings = projects.settingsAdmin();
        this.audit = projects.audit();
        this.members = members;
        this.storage = storage;
        this.clock = clock;
        this.json = json;
        this.ui = ui;
    }

    // ---- projects -----------------------------------------------------------------------------------------------

    /** POST /ui/projects: a global admin's new project, then its (empty) page with the Connect panel. */
    void createProject(Exchange ex, Principal principal) throws IOException {
        String name = Names.require(
                "project",
                java.util.Objects.requireNonNullElse(ex.formField("name"), "").trim());
        String storage = ex.formField("storage");
        projects.create(principal, name, storage == null || storage.isBlank() ? null : storage.trim());
        ex.redirect(UiPages.projectHref(name) + "?done=project-created");
    }

    /** GET /ui/storage: the storage profiles, their health and number of projects (global admin). */
    void storage(Exchange ex, Chrome chrome, Principal principal) throws IOException {
        ui.send(
                ex,
                200,
                "storage.jte",
                chrome.page("Storage", List.of(new Crumb("Storage", "/ui/storage"))),
                new AccessPages.Storage(storage.list(principal)));
    }

    // ---- members ------------------------------------------------------------------------------------------------

    void members(Exchange ex, Chrome chrome, Principal principal, String project) throws IOException {
        Instant now = clock.instant();
        String href = UiPages.projectHref(project) + "/members";
        var rows = members.members(principal, project).stream()
                .map(m -> new AccessPages.MemberRow(
                        m.user(),
                        m.role().wireName(),
                        When.of(m.since(), now),
                        roles(m.role()),
                        href,
                        href + "/" + m.user() + "/remove"))
                .toList();
        ui.send(
                ex,
                200,
                "members.jte",
                chrome.page(
                        "Members · " + project,
                        List.of(new Crumb(project, UiPages.projectHref(project)), new Crumb("Members", href))),
                new AccessPages.Members(project, rows, roles(Role.VIEWER)));
    }

    /** POST /ui/projects/{p}/members: adds a member or changes their role. */
    void putMember(Exchange ex, Principal principal, String project) throws IOException {
        String user =
                java.util.Objects.requireNonNullElse(ex.formField("user"), "").trim();
        Role role = Role.parse(java.util.Objects.requireNonNullElse(ex.formField("role"), ""));
        members.put(principal, project, user, role);
        ex.redirect(UiPages.projectHref(project) + "/members?done=member-saved");
    }

    /** POST /ui/projects/{p}/members/{user}/remove: after the confirmation in the list. */
    void removeMember(Exchange ex, Principal principal, String project, String user) throws IOException {
        members.remove(principal, project, user);
        ex.redirect(UiPages.projectHref(project) + "/members?done=member-removed");
    }

    private static List<Option> roles(Role selected) {
        return Arrays.stream(Role.values())
                .map(r -> new Option(r.wireName(), r.wireName(), r == selected))
                .toList();
    }

    // ---- settings -----------------------------------------------------------------------------------------------

    void settings(Exchange ex, Chrome chrome, Principal principal, String project) throws IOException {
        ProjectSettings s = settings.settings(principal, project);
        String href = UiPages.projectHref(project) + "/settings";
        var modes = Arrays.stream(GuardMode.values())
                .map(m -> new Option(m.wireName(), m.wireName(), m == s.guard()))
                .toList();
        java.util.Optional<ProjectRecord> record = projects.find(project);
        ui.send(
                ex,
                200,
                "settings.jte",
                chrome.page(
                        "Settings · " + project,
                        List.of(new Crumb(project, UiPages.projectHref(project)), new Crumb("Settings", href))),
                new AccessPages.Settings(
                        project,
                        principal.allows(project, Permission.ADMIN),
                        s.keepVersions(),
                        s.keepDays(),
                        modes,
                        s.guardRemovalPercent(),
                        s.lockStaleMinutes(),
                        s.lockAutoExpireMinutes(),
                        s.sharesPlanLocks(),
                        s.snapshotInterval(),
                        href,
                        record.map(ProjectRecord::storage).orElse(""),
                        record.map(ProjectRecord::movingTo).orElse(null)));
    }

    /** POST /ui/projects/{p}/settings: the form as the REST PATCH's JSON, through the same path. */
    void saveSettings(Exchange ex, Principal principal, String project) throws IOException {
        ObjectNode patch = json.createObjectNode();
        patch.put("keepVersions", number(ex, "keepVersions", false));
        patch.put("keepDays", number(ex, "keepDays", true));
        patch.put("guard", java.util.Objects.requireNonNullElse(ex.formField("guard"), ""));
        patch.put("guardRemovalPercent", number(ex, "guardRemovalPercent", false));
        patch.put("lockStaleMinutes", number(ex, "lockStaleMinutes", false));
        patch.put("lockAutoExpireMinutes", number(ex, "lockAutoExpireMinutes", true));
        patch.put("sharedPlanLocks", "on".equals(ex.formField("sharedPlanLocks")));
        patch.put("snapshotIntervalSeconds", number(ex, "snapshotIntervalSeconds", true));
        settings.patch(principal, project, patch.toString());
        ex.redirect(UiPages.projectHref(project) + "/settings?done=settings-saved");
    }

    private static Integer number(Exchange ex, String field, boolean optional) throws IOException {
        String v = UiCredentialPages.blankToNull(ex.formField(field));
        if (v == null) {
            if (optional) {
                return null;
            }
            throw new InvalidInputException(field + " is required");
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new InvalidInputException(field + " must be a whole number");
        }
    }

    // ---- audit --------------------------------------------------------------------------------------------------

    /** GET /ui/audit: everything for a global admin, {@code ?project=} for that project's admins; newest first. */
    void audit(Exchange ex, Chrome chrome, Principal principal) throws IOException {
        Map<String, String> filters = new LinkedHashMap<>();
        for (String f : List.of("project", "state", "principal", "action", "from", "to")) {
            String v = UiCredentialPages.blankToNull(ex.query(f));
            if (v != null) {
                filters.put(f, v);
            }
        }
        String project = filters.get("project");
        if (project == null && !principal.isGlobalAdmin()) {
            // a project admin's way in is the link on the project page; say so rather than a bare 403
            throw new dev.statefort.core.auth.AccessDeniedException(
                    "the audit log of all projects needs a global admin; open it from a project you administer");
        }
        AuditQuery query = new AuditQuery(
                project,
                filters.get("state"),
                filters.get("principal"),
                filters.get("action"),
                instant(filters.get("from"), "from"),
                instant(filters.get("to"), "to"),
                AUDIT_PAGE + 1,
                UiCredentialPages.blankToNull(ex.query("before")));
        List<AuditEvent> events = audit.read(principal, query);
        Instant now = clock.instant();
        var rows = events.stream()
                .limit(AUDIT_PAGE)
                .map(e -> new AccessPages.AuditRow(
                        When.of(e.at(), now),
                        e.principal(),
                        e.sourceIp(),
                        e.action(),
                        e.outcome(),
                        e.state(),
                        e.version(),
                        e.detail() == null || e.detail().equals("{}") ? null : e.detail()))
                .toList();
        String older = null;
        if (events.size() > AUDIT_PAGE) {
            Map<String, String> next = new LinkedHashMap<>(filters);
            next.put("before", events.get(AUDIT_PAGE - 1).id());
            older = "/ui/audit?"
                    + next.entrySet().stream()
                            .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                            .collect(Collectors.joining("&"));
        }
        List<Crumb> crumbs = project == null
                ? List.of(new Crumb("Audit log", "/ui/audit"))
                : List.of(
                        new Crumb(project, UiPages.projectHref(project)),
                        new Crumb("Audit log", "/ui/audit?project=" + project));
        ui.send(
                ex,
                200,
                "audit.jte",
                chrome.page(project == null ? "Audit log" : "Audit log · " + project, crumbs),
                new AccessPages.Audit(
                        project == null ? "" : project,
                        filters.getOrDefault("state", ""),
                        filters.getOrDefault("principal", ""),
                        filters.getOrDefault("action", ""),
                        filters.getOrDefault("from", ""),
                        filters.getOrDefault("to", ""),
                        rows,
                        older,
                        !principal.isGlobalAdmin()));
    }

    /** An ISO instant, or the browser's {@code datetime-local} value ({@code 2026-12-01T10:00}) read as UTC. */
    private static Instant instant(String value, String field) {
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            try {
                return LocalDateTime.parse(value).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e2) {
                throw new InvalidInputException(field + " must be a UTC time such as 2026-12-01T10:00");
            }
        }
    }
}
