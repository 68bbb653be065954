package dev.statefort.server.http.ui;

import java.util.List;

/**
 * The models of the UI's history pages (a version, a diff) and of the state page's history panels
 * (apply sessions, the compare form). Every value shown here was masked by the core before it got
 * here: sensitive values never reach a template.
 */
public final class HistoryPages {
    private HistoryPages() {}

    /**
     * One version: its metadata, its content as masked JSON (null when not readable), and what can be done with it.
     *
     * @param previousDiffHref the diff from the version before it, or null for the oldest kept version
     * @param restoreAction where the restore form posts, or null when the user may not restore (or it is current)
     */
    public record Version(
            String stateName,
            String stateHref,
            long number,
            Long serial,
            String lineage,
            String terraformVersion,
            Integer resourceCount,
            String sha256,
            String size,
            String principal,
            When written,
            String lockId,
            String operation,
            List<String> flags,
            boolean intermediate,
            boolean current,
            String contentJson,
            String contentNote,
            String downloadHref,
            String previousDiffHref,
            String restoreAction) {
        public boolean readable() {
            return contentJson != null;
        }
    }

    /** The changes from version {@code from} to version {@code to}; {@code readable} false when either is opaque. */
    public record Diff(
            String stateName,
            String stateHref,
            long from,
            long to,
            String fromHref,
            String toHref,
            boolean readable,
            List<String> resourcesAdded,
            List<String> resourcesRemoved,
            List<ResourceChange> resourcesChanged,
            List<String> outputsAdded,
            List<String> outputsRemoved,
            List<Change> outputsChanged,
            boolean truncated,
            Compare compare) {
        public boolean empty() {
            return resourcesAdded.isEmpty()
                    && resourcesRemoved.isEmpty()
                    && resourcesChanged.isEmpty()
                    && outputsAdded.isEmpty()
                    && outputsRemoved.isEmpty()
                    && outputsChanged.isEmpty();
        }
    }

    public record ResourceChange(String address, List<Change> changes) {}

    /** One attribute (by path) or output (by name) that changed. */
    public record Change(String name, Value before, Value after) {}

    /**
     * One side of a change: absent (the attribute did not exist), masked, or the value as text.
     */
    public record Value(String text, boolean absent, boolean sensitive) {}

    /** The compare form: two selects of versions, newest first. */
    public record Compare(String action, List<Long> versions, long from, long to) {}

    /**
     * The state page's history: its apply sessions (newest first) and the compare form (null with fewer than two
     * versions).
     */
    public record Timeline(List<Session> sessions, Compare compare, boolean admin) {
        /** Whether the sessions table has a revert column (an admin's view). */
        public boolean canRevert() {
            return admin && !sessions.isEmpty();
        }
    }

    /**
     * An apply session: the versions one lock ID wrote in a row.
     *
     * @param revertAction where the revert form posts, or null when the user may not revert
     */
    public record Session(
            String lockId,
            String operation,
            String principal,
            When started,
            When ended,
            List<VersionLink> versions,
            boolean active,
            String revertAction) {}

    /** A link to a version; {@code intermediate} for a snapshot an apply wrote before its last one. */
    public record VersionLink(long number, String href, boolean intermediate) {}
}
