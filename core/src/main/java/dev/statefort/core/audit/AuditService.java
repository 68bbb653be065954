package dev.statefort.core.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.statefort.core.auth.AccessDeniedException;
import dev.statefort.core.auth.Authorization;
import dev.statefort.core.auth.Principal;
import dev.statefort.core.model.AuditEvent;
import dev.statefort.core.model.AuditQuery;
import dev.statefort.core.model.Names;
import dev.statefort.core.model.Permission;
import dev.statefort.core.model.StateKey;
import dev.statefort.core.spi.AuditStore;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Records who did what. Details are small JSON objects of IDs and numbers, never state content or secrets. */
public final class AuditService {
    private static final Logger LOG = LoggerFactory.getLogger("audit");
    private static final java.util.Set<String> ROUTINE =
            java.util.Set.of(AuditAction.LOCK_ACQUIRE.wireName(), AuditAction.LOCK_RELEASE.wireName());
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AuditStore store;
    private final Clock clock;
    private final java.util.List<java.util.function.Consumer<AuditEvent>> listeners =
            new java.util.concurrent.CopyOnWriteArrayList<>();

    public AuditService(AuditStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    public AuditEvent record(Principal actor, AuditAction action, StateKey state, Map<String, ?> detail) {
        return record(actor, action, state.project(), state.name(), detail);
    }

    public AuditEvent record(Principal actor, AuditAction action, String project, String state, Map<String, ?> detail) {
        return recordOutcome(actor, action, AuditEvent.OK, project, state, detail);
    }

    /** An action that did not happen ({@link AuditEvent#REFUSED}, {@link AuditEvent#DENIED}) or did ({@link AuditEvent#OK}). */
    public AuditEvent recordOutcome(
            Principal actor, AuditAction action, String outcome, StateKey state, Map<String, ?> detail) {
        return recordOutcome(actor, action, outcome, state.project(), state.name(), detail);
    }

    /**
     * Records one event with the actor's name and request origin. A numeric {@code version} entry
     * of {@code detail} becomes the event's version.
     */
    public AuditEvent recordOutcome(
            Principal actor, AuditAction action, String outcome, String project, String state, Map<String, ?> detail) {
        AuditEvent stored = store.appendAudit(pending(actor, action, outcome, project, state, detail));
        logged(stored);
        return stored;
    }

    /**
     * Records an event no client waits for (a refusal) without waiting for it to be durable: it is
     * stored with the store's next commit (see {@code MetadataStore.appendAuditLater}).
     */
    public void recordLater(
            Principal actor, AuditAction action, String outcome, StateKey state, Map<String, ?> detail) {
        AuditEvent event = pending(actor, action, outcome, state.project(), state.name(), detail);
        store.appendAuditLater(event);
        logged(event);
    }

    /**
     * An event not stored yet, for a store to append in the same transaction as the change it
     * records (a commit, a lock, an unlock); {@link #logged} after.
     */
    public AuditEvent pending(
            Principal actor, AuditAction action, String outcome, String project, String state, Map<String, ?> detail) {
        String json;
        try {
            json = JSON.writeValueAsString(withCredential(actor, detail));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("audit detail is not serializable", e);
        }
        Long version = detail != null && detail.get("version") instanceof Number n ? n.longValue() : null;
        return new AuditEvent(
                null,
                clock.instant(),
                actor.name(),
                actor.origin(),
                action.wireName(),
                outcome,
                project,
                state,
                version,
                json);
    }

    /** The detail, with the actor's credential trace (an OIDC identity: issuer, sub, jti, policy) under {@code credential}. */
    private static Map<String, ?> withCredential(Principal actor, Map<String, ?> detail) {
        if (actor.trace() == null || actor.trace().audit().isEmpty()) {
            return detail == null ? Map.of() : detail;
        }
        Map<String, Object> all = new java.util.LinkedHashMap<>();
        if (detail != null) {
            all.putAll(detail);
        }
        all.put("credential", actor.trace().audit());
        return all;
    }

    /**
     * Writes the server-log line of a stored event: at INFO, except the routine lock traffic of every
     * plan and apply ({@code lock.acquire} and {@code lock.release}, granted or refused), which is at
     * DEBUG: the audit records it, and formatting two lines per apply cost more than the lock itself.
     */
    public void logged(AuditEvent e) {
        for (java.util.function.Consumer<AuditEvent> listener : listeners) {
            try {
                listener.accept(e);
            } catch (RuntimeException failed) {
                // a listener only wakes readers (they look by themselves too): never the request's failure
                LOG.debug("an event listener failed: {}", failed.toString());
            }
        }
        boolean routine = ROUTINE.contains(e.action());
        if (routine ? !LOG.isDebugEnabled() : !LOG.isInfoEnabled()) {
            return;
        }
        LOG.atLevel(routine ? org.slf4j.event.Level.DEBUG : org.slf4j.event.Level.INFO)
                .log(
                        "{} {} {} {}/{}{} from {} {}",
                        e.principal(),
                        e.action(),
                        e.outcome(),
                        e.project(),
                        e.state() == null ? "-" : e.state(),
                        e.version() == null ? "" : " v" + e.version(),
                        e.sourceIp() == null ? "-" : e.sourceIp(),
                        e.detail());
    }

    /**
     * Called with every event once stored (or queued, {@link #recordLater}), on the thread that
     * recorded it: must return at once (the live stream, the webhook sender and the search indexer are
     * woken by it). Every listener added is called, in the order added.
     */
    public void listen(java.util.function.Consumer<AuditEvent> listener) {
        listeners.add(java.util.Objects.requireNonNull(listener, "listener"));
    }

    public List<AuditEvent> list(AuditQuery query) {
        return store.listAudit(query);
    }

    /**
     * The audit log as {@code actor} may read it (the REST API's, the UI's and the CLI's one way): a
     * project's events for its admins, every project's for a global admin.
     */
    public List<AuditEvent> read(Principal actor, AuditQuery query) {
        requireReader(actor, query.project());
        return list(query);
    }

    /** 403 unless {@code actor} may read the audit log of {@code project} (null: of every project). */
    public void requireReader(Principal actor, String project) {
        if (project == null) {
            if (!actor.isGlobalAdmin()) {
                throw new AccessDeniedException(
                        "the audit log of all projects needs a global admin token; add ?project=");
            }
        } else {
            Authorization.require(actor, Names.require("project", project), Permission.ADMIN);
        }
    }
}
