package dev.statefort.core.testing;

import dev.statefort.core.model.AuditEvent;
import dev.statefort.core.model.AuditQuery;
import dev.statefort.core.model.CommitResult;
import dev.statefort.core.model.DeleteResult;
import dev.statefort.core.model.Freeze;
import dev.statefort.core.model.LockInfo;
import dev.statefort.core.model.LockRecord;
import dev.statefort.core.model.LockRequest;
import dev.statefort.core.model.LockResult;
import dev.statefort.core.model.NewVersion;
import dev.statefort.core.model.Page;
import dev.statefort.core.model.PageRequest;
import dev.statefort.core.model.ProjectNotFoundException;
import dev.statefort.core.model.ProjectRecord;
import dev.statefort.core.model.QuarantineRecord;
import dev.statefort.core.model.RetentionPolicy;
import dev.statefort.core.model.StateKey;
import dev.statefort.core.model.StateRecord;
import dev.statefort.core.model.TokenRecord;
import dev.statefort.core.model.UnlockResult;
import dev.statefort.core.model.VersionCommit;
import dev.statefort.core.model.VersionDeleteResult;
import dev.statefort.core.model.VersionRecord;
import dev.statefort.core.spi.AccessStore;
import dev.statefort.core.spi.BlobKeys;
import dev.statefort.core.spi.MetadataStore;
import dev.statefort.core.spi.StateStore;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/** Implements MetadataStore in the heap, for unit tests; every method is synchronized. */
public final class InMemoryMetadataStore implements MetadataStore {
    private final Map<String, ProjectRecord> projects = new TreeMap<>();
    private final Map<StateKey, StateData> states = new HashMap<>();
    private final InMemoryTokens tokens = new InMemoryTokens();
    private final InMemoryAccessStore access =
            new InMemoryAccessStore(this::projectExists, this::stateExists, tokens::revokeTokensOfUser);
    private final InMemoryKeyMaterial keyMaterial = new InMemoryKeyMaterial();
    private final Map<String, String> projectSettings = new HashMap<>();
    private final InMemoryWebhooks webhooks = new InMemoryWebhooks();
    private final InMemoryAudit audit = new InMemoryAudit(webhooks);
    private final Map<String, byte[]> smallBlobs = new HashMap<>();
    private final InMemoryFleet fleet = new InMemoryFleet(new InMemoryFleet.States() {
        @Override
        public java.util.Collection<StateRecord> all() {
            return states.values().stream().map(StateData::record).toList();
        }

        @Override
        public java.util.Collection<VersionRecord> versions(StateKey key) {
            StateData s = states.get(key);
            return s == null ? List.of() : List.copyOf(s.versions.values());
        }

        @Override
        public java.util.Collection<dev.statefort.core.model.AuditEvent> audit() {
            return audit.all();
        }
    });

    private static final class StateData {
        final StateKey key;
        final Instant createdAt;
        final TreeMap<Long, VersionRecord> versions = new TreeMap<>();
        final TreeMap<Long, QuarantineRecord> quarantine = new TreeMap<>();
        long head;
        long quarantineSeq;
        LockRecord lock;
        /** Plan holders by ID, in the order granted. */
        final Map<String, LockRecord> planLocks = new java.util.LinkedHashMap<>();

        LockRecord waiting;
        LockInfo fenced;
        String settings;
        /** The exclusive lock whose stale event was raised, and the plan locks whose were. */
        String staleLockId;

        final java.util.Set<String> stalePlanLocks = new java.util.HashSet<>();

        StateData(StateKey key, Instant createdAt) {
            this.key = key;
            this.createdAt = createdAt;
        }

        StateRecord record() {
            return new StateRecord(key, createdAt, versions.get(head), lock, planLocks.size());
        }

        LockRecord firstPlanLock() {
            return planLocks.values().iterator().next();
        }

        /** What blocks a change under {@code lockId} that no exclusive lock allows: a plan holder, a freeze. */
        LockRecord blocker(String lockId, Freeze freeze) {
            if (!planLocks.isEmpty()) {
                return planLocks.getOrDefault(lockId == null ? "" : lockId, firstPlanLock());
            }
            return freeze == null ? null : freeze.asHolder();
        }
    }

    // ---- projects -------------------------------------------------------------------------

