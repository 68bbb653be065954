package dev.statefort.server.http.ui;

import dev.statefort.core.storage.StorageAdministration;
import java.util.List;

/** The models of the UI's access pages: tokens, aliases, members, the audit log and project settings. */
public final class AccessPages {
    private AccessPages() {}

    /** A choice in a {@code <select>}. */
    public record Option(String value, String label, boolean selected) {}

    /**
     * The tokens page: the user's own tokens, or (with {@code project}) a project's.
     *
     * @param project the project whose tokens are listed, or null for the user's own
     * @param adminProjects projects whose tokens the user may manage (links to their token pages)
     * @param canOwnProject whether the form offers project (robot) tokens: admin of some project
     */
    public record Tokens(
            String project,
            List<TokenRow> tokens,
            List<Option> projects,
            List<Option> permissions,
            List<String> adminProjects,
            boolean canOwnProject,
            String revokeBack) {}

    /** A token in a list: never its secret. */
    public record TokenRow(
            String id,
            String name,
            String scope,
            String permission,
            String owner,
            When created,
            When expires,
            When lastUsed,
            String status,
            boolean active,
            String revokeAction) {}

    /**
     * A credential just made, shown this once.
     *
     * @param secretLabel what {@code secret} is ("API token", "Password")
     * @param facts what else to know (label, value) pairs, e.g. the scope or the user name
     * @param backendBlock a backend block to paste, or null
     * @param environment the {@code export} lines with the secret, or null
     */
    public record Created(
            String heading,
            String secretLabel,
            String secret,
            List<String[]> facts,
            String backendBlock,
            String environment,
            String backHref,
            String backLabel) {}

    public record Aliases(String project, List<AliasRow> aliases, List<Option> permissions) {}

    public record AliasRow(
            String id,
            String state,
            String username,
            String permission,
            String address,
            String maker,
            When created,
            When expires,
            String status,
            boolean active,
            String rotateAction,
            String revokeAction) {}

    /** A project's trust policies (OIDC tokens of CI jobs) with the form for a new one; {@code issuers}: the configured ones. */
    public record TrustPolicies(
            String project, List<TrustPolicyRow> policies, List<String> issuers, List<Option> permissions) {}

    public record TrustPolicyRow(
            String name,
            String issuer,
            String claims,
            String permission,
            String states,
            String createdBy,
            When created,
            String deleteAction) {}

    public record Members(String project, List<MemberRow> members, List<Option> roles) {}

    public record MemberRow(
            String user, String role, When since, List<Option> roles, String action, String removeAction) {}

    /** The audit log: the filters as given, the events, and the link to older ones (null when none). */
    public record Audit(
            String project,
            String state,
            String principal,
            String action,
            String from,
            String to,
            List<AuditRow> events,
            String olderHref,
            boolean projectFixed) {}

    public record AuditRow(
            When at,
            String principal,
            String sourceIp,
            String action,
            String outcome,
            String state,
            Long version,
            String detail) {}

    /** A project's settings; {@code editable} for its admins, read-only for everyone else. */
    public record Settings(
            String project,
            boolean editable,
            int keepVersions,
            Integer keepDays,
            List<Option> guardModes,
            int guardRemovalPercent,
            int lockStaleMinutes,
            Integer lockAutoExpireMinutes,
            boolean sharedPlanLocks,
            int snapshotIntervalSeconds,
            String action,
            String storage,
            String movingTo) {}

    /** The storage profiles page (global admin). */
    public record Storage(List<StorageAdministration.ProfileStatus> profiles) {}
}
