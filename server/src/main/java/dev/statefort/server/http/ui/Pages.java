package dev.statefort.server.http.ui;

import java.util.List;

/** The models of the UI's pages, one record per template, holding only what the template shows. */
public final class Pages {
    private Pages() {}

    public record Login(String username, String error, String next) {}

    public record Password(String error) {}

    public record Error(int status, String reason, String message) {}

    public record Projects(List<ProjectRow> projects) {}

    public record ProjectRow(String name, String href, int states, int locked, When lastActivity) {}

    /** A project's states, filtered by {@code q} and sorted by {@code sort}. */
    /**
     * What makes a page part follow the live event stream (htmx's SSE extension): the events that
     * change a lock badge or the last-write line; on one, the part is fetched again.
     */
    public static final String LIVE_TRIGGER = "sse:lock.acquired, sse:lock.released, sse:lock.force-released,"
            + " sse:lock.stale, sse:lock.expired, sse:state.written, sse:state.deleted, sse:version.restored,"
            + " sse:session.reverted, sse:freeze.set, sse:freeze.lifted";

    public record Project(
            String name,
            String q,
            String sort,
            List<SortLink> sorts,
            List<StateRow> states,
            int total,
            Connect connect,
            boolean admin,
            Upload upload) {
        public boolean empty() {
            return total == 0;
        }
    }

    public record SortLink(String label, String key, String href, boolean active) {}

    /** A state in its project's list; {@code planLocks}: how many shared plan locks are held. */
    public record StateRow(
            String name,
            String href,
            LockBadge lock,
            int planLocks,
            When written,
            String writer,
            String size,
            Integer resources) {}

    /** A held lock in a table cell. */
    public record LockBadge(String holder, String operation, When since, boolean stale) {}

    /**
     * How to point Terraform at a state of the project.
     *
     * @param canMint whether the user may create a write token for the state here (the panel's form)
     */
    public record Connect(String stateName, String address, String backendBlock, String environment, boolean canMint) {}

    /**
     * The "Upload a state file" form: {@code state} null asks for the name (a new state, on the
     * project page), else the upload is a new version of that state.
     */
    public record Upload(String action, String checkAction, String state) {}

    /** What an upload would do, shown before it is confirmed (the guard's warning first). */
    public record UploadCheck(
            String state,
            String size,
            boolean readable,
            Long serial,
            String lineage,
            Integer resourceCount,
            Long currentVersion,
            Long currentSerial,
            String warning,
            String guard,
            boolean quarantined) {}

    /** A state's page; {@code tags} are its workspace tags (a TFE client's), sorted. */
    public record State(
            String project,
            String name,
            List<String> tags,
            String href,
            Summary summary,
            List<LockPanel> locks,
            boolean canForceUnlock,
            String unlockAction,
            FreezePanel freeze,
            String freezeAction,
            Resources resources,
            List<OutputRow> outputs,
            List<VersionRow> versions,
            boolean moreVersions,
            HistoryPages.Timeline history,
            Connect connect,
            Upload upload) {}

    /** The current version; {@code readable} false for a body Statefort cannot read (client-encrypted). */
    public record Summary(
            long version,
            Long serial,
            String lineage,
            String terraformVersion,
            String size,
            Integer resourceCount,
            String sha256,
            String writer,
            When written,
            boolean readable) {}

    /**
     * The freeze in force on a state ({@code ownState}: its own, else its project's): what refused
     * runs are shown, who froze it, until when.
     */
    public record FreezePanel(String reason, String frozenBy, When since, When until, boolean ownState) {}

    /**
     * A project's protection rules and change freezes (its admins): {@code projectFreeze} is the
     * project's own (or null), {@code stateFreezes} its states'; {@code trustPolicies} the names a
     * rule may allow.
     */
    public record Protection(
            String project,
            String action,
            List<ProtectionRuleRow> rules,
            FreezeRow projectFreeze,
            List<FreezeRow> stateFreezes,
            List<String> trustPolicies) {}

    /** A project's webhooks; {@code newSecret} the one just made or rotated (shown once), else null. */
    public record Webhooks(
            String project, String action, List<WebhookRow> webhooks, List<String> eventTypes, NewSecret newSecret) {}

    public record NewSecret(String webhook, String secret) {}

    public record WebhookRow(
            String id,
            String url,
            String events,
            String format,
            boolean disabled,
            String disabledReason,
            When failingSince,
            When created,
            String createdBy,
            String href) {}

    public record WebhookLog(String project, WebhookRow webhook, List<DeliveryRow> deliveries) {}

    public record DeliveryRow(
            String event,
            String type,
            String status,
            int attempts,
            String lastStatus,
            String lastError,
            When created,
            When nextTry,
            String redeliverAction) {}

    public record ProtectionRuleRow(
            int number, String states, String allowed, String createdBy, When created, String deleteAction) {}

    /** A freeze in force: {@code state} null for the project's own. */
    public record FreezeRow(String state, String reason, String frozenBy, When since, When until, String liftAction) {}

    /** One lock holder; {@code plan} for a shared plan lock. */
    public record LockPanel(
            boolean plan,
            String id,
            String principal,
            String who,
            String operation,
            String info,
            When acquired,
            When lastActivity,
            boolean stale) {}

    /**
     * One page of the resources matching {@code filter}: {@code rows} are numbers {@code from}..{@code to}
     * (1-based) of the {@code matched} ones, of {@code total} in the state; {@code previousHref} and
     * {@code nextHref} are null on the first and last page.
     */
    public record Resources(
            String filter,
            List<ResourceRow> rows,
            int matched,
            int total,
            int page,
            int pages,
            int from,
            int to,
            String previousHref,
            String nextHref) {
        /** "Showing 101–200 of 10,000 (filtered from 12,000)", "No resources match the filter" and the like. */
        public String summary() {
            if (matched == 0) {
                return filter.isEmpty() ? "No resources" : "No resources match the filter (of " + count(total) + ")";
            }
            return "Showing " + count(from) + "–" + count(to) + " of " + count(matched)
                    + (filter.isEmpty() ? "" : " (filtered from " + count(total) + ")");
        }

        private static String count(int n) {
            return String.format(java.util.Locale.ENGLISH, "%,d", n);
        }
    }

    public record ResourceRow(String address, String mode, String type, String module) {}

    /** An output; the value of a sensitive one is never in the model. */
    public record OutputRow(String name, String value, boolean sensitive) {}

    public record VersionRow(
            long number,
            When at,
            String principal,
            String size,
            Long serial,
            Integer resources,
            String operation,
            List<String> flags,
            boolean current) {}
}
