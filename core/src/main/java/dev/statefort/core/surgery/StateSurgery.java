package dev.statefort.core.surgery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.statefort.core.ConflictException;
import dev.statefort.core.InvalidInputException;
import dev.statefort.core.audit.AuditAction;
import dev.statefort.core.audit.AuditService;
import dev.statefort.core.auth.Authorization;
import dev.statefort.core.auth.Principal;
import dev.statefort.core.insight.StateDocument;
import dev.statefort.core.insight.VersionInsight;
import dev.statefort.core.lock.LockService;
import dev.statefort.core.model.LockRecord;
import dev.statefort.core.model.LockResult;
import dev.statefort.core.model.Permission;
import dev.statefort.core.model.StateKey;
import dev.statefort.core.model.VersionRecord;
import dev.statefort.core.spi.MetadataStore;
import dev.statefort.core.state.StateService;
import dev.statefort.core.state.StoredState;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * State surgery on the server: {@code rm} and {@code mv} of resources and instances within a state
 * or between two states of one project, as {@code terraform state rm/mv} would do them by hand
 * (pull, edit, push), without the hand. Taken under each state's lock (its own, or the caller's
 * when it names one it holds; 423 while someone else holds one), judged by the destructive-write
 * guard, written as a new version of each state (serial + 1, same lineage) in one step that changes
 * every state or none, audited ({@code state.surgery} beside each {@code state.write}), and undone by
 * reverting its lock's session on each state. A dry run answers the same change without the locks.
 */
public final class StateSurgery {
    /** Operations one surgery takes at most. */
    public static final int MAX_OPERATIONS = 100;
    /** The {@code Operation} of the locks a surgery takes (what the lock and the versions show). */
    public static final String OPERATION = "statefort.surgery";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(StateSurgery.class);

    private final MetadataStore metadata;
    private final StateService states;
    private final LockService locks;
    private final VersionInsight insight;
    private final AuditService audit;
    private final java.time.Clock clock;

