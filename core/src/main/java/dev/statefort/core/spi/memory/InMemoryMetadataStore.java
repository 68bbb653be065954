package dev.statefort.core.spi.memory;

import dev.statefort.core.auth.TokenRecord;
import dev.statefort.core.lock.LockRecord;
import dev.statefort.core.lock.LockRequest;
import dev.statefort.core.lock.LockResult;
import dev.statefort.core.lock.UnlockResult;
import dev.statefort.core.project.ProjectNotFoundException;
import dev.statefort.core.project.ProjectRecord;
import dev.statefort.core.spi.MetadataStore;
import dev.statefort.core.state.DeleteResult;
import dev.statefort.core.state.StateKey;
import dev.statefort.core.state.StateRecord;
import dev.statefort.core.version.CommitResult;
import dev.statefort.core.version.NewVersion;
import dev.statefort.core.version.Page;
import dev.statefort.core.version.PageRequest;
import dev.statefort.core.version.VersionRecord;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
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
    private final Map<String, TokenRecord> tokens = new HashMap<>();
    private final TreeMap<String, byte[]> keyMaterial = new TreeMap<>();

    private static final class StateData {
        final StateKey key;
        final Instant createdAt;
        final TreeMap<Long, VersionRecord> versions = new TreeMap<>();
        long head;
        LockRecord lock;

        StateData(StateKey key, Instant createdAt) {
            this.key = key;
            this.createdAt = createdAt;
        }

        StateRecord record() {
            return new StateRecord(key, createdAt, versions.get(head), lock);
        }
    }

    // ---- projects -------------------------------------------------------------------------

    @Override
    public synchronized boolean createProject(String name, Instant now) {
        Objects.requireNonNull(name, "name");
        if (projects.containsKey(name)) {
            return false;
        }
        projects.put(name, new ProjectRecord(name, millis(now)));
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
    public synchronized DeleteResult deleteState(StateKey key, String lockId) {
        StateData state = states.get(key);
        if (state == null) {
            return new DeleteResult.NotFound();
        }
        if (state.lock != null && !state.lock.id().equals(lockId)) {
            return new DeleteResult.LockedBy(state.lock);
        }
        states.remove(key);
        return new DeleteResult.Deleted(
                state.versions.values().stream().map(VersionRecord::blobKey).toList());
    }

    // ---- locks ----------------------------------------------------------------------------

    @Override
    public synchronized LockResult tryLock(StateKey key, LockRequest request) {
        Instant now = millis(request.now());
        StateData state = stateForWrite(key, now);
        if (state.lock == null) {
            state.lock = new LockRecord(request.info(), request.principal(), now, now);
            return new LockResult.Acquired(state.lock);
        }
        if (state.lock.id().equals(request.info().id())) {
            state.lock = new LockRecord(state.lock.info(), state.lock.principal(), state.lock.acquiredAt(), now);
            return new LockResult.Acquired(state.lock);
        }
        return new LockResult.HeldBy(state.lock);
    }

    @Override
    public synchronized UnlockResult unlock(StateKey key, String lockId) {
        StateData state = states.get(key);
        if (state == null || state.lock == null) {
            return new UnlockResult.NotLocked();
        }
        if (lockId != null && !lockId.equals(state.lock.id())) {
            return new UnlockResult.HeldBy(state.lock);
        }
        LockRecord released = state.lock;
        state.lock = null;
        return new UnlockResult.Released(released);
    }

    @Override
    public synchronized Optional<LockRecord> findLock(StateKey key) {
        return Optional.ofNullable(states.get(key)).map(s -> s.lock);
    }

    // ---- versions -------------------------------------------------------------------------

    @Override
    public synchronized CommitResult commitVersion(StateKey key, NewVersion version, String lockId) {
        Instant createdAt = millis(version.createdAt());
        StateData state = stateForWrite(key, createdAt);
        String operation = null;
        if (state.lock != null) {
            if (!state.lock.id().equals(lockId)) {
                return new CommitResult.LockedBy(state.lock);
            }
            operation = state.lock.info().operation();
            state.lock = new LockRecord(state.lock.info(), state.lock.principal(), state.lock.acquiredAt(), createdAt);
        }
        long number = state.head + 1;
        VersionRecord record = new VersionRecord(
                key,
                number,
                version.serial(),
                version.lineage(),
                version.sha256(),
                version.size(),
                createdAt,
                version.principal(),
                lockId,
                operation,
                version.blobKey());
        state.versions.put(number, record);
        state.head = number;
        return new CommitResult.Committed(record);
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

    // ---- tokens ---------------------------------------------------------------------------

    @Override
    public synchronized void createToken(TokenRecord token) {
        if (tokens.containsKey(token.id())) {
            throw new IllegalArgumentException("a token with this ID already exists");
        }
        tokens.put(
                token.id(),
                new TokenRecord(
                        token.id(),
                        token.name(),
                        token.project(),
                        token.permission(),
                        token.secretHash(),
                        millis(token.createdAt()),
                        millisOrNull(token.revokedAt())));
    }

    @Override
    public synchronized Optional<TokenRecord> findToken(String id) {
        return Optional.ofNullable(tokens.get(id));
    }

    @Override
    public synchronized List<TokenRecord> listTokens() {
        return tokens.values().stream()
                .sorted(Comparator.comparing(TokenRecord::createdAt).thenComparing(TokenRecord::id))
                .toList();
    }

    @Override
    public synchronized boolean revokeToken(String id, Instant now) {
        TokenRecord t = tokens.get(id);
        if (t == null || t.isRevoked()) {
            return false;
        }
        tokens.put(
                id,
                new TokenRecord(
                        t.id(), t.name(), t.project(), t.permission(), t.secretHash(), t.createdAt(), millis(now)));
        return true;
    }

    // ---- key material ---------------------------------------------------------------------

    @Override
    public synchronized Optional<byte[]> findKeyMaterial(String name) {
        Objects.requireNonNull(name, "name");
        return Optional.ofNullable(keyMaterial.get(name)).map(byte[]::clone);
    }

    @Override
    public synchronized boolean replaceKeyMaterial(String name, byte[] expected, byte[] replacement, Instant now) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(replacement, "replacement");
        millis(now);
        byte[] stored = keyMaterial.get(name);
        if (expected == null ? stored != null : !Arrays.equals(stored, expected)) {
            return false;
        }
        keyMaterial.put(name, replacement.clone());
        return true;
    }

    @Override
    public synchronized List<String> listKeyMaterialNames() {
        return List.copyOf(keyMaterial.keySet());
    }

    // ---- re-encryption ----------------------------------------------------------------------

    @Override
    public synchronized List<VersionRecord> listProjectVersions(
            String project, String afterState, Long afterNumber, int limit) {
        Objects.requireNonNull(project, "project");
        MetadataStore.checkProjectVersionsPage(afterState, afterNumber, limit);
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
                        newBlobKey));
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

    private static Instant millis(Instant t) {
        return Objects.requireNonNull(t, "time").truncatedTo(ChronoUnit.MILLIS);
    }

    private static Instant millisOrNull(Instant t) {
        return t == null ? null : millis(t);
    }
}
