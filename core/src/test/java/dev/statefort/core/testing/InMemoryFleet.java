package dev.statefort.core.testing;

import dev.statefort.core.audit.AuditAction;
import dev.statefort.core.model.AuditEvent;
import dev.statefort.core.model.ConsumerRead;
import dev.statefort.core.model.ConsumerRecord;
import dev.statefort.core.model.DuplicateObject;
import dev.statefort.core.model.FleetState;
import dev.statefort.core.model.IndexedInstance;
import dev.statefort.core.model.ReadScope;
import dev.statefort.core.model.SearchHit;
import dev.statefort.core.model.SearchQuery;
import dev.statefort.core.model.StateIndex;
import dev.statefort.core.model.StateKey;
import dev.statefort.core.model.StateRecord;
import dev.statefort.core.model.VersionRecord;
import dev.statefort.core.spi.SearchTerms;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The FleetStore part of {@link InMemoryMetadataStore}; the caller holds the store's monitor. */
final class InMemoryFleet {
    /** What the fleet needs of the rest of the store. */
    interface States {
        Collection<StateRecord> all();

        /** Versions of a state, by number. */
        Collection<VersionRecord> versions(StateKey key);

        Collection<AuditEvent> audit();
    }

    private final States states;
    private final Map<StateKey, StateIndex> index = new HashMap<>();
    private final Map<StateKey, Map<String, ConsumerRecord>> consumers = new HashMap<>();

    InMemoryFleet(States states) {
        this.states = states;
    }

    void forget(StateKey key) {
        index.remove(key);
        consumers.remove(key);
    }

    private StateRecord state(StateKey key) {
        return states.all().stream()
                .filter(s -> s.key().equals(key))
                .findFirst()
                .orElse(null);
    }

    boolean replaceIndex(StateIndex replacement) {
        StateRecord s = state(replacement.key());
        if (s == null || s.head() == null || s.head().number() != replacement.version()) {
            return false;
        }
        StateIndex held = index.get(replacement.key());
        if (held != null && held.version() == replacement.version()) {
            return false;
        }
        index.put(replacement.key(), replacement);
        return true;
    }

    List<StateKey> findUnindexed(int limit) {
        List<StateKey> out = new ArrayList<>();
        for (StateRecord s : states.all()) {
            StateIndex held = index.get(s.key());
            if (s.head() != null && (held == null || held.version() != s.head().number()) && out.size() < limit) {
                out.add(s.key());
            }
        }
        return out;
    }

    List<SearchHit> search(SearchQuery query) {
        Map<String, SearchHit> hits = new LinkedHashMap<>();
        List<StateIndex> inScope = index.values().stream()
                .filter(i -> query.scope().includes(i.key()))
                .sorted(Comparator.comparing((StateIndex i) -> i.key().project())
                        .thenComparing(i -> i.key().name()))
                .toList();
        for (boolean exact : new boolean[] {true, false}) {
            for (StateIndex i : inScope) {
                for (IndexedInstance instance : i.instances()) {
                    if (query.type() != null && !query.type().equals(instance.type())) {
                        continue;
                    }
                    String id = i.key() + "\u0000" + instance.address();
                    if (hits.size() >= query.limit() || hits.containsKey(id)) {
                        continue;
                    }
                    if (query.text().isEmpty()) {
                        hits.put(id, hit(i, instance, "type", instance.type()));
                        continue;
                    }
                    for (Map.Entry<String, String> term :
                            SearchTerms.of(instance).entrySet()) {
                        boolean match = exact
                                ? term.getKey().equals(query.text())
                                : term.getKey().startsWith(query.text());
                        if (match) {
                            String field = term.getValue();
                            String value = field.equals(SearchTerms.ADDRESS)
                                    ? instance.address()
                                    : instance.fields().get(field);
                            hits.put(id, hit(i, instance, field, value));
                            break;
                        }
                    }
                }
            }
        }
        return List.copyOf(hits.values());
    }

    private static SearchHit hit(StateIndex i, IndexedInstance instance, String field, String value) {
        return new SearchHit(i.key(), i.version(), instance.address(), instance.type(), field, value);
    }

