package dev.statefort.core.event;

import dev.statefort.core.auth.Authorization;
import dev.statefort.core.auth.Principal;
import dev.statefort.core.model.AuditEvent;
import dev.statefort.core.model.Permission;
import dev.statefort.core.model.StateKey;
import dev.statefort.core.project.ProjectService;
import dev.statefort.core.spi.MetadataStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * A project's events as a live stream reads them, for the caller's readable states only: a {@link
 * Cursor} resumes after an event ID ({@code Last-Event-ID}) from the stored events. Event IDs order
 * events by time; with several nodes, an event may be committed a moment after one with a later ID,
 * so each read looks {@link #LOOKBACK} back and skips what it already sent: nothing is missed and
 * nothing is sent twice.
 */
public final class EventFeed {
    static final Duration LOOKBACK = Duration.ofSeconds(10);
    /** How far back a stream resumes at most (an older Last-Event-ID starts a day ago). */
    static final Duration LONGEST_RESUME = Duration.ofHours(24);

    private static final int PAGE = 200;

    private final MetadataStore metadata;
    private final ProjectService projects;
    private final Clock clock;

    public EventFeed(MetadataStore metadata, ProjectService projects, Clock clock) {
        this.metadata = metadata;
        this.projects = projects;
        this.clock = clock;
    }

    /**
     * A cursor over {@code project}'s events after {@code lastEventId} (null: from now on). 403
     * unless {@code actor} may read the project (an outputs-only or one-state credential may not);
     * 404 without the project.
     */
    public Cursor open(Principal actor, String project, String lastEventId) {
        return open(actor, project, lastEventId, null);
    }

    /** {@link #open(Principal, String, String)} for one state's events only ({@code state} null: every state's). */
    public Cursor open(Principal actor, String project, String lastEventId, String state) {
        Authorization.require(actor, project, Permission.READ);
        projects.require(project);
        String now = String.format(java.util.Locale.ROOT, "%016d", clock.millis());
        String oldest = String.format(java.util.Locale.ROOT, "%016d", clock.millis() - LONGEST_RESUME.toMillis());
        String from = lastEventId == null || !isEventId(lastEventId)
                ? now
                : lastEventId.compareTo(oldest) < 0 ? oldest : lastEventId; // resumes at most a day back
        return new Cursor(actor, project, state, from);
    }

    /** One stream's position. Not thread-safe: one stream reads it. */
    public final class Cursor {
        private final Principal actor;
        private final String project;
        private final String state;
        /** Nothing at or before it is sent (where the stream began). */
        private final String start;
        /** Sent IDs within the look-back window, to skip when read again. */
        private final java.util.TreeMap<String, Boolean> sent = new java.util.TreeMap<>();
        /** The newest ID read so far, sent or not: the look-back starts from it. */
        private String scanned;
        /** After a full page: where the next read goes on (no look-back), else null. */
        private String continueFrom;

        Cursor(Principal actor, String project, String state, String start) {
            this.actor = actor;
            this.project = project;
            this.state = state;
            this.start = start;
            this.scanned = start;
        }

        /**
         * The events stored since the last call (in ID order) that the caller may read: at most one
         * page read; {@link #behind()} says whether more were already stored.
         */
        public List<Event> next() {
            String from;
            if (continueFrom != null) {
                from = continueFrom; // the last read was a full page: go on after it
            } else {
                from = lookBackFrom(scanned);
                if (from.compareTo(start) < 0) {
                    from = start;
                }
            }
            List<Event> out = new ArrayList<>();
            List<AuditEvent> page = metadata.listAuditAfter(project, from, PAGE);
            for (AuditEvent e : page) {
                if (e.id().compareTo(scanned) > 0) {
                    scanned = e.id();
                }
                if (sent.containsKey(e.id())) {
                    continue;
                }
                String type = EventTypes.of(e);
                if (type == null || (state != null && !state.equals(e.state())) || !readable(e)) {
                    continue;
                }
                sent.put(e.id(), Boolean.TRUE);
                out.add(new Event(type, e));
            }
            continueFrom = page.size() == PAGE ? page.get(page.size() - 1).id() : null;
            forgetOlderThan(lookBackFrom(scanned));
            return out;
        }

        /** Whether the last {@link #next} read a full page: more events are stored already. */
        public boolean behind() {
            return continueFrom != null;
        }

        private boolean readable(AuditEvent e) {
            return e.state() == null
                    ? actor.allows(project, Permission.READ)
                    : actor.allows(new StateKey(project, e.state()), Permission.READ);
        }

        private void forgetOlderThan(String bound) {
            Iterator<String> ids = sent.keySet().iterator();
            while (ids.hasNext() && ids.next().compareTo(bound) < 0) {
                ids.remove();
            }
        }
    }

    /** An event of the stream: its type and the recorded action it is. */
    public record Event(String type, AuditEvent record) {}

    private static String lookBackFrom(String id) {
        long millis = Long.parseLong(id.substring(0, Math.min(16, id.length())));
        return String.format(java.util.Locale.ROOT, "%016d", Math.max(0, millis - LOOKBACK.toMillis()));
    }

    private static boolean isEventId(String id) {
        return id.matches("[0-9]{16}(-[0-9]{12}-[0-9a-f]{16})?");
    }
}
