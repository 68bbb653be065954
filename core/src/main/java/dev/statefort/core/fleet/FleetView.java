package dev.statefort.core.fleet;

import dev.statefort.core.InvalidInputException;
import dev.statefort.core.auth.Authorization;
import dev.statefort.core.auth.Principal;
import dev.statefort.core.model.ConsumerRecord;
import dev.statefort.core.model.DuplicateObject;
import dev.statefort.core.model.FleetState;
import dev.statefort.core.model.Permission;
import dev.statefort.core.model.ReadScope;
import dev.statefort.core.model.SearchHit;
import dev.statefort.core.model.SearchQuery;
import dev.statefort.core.model.StateKey;
import dev.statefort.core.spi.MetadataStore;
import dev.statefort.core.spi.SearchTerms;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * The fleet as one caller may see it: search across states, objects managed twice, the overview of
 * every state, and who reads a state's outputs. Every answer holds only states the caller may read
 * (an outputs credential reads no state, so it finds nothing).
 */
public final class FleetView {
    /** How far back "recent" writes and guard refusals are counted. */
    public static final Duration RECENT = Duration.ofDays(7);

    public static final int DEFAULT_LIMIT = 50;

    private final MetadataStore metadata;
    private final ConsumerLedger consumers;
    private final Clock clock;

    public FleetView(MetadataStore metadata, ConsumerLedger consumers, Clock clock) {
        this.metadata = metadata;
        this.consumers = consumers;
        this.clock = clock;
    }

    /**
     * Instances whose address, name, identifying value or identity value starts with {@code text}
     * (see {@link SearchTerms}), of {@code type} when given, in {@code project} when given.
     */
    public List<SearchHit> search(Principal actor, String text, String type, String project, Integer limit) {
        String q = text == null ? "" : SearchTerms.normalize(text);
        String t = type == null || type.isBlank() ? null : type.strip();
        if (q.isEmpty() && t == null) {
            throw new InvalidInputException("give q (what to search for), type, or both");
        }
        if (t != null && t.length() > 200) {
            throw new InvalidInputException("type is too long");
        }
        ReadScope scope = ReadScopes.of(actor).within(blankToNull(project));
        if (scope.isEmpty()) {
            return List.of();
        }
        return metadata.search(new SearchQuery(q, t, scope, limit(limit)));
    }

    /** Objects more than one state (that the caller may read) manages. */
    public List<DuplicateObject> duplicates(Principal actor, String project, Integer limit) {
        ReadScope scope = ReadScopes.of(actor).within(blankToNull(project));
        if (scope.isEmpty() || scope.onlyState() != null) {
            return List.of();
        }
        return metadata.findDuplicates(scope, limit(limit));
    }

    /** Every state the caller may read, filtered and sorted. */
    public List<FleetState> states(Principal actor, FleetFilter filter) {
        ReadScope scope = ReadScopes.of(actor).within(filter.project());
        if (scope.isEmpty()) {
            return List.of();
        }
        var now = clock.instant();
        return filter.apply(metadata.listFleetStates(scope, now.minus(RECENT)), now);
    }

    /**
     * Per project {@code {states, states with a lock held, resource instances}}: what the node's
     * gauges show (the system's own view, for the metrics endpoint; no principal).
     */
    public java.util.Map<String, long[]> countsByProject() {
        java.util.Map<String, long[]> counts = new java.util.TreeMap<>();
        for (FleetState s : metadata.listFleetStates(ReadScope.ALL, clock.instant())) {
            long[] c = counts.computeIfAbsent(s.key().project(), p -> new long[3]);
            c[0]++;
            c[1] += s.lockHolder() != null || s.planLocks() > 0 ? 1 : 0;
            c[2] += s.resources() == null ? 0 : s.resources();
        }
        return counts;
    }

    /** Who reads {@code key}'s outputs (read on the state). */
    public List<ConsumerRecord> consumers(Principal actor, StateKey key) {
        Authorization.requireOn(actor, key, Permission.READ, metadata);
        consumers.flush(); // this node's latest reads too
        return metadata.listConsumers(key);
    }

    private static int limit(Integer limit) {
        if (limit == null) {
            return DEFAULT_LIMIT;
        }
        if (limit < 1 || limit > dev.statefort.core.model.PageRequest.MAX_LIMIT) {
            throw new InvalidInputException("limit must be 1.." + dev.statefort.core.model.PageRequest.MAX_LIMIT);
        }
        return limit;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