    @Override
    public synchronized boolean createProject(String name, String storage, Instant now) {
        Objects.requireNonNull(storage, "storage");
        Objects.requireNonNull(name, "name");
        if (projects.containsKey(name)) {
            return false;
        }
        projects.put(name, new ProjectRecord(name, millis(now), storage));
        return true;
    }

    @Override
    public synchronized boolean beginStorageMove(String project, String from, String to) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        ProjectRecord p = projects.get(project);
        if (p == null || !p.storage().equals(from) || p.movingTo() != null) {
            return false;
        }
        projects.put(project, new ProjectRecord(p.name(), p.createdAt(), p.storage(), to));
        return true;
    }

    @Override
    public synchronized boolean finishStorageMove(String project, String to) {
        Objects.requireNonNull(to, "to");
        ProjectRecord p = projects.get(project);
        if (p == null || !to.equals(p.movingTo())) {
            return false;
        }
        projects.put(project, new ProjectRecord(p.name(), p.createdAt(), to));
        return true;
    }

    @Override
    public synchronized Optional<ProjectRecord> findProject(String name) {
        return Optional.ofNullable(projects.get(name));
    }

    @Override
    public synchronized List<ProjectRecord> listProjects() {
        return List.copyOf(projects.values());
    }

    // ---- states ---------------------------------------------------------------------------

    @Override
    public synchronized List<StateRecord> listStates(String project) {
        return states.values().stream()
                .filter(s -> s.key.project().equals(project))
                .sorted(Comparator.comparing(s -> s.key.name()))
                .map(StateData::record)
                .toList();
    }

    @Override
    public synchronized Optional<StateRecord> findState(StateKey key) {
        return Optional.ofNullable(states.get(key)).map(StateData::record);
    }

    @Override
    public synchronized boolean createState(StateKey key, Instant now) {
        boolean existed = states.containsKey(key);
        stateForWrite(key, millis(now));
        return !existed;
    }

    @Override
    public synchronized DeleteResult deleteState(StateKey key, String lockId) {
        StateData state = states.get(key);
        if (state == null) {
            return new DeleteResult.NotFound();
        }
        if (state.lock != null && !state.lock.id().equals(lockId)) {
            return new DeleteResult.LockedBy(state.lock);
        }
        if (!state.planLocks.isEmpty()) {
            return new DeleteResult.LockedBy(state.firstPlanLock());
        }
        states.remove(key);
        fleet.forget(key);
        access.forgetUploadGrants(key); // they go with their state, as the database's cascade does
        List<String> blobKeys = new ArrayList<>();
        state.versions.values().forEach(v -> blobKeys.add(v.blobKey()));
        state.quarantine.values().forEach(q -> blobKeys.add(q.version().blobKey()));
        deleteSmallBlobs(blobKeys);
        return new DeleteResult.Deleted(blobKeys);
    }

    // ---- locks ----------------------------------------------------------------------------

    @Override
    public boolean locksChangeOnlyHere() {
        return true;
    }

    @Override
    public synchronized LockResult tryLock(StateKey key, LockRequest request) {
        Instant now = millis(request.now());
        StateData state = stateForWrite(key, now);
        String id = request.info().id();
        if (state.lock != null && (request.plan() || !state.lock.id().equals(id))) {
            return new LockResult.HeldBy(state.lock);
        }
        if (state.lock != null) {
            state.lock = touched(state.lock, now);
            return new LockResult.Acquired(state.lock);
        }
        if (request.plan() && state.planLocks.containsKey(id)) {
            LockRecord again = touched(state.planLocks.get(id), now);
            state.planLocks.put(id, again);
            return new LockResult.Acquired(again);
        }
        if (request.plan()) {
            if (state.waiting != null
                    && !state.waiting.lastActivityAt().isBefore(now.minus(WAITING_EXCLUSIVE_HOLDS_FOR))) {
                return new LockResult.HeldBy(state.waiting);
            }
            LockRecord plan = new LockRecord(
                    request.info(), request.principal(), now, now, request.credential(), LockRecord.Kind.PLAN);
            state.planLocks.put(id, plan);
            if (request.audit() != null) {
                appendAudit(request.audit());
            }
            return new LockResult.Acquired(plan);
        }
        LockRecord blocker = state.blocker(null, activeFreeze(key, now));
        if (blocker != null) {
            if (blocker.plan()) {
                state.waiting = new LockRecord(request.info(), "", now, now, null, LockRecord.Kind.WAITING);
            }
            return new LockResult.HeldBy(blocker);
        }
        if (request.audit() != null) {
            appendAudit(request.audit());
        }
        state.waiting = null;
        state.lock = new LockRecord(request.info(), request.principal(), now, now, request.credential());
        return new LockResult.Acquired(state.lock);
    }

    private static LockRecord touched(LockRecord lock, Instant now) {
        return new LockRecord(lock.info(), lock.principal(), lock.acquiredAt(), now, lock.credential(), lock.kind());
    }

    @Override
    public synchronized UnlockResult unlock(StateKey key, String lockId, AuditEvent audit) {
        StateData state = states.get(key);
        if (state == null || (state.lock == null && state.planLocks.isEmpty())) {
            return new UnlockResult.NotLocked();
        }
        List<LockRecord> released = new ArrayList<>();
        if (lockId == null) {
            if (state.lock != null) {
                released.add(state.lock);
            }
            released.addAll(state.planLocks.values());
            state.lock = null;
            state.planLocks.clear();
        } else if (state.lock != null && state.lock.id().equals(lockId)) {
            released.add(state.lock);
            state.lock = null;
        } else if (state.planLocks.containsKey(lockId)) {
            released.add(state.planLocks.remove(lockId));
        } else {
            return new UnlockResult.HeldBy(state.lock != null ? state.lock : state.firstPlanLock());
        }
        if (audit != null) {
            released.forEach(l -> appendAudit(audit.forReleasedLock(l.id())));
        }
        return new UnlockResult.Released(released);
    }

    @Override
    public synchronized UnlockResult unlockPlanLock(StateKey key, String lockId, AuditEvent audit) {
        Objects.requireNonNull(lockId, "lockId");
        StateData state = states.get(key);
        LockRecord plan = state == null ? null : state.planLocks.remove(lockId);
        if (plan == null) {
            return new UnlockResult.NotLocked();
        }
        if (audit != null) {
            appendAudit(audit.forReleasedLock(lockId));
        }
        return new UnlockResult.Released(plan);
    }

    @Override
    public synchronized Optional<LockRecord> findLock(StateKey key) {
        return Optional.ofNullable(states.get(key)).map(s -> s.lock);
    }

    @Override
    public synchronized List<LockRecord> findLocks(StateKey key) {
        StateData state = states.get(key);
        if (state == null) {
            return List.of();
        }
        return state.lock != null ? List.of(state.lock) : List.copyOf(state.planLocks.values());
    }

    // ---- freezes ----------------------------------------------------------------------------

    /** By {@code project/state}, {@code project/} for the project's own. */
    private final Map<String, Freeze> freezes = new TreeMap<>();

    @Override
    public synchronized void freeze(Freeze freeze) {
        if (!projects.containsKey(freeze.project())) {
            throw new ProjectNotFoundException(freeze.project());
        }
        Freeze kept = new Freeze(
                freeze.project(),
                freeze.state(),
                freeze.reason(),
                freeze.frozenBy(),
                millis(freeze.frozenAt()),
                freeze.until() == null ? null : millis(freeze.until()));
        freezes.put(freezeKey(freeze.project(), freeze.state()), kept);
    }

    @Override
    public synchronized boolean unfreeze(String project, String state) {
        return freezes.remove(freezeKey(project, state)) != null;
    }

    @Override
    public synchronized List<Freeze> listFreezes(String project) {
        return freezes.values().stream()
                .filter(f -> f.project().equals(project))
                .toList();
    }

    @Override
    public synchronized Optional<Freeze> findFreeze(StateKey key, Instant now) {
        return Optional.ofNullable(activeFreeze(key, millis(now)));
    }

    private Freeze activeFreeze(StateKey key, Instant now) {
        Freeze own = freezes.get(freezeKey(key.project(), key.name()));
        if (own != null && own.activeAt(now)) {
            return own;
        }
        Freeze project = freezes.get(freezeKey(key.project(), null));
        return project != null && project.activeAt(now) ? project : null;
    }

    private static String freezeKey(String project, String state) {
        return project + "/" + (state == null ? "" : state);
    }

    // ---- versions -------------------------------------------------------------------------

    @Override
    public synchronized CommitResult commitVersion(VersionCommit commit) {
        Instant createdAt = millis(commit.version().createdAt());
        CommitResult result = commitIn(
                stateForWrite(commit.key(), createdAt),
                commit.version(),
                createdAt,
                commit.lockId(),
                commit.retention());
        if (result instanceof CommitResult.Committed committed) {
            if (commit.audit() != null) {
                appendAudit(commit.audit().withVersion(committed.version().number()));
            }
            if (commit.smallBlob() != null) {
                smallBlobs.put(commit.version().blobKey(), commit.smallBlob().clone());
            }
            deleteSmallBlobs(committed.prunedBlobKeys());
        }
        return result;
    }

    @Override
    public synchronized dev.statefort.core.model.JointCommit commitVersions(List<VersionCommit> commits) {
        dev.statefort.core.spi.StateStore.checkJointCommits(commits);
        for (VersionCommit commit : commits) { // all checked first: none is written when one is refused
            StateData state = states.get(commit.key());
            Instant createdAt = millis(commit.version().createdAt());
            if (state == null) {
                if (!projects.containsKey(commit.key().project())) {
                    throw new dev.statefort.core.model.ProjectNotFoundException(
                            commit.key().project());
                }
                continue;
            }
            CommitResult refusal = null;
            if (state.lock != null && !state.lock.id().equals(commit.lockId())) {
                refusal = new CommitResult.LockedBy(state.lock);
            } else if (state.lock == null
                    && state.planLocks.isEmpty()
                    && state.fenced != null
                    && state.fenced.id().equals(commit.lockId())) {
                refusal = new CommitResult.Fenced(state.fenced);
            } else if (state.lock == null) {
                LockRecord blocker = state.blocker(commit.lockId(), activeFreeze(state.key, createdAt));
                refusal = blocker == null ? null : new CommitResult.LockedBy(blocker);
            }
            if (refusal != null) {
                return dev.statefort.core.model.JointCommit.refused(commit.key(), refusal);
            }
        }
        List<CommitResult.Committed> done = new java.util.ArrayList<>();
        for (VersionCommit commit : commits) {
            done.add((CommitResult.Committed) commitVersion(commit));
        }
        return dev.statefort.core.model.JointCommit.written(done);
    }

    /** As the JDBC store: a version's small blob goes in the same transaction as the version. */
    private void deleteSmallBlobs(List<String> blobKeys) {
        blobKeys.stream().filter(BlobKeys::isInDatabase).forEach(smallBlobs::remove);
    }

    // ---- small blobs ----------------------------------------------------------------------

    @Override
    public synchronized Optional<byte[]> findSmallBlob(String key) {
        return Optional.ofNullable(smallBlobs.get(key)).map(byte[]::clone);
    }

    @Override
    public synchronized void putSmallBlob(String key, byte[] content) {
        smallBlobs.put(key, content.clone());
    }

    @Override
    public synchronized void deleteSmallBlob(String key) {
        smallBlobs.remove(key);
    }

    private CommitResult commitIn(
            StateData state, NewVersion version, Instant createdAt, String lockId, RetentionPolicy retention) {
        String operation = null;
        LockRecord blocker = state.lock == null ? state.blocker(lockId, activeFreeze(state.key, createdAt)) : null;
        if (state.lock != null) {
            if (!state.lock.id().equals(lockId)) {
                return new CommitResult.LockedBy(state.lock);
            }
            operation = state.lock.info().operation();
            state.lock = new LockRecord(
                    state.lock.info(),
                    state.lock.principal(),
                    state.lock.acquiredAt(),
                    createdAt,
                    state.lock.credential());
        } else if (state.planLocks.isEmpty()
                && state.fenced != null
                && state.fenced.id().equals(lockId)) {
            return new CommitResult.Fenced(state.fenced);
        } else if (blocker != null) {
            return new CommitResult.LockedBy(blocker);
        }
        long number = state.head + 1;
        VersionRecord record = new VersionRecord(
                state.key,
                number,
                version.serial(),
                version.lineage(),
                version.sha256(),
                version.size(),
                createdAt,
                version.principal(),
                lockId,
                operation,
                version.blobKey(),
                version.resourceCount(),
                version.terraformVersion(),
                version.flags());
        state.versions.put(number, record);
        state.head = number;
        return new CommitResult.Committed(record, prune(state, number, createdAt, retention));
    }

    /** Removes what {@code retention} no longer keeps after version {@code number}; their blob keys by number. */
    private static List<String> prune(StateData state, long number, Instant createdAt, RetentionPolicy retention) {
        long maxNumber = number - retention.keepVersions();
        if (maxNumber < 1) {
            return List.of();
        }
        long cutoff = retention.prunableBeforeMillis(createdAt);
        List<String> pruned = new ArrayList<>();
        var candidates = state.versions.headMap(maxNumber, true).values().iterator();
        while (candidates.hasNext()) {
            VersionRecord v = candidates.next();
            if (v.number() != number && v.createdAt().toEpochMilli() < cutoff) {
                pruned.add(v.blobKey());
                candidates.remove();
            }
        }
        return pruned;
    }

    @Override
    public synchronized Optional<VersionRecord> headVersion(StateKey key) {
        return Optional.ofNullable(states.get(key)).map(s -> s.versions.get(s.head));
    }

    @Override
    public synchronized Optional<VersionRecord> findVersion(StateKey key, long number) {
        return Optional.ofNullable(states.get(key)).map(s -> s.versions.get(number));
    }

    @Override
    public synchronized Page<VersionRecord> listVersions(StateKey key, PageRequest page) {
        StateData state = states.get(key);
        if (state == null) {
            return new Page<>(List.of(), null);
        }
        var below = page.before() == null
                ? state.versions.descendingMap()
                : state.versions.headMap(page.before(), false).descendingMap();
        List<VersionRecord> items = new ArrayList<>();
        for (VersionRecord v : below.values()) {
            if (items.size() == page.limit()) {
                return new Page<>(items, items.getLast().number());
            }
            items.add(v);
        }
        return new Page<>(items, null);
    }

    @Override
    public synchronized VersionDeleteResult deleteVersion(StateKey key, long number) {
        StateData state = states.get(key);
        if (state == null || !state.versions.containsKey(number)) {
            return new VersionDeleteResult.NotFound();
        }
        if (number == state.head) {
            return new VersionDeleteResult.IsCurrent();
        }
        return new VersionDeleteResult.Deleted(state.versions.remove(number).blobKey());
    }

    // ---- quarantine -----------------------------------------------------------------------

    @Override
    public synchronized QuarantineRecord quarantine(
            StateKey key, NewVersion version, String lockId, List<String> reasons) {
        Instant createdAt = millis(version.createdAt());
        StateData state = stateForWrite(key, createdAt);
        NewVersion kept = new NewVersion(
                version.blobKey(),
                version.serial(),
                version.lineage(),
                version.sha256(),
                version.size(),
                version.principal(),
                createdAt,
                version.resourceCount(),
                version.terraformVersion(),
                version.flags());
        QuarantineRecord record = new QuarantineRecord(key, ++state.quarantineSeq, kept, lockId, reasons);
        state.quarantine.put(record.id(), record);
        return record;
    }

    @Override
    public synchronized List<QuarantineRecord> listQuarantine(StateKey key) {
        StateData state = states.get(key);
        return state == null
                ? List.of()
                : List.copyOf(state.quarantine.descendingMap().values());
    }

    @Override
    public synchronized Optional<QuarantineRecord> findQuarantine(StateKey key, long id) {
        return Optional.ofNullable(states.get(key)).map(s -> s.quarantine.get(id));
    }

    @Override
    public synchronized boolean replaceQuarantineBlob(
            StateKey key, long id, String expectedBlobKey, String newBlobKey) {
        Objects.requireNonNull(expectedBlobKey, "expectedBlobKey");
        Objects.requireNonNull(newBlobKey, "newBlobKey");
        StateData state = states.get(key);
        QuarantineRecord q = state == null ? null : state.quarantine.get(id);
        if (q == null || !q.version().blobKey().equals(expectedBlobKey)) {
            return false;
        }
        state.quarantine.put(
                id, new QuarantineRecord(key, id, q.version().withBlobKey(newBlobKey), q.lockId(), q.reasons()));
        return true;
    }

    @Override
    public synchronized Optional<String> deleteQuarantine(StateKey key, long id) {
        return Optional.ofNullable(states.get(key))
                .map(s -> s.quarantine.remove(id))
                .map(q -> q.version().blobKey());
    }

    @Override
    public synchronized Optional<CommitResult> promoteQuarantine(
            StateKey key, long id, String lockId, String principal, Instant now, RetentionPolicy retention) {
        Objects.requireNonNull(retention, "retention");
        Instant createdAt = millis(now);
        StateData state = states.get(key);
        QuarantineRecord q = state == null ? null : state.quarantine.get(id);
        if (q == null) {
            return Optional.empty();
        }
        NewVersion v = q.version();
        NewVersion promoted = new NewVersion(
                v.blobKey(),
                v.serial(),
                v.lineage(),
                v.sha256(),
                v.size(),
                principal,
                createdAt,
                v.resourceCount(),
                v.terraformVersion(),
                List.of());
        CommitResult result = commitIn(state, promoted, createdAt, lockId, retention);
        if (result instanceof CommitResult.Committed) {
            state.quarantine.remove(id);
        }
        return Optional.of(result);
    }

    // ---- settings -------------------------------------------------------------------------

    @Override
    public synchronized Optional<String> findProjectSettings(String project) {
        return Optional.ofNullable(projectSettings.get(project));
    }

    @Override
    public synchronized void saveProjectSettings(String project, String json, Instant now) {
        Objects.requireNonNull(json, "json");
        millis(now);
        if (!projects.containsKey(project)) {
            throw new ProjectNotFoundException(project);
        }
        projectSettings.put(project, json);
    }

    @Override
    public synchronized Optional<String> findStateSettings(StateKey key) {
        return Optional.ofNullable(states.get(key)).map(s -> s.settings);
    }

    @Override
    public synchronized Map<String, String> listStateSettings(String project) {
        Map<String, String> out = new java.util.TreeMap<>();
        states.values().stream()
                .filter(s -> s.key.project().equals(project) && s.settings != null)
                .forEach(s -> out.put(s.key.name(), s.settings));
        return out;
    }

    @Override
    public synchronized void saveStateSettings(StateKey key, String json, Instant now) {
        Objects.requireNonNull(json, "json");
        stateForWrite(key, millis(now)).settings = json;
    }

    @Override
    public synchronized boolean replaceStateSettings(StateKey key, String expected, String json, Instant now) {
        Objects.requireNonNull(json, "json");
        StateData state = stateForWrite(key, millis(now));
        if (!Objects.equals(state.settings, expected)) {
            return false;
        }
        state.settings = json;
        return true;
    }

    // ---- lock expiry -----------------------------------------------------------------------

    @Override
    public synchronized boolean expireLock(StateKey key, String lockId, Instant idleBefore) {
        Objects.requireNonNull(lockId, "lockId");
        Instant before = millis(idleBefore);
        StateData state = states.get(key);
        if (state == null) {
            return false;
        }
        LockRecord plan = state.planLocks.get(lockId);
        if (plan != null && plan.lastActivityAt().isBefore(before)) {
            state.planLocks.remove(lockId);
            return true; // a plan lock never writes: nothing to fence
        }
        if (state.lock == null
                || !state.lock.id().equals(lockId)
                || !state.lock.lastActivityAt().isBefore(before)) {
            return false;
        }
        state.fenced = state.lock.info();
        state.lock = null;
        return true;
    }

    // ---- stale locks ------------------------------------------------------------------------

    @Override
    public synchronized List<dev.statefort.core.model.IdleLock> findIdleLocks(Instant idleBefore, int limit) {
        Instant before = millis(idleBefore);
        List<dev.statefort.core.model.IdleLock> out = new ArrayList<>();
        for (StateData state : states.values()) {
            if (state.lock != null
                    && state.lock.lastActivityAt().isBefore(before)
                    && !state.lock.id().equals(state.staleLockId)) {
                out.add(new dev.statefort.core.model.IdleLock(state.key, state.lock));
            }
            for (LockRecord plan : state.planLocks.values()) {
                if (plan.lastActivityAt().isBefore(before) && !state.stalePlanLocks.contains(plan.id())) {
                    out.add(new dev.statefort.core.model.IdleLock(state.key, plan));
                }
            }
        }
        out.sort(java.util.Comparator.comparing(l -> l.lock().lastActivityAt()));
        return out.size() > limit ? List.copyOf(out.subList(0, limit)) : out;
    }

    @Override
    public synchronized boolean markLockStale(StateKey key, String lockId, Instant idleBefore, AuditEvent event) {
        Objects.requireNonNull(lockId, "lockId");
        Instant before = millis(idleBefore);
        StateData state = states.get(key);
        if (state == null) {
            return false;
        }
        boolean marked = false;
        if (state.lock != null
                && state.lock.id().equals(lockId)
                && state.lock.lastActivityAt().isBefore(before)
                && !lockId.equals(state.staleLockId)) {
            state.staleLockId = lockId;
            marked = true;
        } else {
            LockRecord plan = state.planLocks.get(lockId);
            if (plan != null && plan.lastActivityAt().isBefore(before) && state.stalePlanLocks.add(lockId)) {
                marked = true;
            }
        }
        if (marked && event != null) {
            appendAudit(event);
        }
        return marked;
    }

    // ---- webhooks -----------------------------------------------------------------------------

    @Override
    public synchronized void createWebhook(dev.statefort.core.model.Webhook webhook) {
        if (!projects.containsKey(webhook.project())) {
            throw new ProjectNotFoundException(webhook.project());
        }
        webhooks.create(webhook);
    }

    @Override
    public List<dev.statefort.core.model.Webhook> listWebhooks(String project) {
        return webhooks.list(project);
    }

    @Override
    public List<dev.statefort.core.model.Webhook> listAllWebhooks() {
        return webhooks.listAll();
    }

    @Override
    public Optional<dev.statefort.core.model.Webhook> findWebhook(String id) {
        return webhooks.find(id);
    }

    @Override
    public boolean deleteWebhook(String project, String id) {
        return webhooks.delete(project, id);
    }

    @Override
    public boolean replaceWebhookSecret(String id, String expected, String replacement) {
        return webhooks.replaceSecret(id, expected, replacement);
    }

    @Override
    public void webhookSucceeded(String id) {
        webhooks.succeeded(id);
    }

    @Override
    public boolean webhookFailed(String id, Instant now, Instant disableIfFailingBefore, String reason) {
        return webhooks.failed(id, now, disableIfFailingBefore, reason);
    }

    @Override
    public Optional<AuditEvent> appendAuditFor(String webhookId, String type, AuditEvent event) {
        if (webhooks.find(webhookId).isEmpty()) {
            return Optional.empty();
        }
        AuditEvent stored = appendAudit(event);
        webhooks.enqueue(webhookId, type, stored);
        return Optional.of(stored);
    }

    @Override
    public List<dev.statefort.core.model.WebhookDelivery> dueDeliveries(Instant now, int limit) {
        return webhooks.due(now, limit);
    }

    @Override
    public void postponeDeliveries(String webhookId, Instant until) {
        webhooks.postpone(webhookId, until);
    }

    @Override
    public boolean claimDelivery(String webhookId, String eventId, String claim, Instant now, Instant until) {
        return webhooks.claim(webhookId, eventId, claim, now, until);
    }

    @Override
    public boolean finishDelivery(
            String webhookId, String eventId, String claim, dev.statefort.core.model.WebhookDelivery.Attempt attempt) {
        return webhooks.finish(webhookId, eventId, claim, attempt);
    }

    @Override
    public List<dev.statefort.core.model.WebhookDelivery> listDeliveries(String webhookId, int limit) {
        return webhooks.list(webhookId, limit);
    }

    @Override
    public Optional<dev.statefort.core.model.WebhookDelivery> findDelivery(String webhookId, String eventId) {
        return webhooks.findDelivery(webhookId, eventId);
    }

    @Override
    public boolean redeliver(String webhookId, String eventId, Instant now) {
        return webhooks.redeliver(webhookId, eventId, now);
    }

    // ---- audit ----------------------------------------------------------------------------

    @Override
    public AuditEvent appendAudit(AuditEvent event) {
        return audit.appendAudit(event);
    }

    @Override
    public List<AuditEvent> listAudit(AuditQuery query) {
        return audit.listAudit(query);
    }

    @Override
    public Optional<AuditEvent> findAudit(String id) {
        return audit.findAudit(id);
    }

    @Override
    public List<AuditEvent> listAuditAfter(String project, String afterId, int limit) {
        return audit.listAuditAfter(project, afterId, limit);
    }

    // ---- tokens ---------------------------------------------------------------------------

    @Override
    public void createToken(TokenRecord token) {
        tokens.createToken(token);
    }

    @Override
    public Optional<TokenRecord> findToken(String id) {
        return tokens.findToken(id);
    }

    @Override
    public List<TokenRecord> listTokens() {
        return tokens.listTokens();
    }

    @Override
    public boolean revokeToken(String id, Instant now) {
        return tokens.revokeToken(id, now);
    }

    @Override
    public boolean recordTokenUse(String id, Instant now) {
        return tokens.recordTokenUse(id, now);
    }

    @Override
    public AccessStore access() {
        return access;
    }

    // ---- key material ---------------------------------------------------------------------

    @Override
    public Optional<byte[]> findKeyMaterial(String name) {
        return keyMaterial.findKeyMaterial(name);
    }

    @Override
    public boolean replaceKeyMaterial(String name, byte[] expected, byte[] replacement, Instant now) {
        return keyMaterial.replaceKeyMaterial(name, expected, replacement, now);
    }

    @Override
    public List<String> listKeyMaterialNames() {
        return keyMaterial.listKeyMaterialNames();
    }

    // ---- re-encryption ----------------------------------------------------------------------

    @Override
    public synchronized List<VersionRecord> listProjectVersions(
            String project, String afterState, Long afterNumber, int limit) {
        Objects.requireNonNull(project, "project");
        StateStore.checkProjectVersionsPage(afterState, afterNumber, limit);
        List<VersionRecord> out = new ArrayList<>();
        List<StateData> ordered = states.values().stream()
                .filter(s -> s.key.project().equals(project))
                .filter(s -> afterState == null || s.key.name().compareTo(afterState) >= 0)
                .sorted(Comparator.comparing(s -> s.key.name()))
                .toList();
        for (StateData state : ordered) {
            var from = afterState != null && state.key.name().equals(afterState)
                    ? state.versions.tailMap(afterNumber, false)
                    : state.versions;
            for (VersionRecord v : from.values()) {
                if (out.size() == limit) {
                    return out;
                }
                out.add(v);
            }
        }
        return out;
    }

    @Override
    public synchronized boolean replaceVersionBlob(
            StateKey key, long number, String expectedBlobKey, String newBlobKey) {
        Objects.requireNonNull(expectedBlobKey, "expectedBlobKey");
        Objects.requireNonNull(newBlobKey, "newBlobKey");
        StateData state = states.get(key);
        VersionRecord v = state == null ? null : state.versions.get(number);
        if (v == null || !v.blobKey().equals(expectedBlobKey)) {
            return false;
        }
        state.versions.put(
                number,
                new VersionRecord(
                        v.key(),
                        v.number(),
                        v.serial(),
                        v.lineage(),
                        v.sha256(),
                        v.size(),
                        v.createdAt(),
                        v.principal(),
                        v.lockId(),
                        v.operation(),
                        newBlobKey,
                        v.resourceCount(),
                        v.terraformVersion(),
                        v.flags()));
        return true;
    }

    @Override
    public void ping() {}

    // ---- helpers --------------------------------------------------------------------------

    private StateData stateForWrite(StateKey key, Instant now) {
        if (!projects.containsKey(key.project())) {
            throw new ProjectNotFoundException(key.project());
        }
        return states.computeIfAbsent(key, k -> new StateData(k, now));
    }

    private synchronized boolean stateExists(StateKey key) {
        return states.containsKey(key);
    }

    private synchronized boolean projectExists(String name) {
        return projects.containsKey(name);
    }

    private static Instant millis(Instant t) {
        return Objects.requireNonNull(t, "time").truncatedTo(ChronoUnit.MILLIS);
    }

    // ---- the fleet ----------------------------------------------------------------------------

    @Override
    public synchronized boolean replaceIndex(dev.statefort.core.model.StateIndex index) {
        return fleet.replaceIndex(index);
    }

    @Override
    public synchronized List<StateKey> findUnindexed(int limit) {
        return fleet.findUnindexed(limit);
    }

    @Override
    public synchronized List<dev.statefort.core.model.SearchHit> search(dev.statefort.core.model.SearchQuery query) {
        return fleet.search(query);
    }

    @Override
    public synchronized List<dev.statefort.core.model.DuplicateObject> findDuplicates(
            dev.statefort.core.model.ReadScope scope, int limit) {
        return fleet.findDuplicates(scope, limit);
    }

    @Override
    public synchronized void addConsumerReads(List<dev.statefort.core.model.ConsumerRead> reads) {
        fleet.addConsumerReads(reads);
    }

    @Override
    public synchronized List<dev.statefort.core.model.ConsumerRecord> listConsumers(StateKey key) {
        return fleet.listConsumers(key);
    }

    @Override
    public synchronized List<dev.statefort.core.model.FleetState> listFleetStates(
            dev.statefort.core.model.ReadScope scope, Instant since) {
        return fleet.listFleetStates(scope, since);
    }
}