    public StateSurgery(
            MetadataStore metadata,
            StateService states,
            LockService locks,
            VersionInsight insight,
            AuditService audit,
            java.time.Clock clock) {
        this.metadata = metadata;
        this.states = states;
        this.locks = locks;
        this.insight = insight;
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * Applies {@code operations} in order to {@code key} (and the other states moves name).
     *
     * @param lockId a lock the caller holds on some of the states (used there instead of a new one), or null
     */
    public SurgeryOutcome perform(
            Principal actor, StateKey key, List<SurgeryOperation> operations, boolean dryRun, String lockId)
            throws IOException {
        if (operations.isEmpty() || operations.size() > MAX_OPERATIONS) {
            throw new InvalidInputException("a surgery takes 1 to " + MAX_OPERATIONS + " operations");
        }
        List<StateKey> involved = involved(key, operations);
        for (StateKey k : involved) {
            Authorization.requireOn(actor, k, Permission.WRITE, metadata);
        }
        if (dryRun) {
            Edited edited = edit(actor, key, involved, operations);
            List<SurgeryOutcome.StateChange> changes = new ArrayList<>();
            for (StateKey k : edited.changed()) {
                List<String> findings = states.preview(
                                actor,
                                k,
                                new ByteArrayInputStream(edited.bodies().get(k)))
                        .findings();
                changes.add(edited.change(k, null, findings));
            }
            return new SurgeryOutcome.Done(true, changes);
        }
        Map<StateKey, String> held = new LinkedHashMap<>();
        Map<StateKey, String> taken = new LinkedHashMap<>();
        try {
            for (StateKey k : involved.stream()
                    .sorted((a, b) -> a.toString().compareTo(b.toString()))
                    .toList()) {
                LockRecord current = metadata.findLock(k).orElse(null);
                if (lockId != null && current != null && current.id().equals(lockId)) {
                    held.put(k, lockId);
                    continue;
                }
                String id = UUID.randomUUID().toString();
                switch (locks.lock(actor, k, lockInfo(id, actor))) {
                    case LockResult.Acquired a -> {
                        held.put(k, id);
                        taken.put(k, id);
                    }
                    case LockResult.HeldBy h -> {
                        return new SurgeryOutcome.Locked(k, h.holder());
                    }
                }
            }
            Edited edited = edit(actor, key, involved, operations);
            List<StateService.JointPart> parts = edited.changed().stream()
                    .map(k -> new StateService.JointPart(k, edited.bodies().get(k), held.get(k)))
                    .toList();
            return switch (states.writeTogether(actor, parts)) {
                case StateService.JointOutcome.Written w -> done(actor, key, operations, edited, w.versions());
                case StateService.JointOutcome.Locked l -> new SurgeryOutcome.Locked(l.state(), l.holder());
                case StateService.JointOutcome.Fenced f ->
                    throw new ConflictException(
                            "the lock on " + f.state() + " expired during the surgery; nothing was written");
                case StateService.JointOutcome.Refused r -> new SurgeryOutcome.Refused(r.state(), r.findings());
            };
        } finally {
            for (Map.Entry<StateKey, String> t : taken.entrySet()) {
                try {
                    locks.unlock(actor, t.getKey(), lockInfo(t.getValue(), actor));
                } catch (RuntimeException e) {
                    // each lock on its own: one that cannot be released now is left to expire or a force-unlock
                    LOG.warn("state surgery could not release its lock on {}: {}", t.getKey(), e.toString());
                }
            }
        }
    }

    private SurgeryOutcome done(
            Principal actor,
            StateKey key,
            List<SurgeryOperation> operations,
            Edited edited,
            List<VersionRecord> versions) {
        List<SurgeryOutcome.StateChange> changes = new ArrayList<>();
        for (int i = 0; i < versions.size(); i++) {
            VersionRecord v = versions.get(i);
            changes.add(edited.change(v.key(), v.number(), v.flags()));
            audit.record(
                    actor,
                    AuditAction.STATE_SURGERY,
                    v.key(),
                    Map.of(
                            "version", v.number(),
                            "lockId", v.lockId() == null ? "" : v.lockId(),
                            "operations", describe(operations),
                            "source", key.name()));
        }
        return new SurgeryOutcome.Done(false, changes);
    }

    /** The states the operations touch: {@code key} first, then the targets of moves, each once. */
    private static List<StateKey> involved(StateKey key, List<SurgeryOperation> operations) {
        Set<StateKey> keys = new LinkedHashSet<>();
        keys.add(key);
        for (SurgeryOperation op : operations) {
            if (op instanceof SurgeryOperation.Move m && m.toState() != null) {
                keys.add(new StateKey(key.project(), m.toState()));
            }
        }
        return List.copyOf(keys);
    }

    /** The current versions edited (on the analysis pool): each changed state's new body. */
    private Edited edit(Principal actor, StateKey key, List<StateKey> involved, List<SurgeryOperation> operations)
            throws IOException {
        Map<String, ObjectNode> trees = new LinkedHashMap<>();
        Map<StateKey, ObjectNode> originals = new LinkedHashMap<>();
        Map<StateKey, VersionRecord> heads = new LinkedHashMap<>();
        Map<StateKey, Set<String>> before = new LinkedHashMap<>();
        for (StateKey k : involved) {
            VersionRecord head = insight.current(actor, k);
            insight.parsedVersions().requireAnalysable(head);
            StoredState stored = states.readVersion(actor, k, head.number());
            ObjectNode tree;
            try (InputStream in = stored.content()) {
                tree = insight.analyse(() -> readable(k, JSON.readTree(in)));
            }
            heads.put(k, head);
            originals.put(k, canonical(tree));
            before.put(k, addresses(tree));
            trees.put(k.name(), tree);
        }
        return insight.analyse(() -> {
            for (SurgeryOperation op : operations) {
                StateEdits.apply(op, key.name(), trees);
            }
            Map<StateKey, byte[]> bodies = new LinkedHashMap<>();
            Map<StateKey, Set<String>> after = new LinkedHashMap<>();
            for (StateKey k : involved) {
                ObjectNode tree = trees.get(k.name());
                Set<String> now = addresses(tree);
                if (canonical(tree).equals(originals.get(k))) {
                    continue; // nothing of it changed
                }
                tree.put("serial", tree.path("serial").asLong() + 1);
                bodies.put(k, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(tree));
                after.put(k, now);
            }
            if (bodies.isEmpty()) {
                throw new InvalidInputException("the operations change nothing");
            }
            return new Edited(heads, before, after, bodies);
        });
    }

    /** A copy whose resources are in address order: the same resources in another order are the same state. */
    private static ObjectNode canonical(ObjectNode tree) {
        ObjectNode copy = tree.deepCopy();
        if (copy.get("resources") instanceof com.fasterxml.jackson.databind.node.ArrayNode resources) {
            List<JsonNode> sorted = new ArrayList<>();
            resources.forEach(sorted::add);
            sorted.sort(java.util.Comparator.comparing(
                    r -> r.path("module").asText("") + " " + r.path("mode").asText() + " "
                            + r.path("type").asText() + " " + r.path("name").asText()));
            resources.removeAll();
            sorted.forEach(resources::add);
        }
        return copy;
    }

    private static ObjectNode readable(StateKey key, JsonNode node) {
        if (!(node instanceof ObjectNode tree)
                || tree.has("encrypted_data")
                || tree.path("version").asInt() != 4
                || !tree.path("lineage").isTextual()) {
            throw new ConflictException("state " + key + " is not a plain Terraform state of format version 4"
                    + " (client-side encrypted, or older): Statefort cannot operate on it");
        }
        return tree;
    }

    private static Set<String> addresses(ObjectNode tree) {
        Set<String> out = new TreeSet<>();
        StateDocument.parse(tree).orElseThrow().resources().forEach(r -> out.add(r.address()));
        return out;
    }

    private static List<String> describe(List<SurgeryOperation> operations) {
        return operations.stream()
                .map(op -> switch (op) {
                    case SurgeryOperation.Remove r -> "rm " + r.address();
                    case SurgeryOperation.Move m ->
                        "mv " + m.from() + " " + m.to() + (m.toState() == null ? "" : " -> " + m.toState());
                })
                .toList();
    }

    /** The LockInfo of a lock the surgery takes (the server's own, shown as Terraform shows a holder). */
    private byte[] lockInfo(String id, Principal actor) {
        return dev.statefort.core.model.Freeze.shownLockInfo(
                id, OPERATION, "state surgery by " + actor.name(), actor.name(), clock.instant());
    }

    /** The edited states: their heads, addresses before and after, and new bodies (changed states only). */
    private record Edited(
            Map<StateKey, VersionRecord> heads,
            Map<StateKey, Set<String>> before,
            Map<StateKey, Set<String>> after,
            Map<StateKey, byte[]> bodies) {
        List<StateKey> changed() {
            return List.copyOf(bodies.keySet());
        }

        SurgeryOutcome.StateChange change(StateKey k, Long toVersion, List<String> findings) {
            Set<String> removed = new TreeSet<>(before.get(k));
            removed.removeAll(after.get(k));
            Set<String> added = new TreeSet<>(after.get(k));
            added.removeAll(before.get(k));
            long serial;
            try {
                serial = JSON.readTree(bodies.get(k)).path("serial").asLong();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return new SurgeryOutcome.StateChange(
                    k, heads.get(k).number(), toVersion, serial, List.copyOf(removed), List.copyOf(added), findings);
        }
    }
}