    List<DuplicateObject> findDuplicates(ReadScope scope, int limit) {
        TreeMap<String, List<DuplicateObject.Owner>> byKey = new TreeMap<>();
        Map<String, String> types = new HashMap<>();
        for (StateIndex i : index.values()) {
            if (!scope.includes(i.key())) {
                continue;
            }
            for (IndexedInstance instance : i.instances()) {
                if (instance.ownerKey() != null) {
                    byKey.computeIfAbsent(instance.ownerKey(), k -> new ArrayList<>())
                            .add(new DuplicateObject.Owner(i.key(), instance.address()));
                    types.put(instance.ownerKey(), instance.type());
                }
            }
        }
        List<DuplicateObject> out = new ArrayList<>();
        byKey.forEach((key, owners) -> {
            if (out.size() < limit
                    && owners.stream()
                                    .map(DuplicateObject.Owner::state)
                                    .distinct()
                                    .count()
                            > 1) {
                owners.sort(Comparator.comparing(
                                (DuplicateObject.Owner o) -> o.state().project())
                        .thenComparing(o -> o.state().name())
                        .thenComparing(DuplicateObject.Owner::address));
                String type = types.get(key);
                out.add(new DuplicateObject(type, key.substring(type.length() + 1), owners));
            }
        });
        return out;
    }

    void addConsumerReads(List<ConsumerRead> reads) {
        for (ConsumerRead r : reads) {
            if (state(r.key()) == null) {
                continue;
            }
            consumers
                    .computeIfAbsent(r.key(), k -> new HashMap<>())
                    .merge(
                            r.reader(),
                            new ConsumerRecord(
                                    r.key(),
                                    r.reader(),
                                    r.via(),
                                    r.first().truncatedTo(java.time.temporal.ChronoUnit.MILLIS), // stores keep ms
                                    r.last().truncatedTo(java.time.temporal.ChronoUnit.MILLIS),
                                    r.count()),
                            (held, added) -> new ConsumerRecord(
                                    held.key(),
                                    held.reader(),
                                    added.lastSeen().isBefore(held.lastSeen()) ? held.via() : added.via(),
                                    added.firstSeen().isBefore(held.firstSeen()) ? added.firstSeen() : held.firstSeen(),
                                    added.lastSeen().isAfter(held.lastSeen()) ? added.lastSeen() : held.lastSeen(),
                                    held.reads() + added.reads()));
        }
    }

    List<ConsumerRecord> listConsumers(StateKey key) {
        return consumers.getOrDefault(key, Map.of()).values().stream()
                .sorted(Comparator.comparing(ConsumerRecord::lastSeen)
                        .reversed()
                        .thenComparing(ConsumerRecord::reader))
                .toList();
    }

    List<FleetState> listFleetStates(ReadScope scope, Instant since) {
        List<FleetState> out = new ArrayList<>();
        String refused = AuditAction.STATE_WRITE_REFUSED.wireName();
        for (StateRecord s : states.all()) {
            if (!scope.includes(s.key())) {
                continue;
            }
            VersionRecord head = s.head();
            long recent = states.versions(s.key()).stream()
                    .filter(v -> !v.createdAt().isBefore(since))
                    .count();
            long refusals = states.audit().stream()
                    .filter(e -> refused.equals(e.action())
                            && s.key().project().equals(e.project())
                            && s.key().name().equals(e.state())
                            && !e.at().isBefore(since))
                    .count();
            StateIndex held = index.get(s.key());
            String status = head == null
                    ? "empty"
                    : held != null && held.version() == head.number()
                            ? held.status().wireName()
                            : "pending";
            out.add(new FleetState(
                    s.key(),
                    head == null ? 0 : head.number(),
                    head == null ? 0 : head.size(),
                    head == null ? null : head.resourceCount(),
                    head == null ? null : head.createdAt(),
                    recent,
                    s.lock() == null ? null : s.lock().principal(),
                    s.lock() == null ? null : s.lock().acquiredAt(),
                    s.planLocks(),
                    head == null ? null : head.terraformVersion(),
                    refusals,
                    status));
        }
        out.sort(Comparator.comparing((FleetState f) -> f.key().project())
                .thenComparing(f -> f.key().name()));
        return out;
    }
}
