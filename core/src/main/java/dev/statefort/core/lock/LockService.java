package dev.statefort.core.lock;

import dev.statefort.core.audit.AuditAction;
import dev.statefort.core.audit.AuditService;
import dev.statefort.core.auth.AuthenticationRequiredException;
import dev.statefort.core.auth.Authorization;
import dev.statefort.core.auth.Principal;
import dev.statefort.core.model.AuditEvent;
import dev.statefort.core.model.LockInfo;
import dev.statefort.core.model.LockRecord;
import dev.statefort.core.model.LockRequest;
import dev.statefort.core.model.LockResult;
import dev.statefort.core.model.Permission;
import dev.statefort.core.model.ProjectRecord;
import dev.statefort.core.model.StateKey;
import dev.statefort.core.model.StateRecord;
import dev.statefort.core.model.UnlockResult;
import dev.statefort.core.policy.SettingsService;
import dev.statefort.core.spi.MetadataStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * State locks, the one place their rules live: LOCK and UNLOCK from any client, a force-unlock, the
 * lock as the UI and the API show it, the census the gauges read, and the project's idle-lock
 * expiry (which the write path asks before it trusts a lock). Each use case checks the actor's
 * permission first; the store answers what happened and appends the audit event the use case made
 * in the same transaction.
 */
public final class LockService {
    private static final Logger LOG = LoggerFactory.getLogger(LockService.class);

    /** The shortest idle time a project's lock auto-expiry can be set to (ProjectSettings checks it). */
    private static final Duration SHORTEST_AUTO_EXPIRY = Duration.ofMinutes(1);

    private final MetadataStore metadata;
    private final SettingsService settings;
    private final AuditService audit;
    private final Clock clock;
    private final RecentHolders recentHolders = new RecentHolders();
    /** Only where every lock change goes through this node: another node's UNLOCK would go unseen. */
    private final boolean refuseFromMemory;

    private final RepeatedRefusals repeatedRefusals = new RepeatedRefusals();

    public LockService(MetadataStore metadata, SettingsService settings, AuditService audit, Clock clock) {
        this.metadata = metadata;
        this.settings = settings;
        this.audit = audit;
        this.clock = clock;
        this.refuseFromMemory = metadata.locksChangeOnlyHere();
    }

    /** Forgets the holder this node saw for {@code key} (its state was deleted, lock and all). */
    public void forgetHolder(StateKey key) {
        recentHolders.released(key);
    }

    /** LOCK (write): {@code lockInfoJson} is the client's LockInfo, stored exactly. */
    public LockResult lock(Principal actor, StateKey key, byte[] lockInfoJson) {
        Authorization.require(actor, key, Permission.WRITE);
        LockInfo info = LockInfo.parse(lockInfoJson);
        Instant now = clock.instant();
        Optional<LockRecord> seen = refuseFromMemory
                ? recentHolders.otherThan(key, info.id(), now.minus(SHORTEST_AUTO_EXPIRY))
                : Optional.empty();
        if (seen.isPresent()) {
            auditRefusal(actor, key, info.id(), seen.get());
            return new LockResult.HeldBy(seen.get());
        }
        AuditEvent granted = audit.pending(
                actor,
                AuditAction.LOCK_ACQUIRE,
                AuditEvent.OK,
                key.project(),
                key.name(),
                Map.of("lockId", info.id(), "operation", String.valueOf(info.operation())));
        LockRequest request = new LockRequest(info, actor.name(), now, granted, actor.lockBinding());
        LockResult result = metadata.tryLock(key, request);
        if (result instanceof LockResult.HeldBy held && expireIfIdle(key, held.holder(), now)) {
            result = metadata.tryLock(key, request);
        }
        switch (result) {
            case LockResult.Acquired a -> {
                recentHolders.held(key, a.lock());
                LOG.debug("state {} locked by {} ({})", key, actor.name(), info.id());
                audit.logged(granted);
            }
            case LockResult.HeldBy held -> {
                recentHolders.held(key, held.holder());
                auditRefusal(actor, key, info.id(), held.holder());
            }
        }
        return result;
    }

    /**
     * A refused LOCK's audit event: stored with the next commit, so a LOCK that waits costs no commit,
     * and once per series of retries ({@link RepeatedRefusals}).
     */
    private void auditRefusal(Principal actor, StateKey key, String lockId, LockRecord holder) {
        if (repeatedRefusals.first(key, actor.name(), lockId, holder.id())) {
            audit.recordLater(
                    actor,
                    AuditAction.LOCK_ACQUIRE,
                    AuditEvent.REFUSED,
                    key,
                    Map.of("lockId", lockId, "holder", holder.id()));
        }
    }

    /** UNLOCK (write): an empty body releases whatever is held (Terraform's force-unlock). */
    public UnlockResult unlock(Principal actor, StateKey key, byte[] body) {
        Authorization.requireOn(actor, key, Permission.WRITE, metadata);
        String lockId = isBlank(body) ? null : LockInfo.parse(body).id();
        if (actor.graceLockId() != null && !actor.graceLockId().equals(lockId)) {
            // an expired OIDC token finishing its apply releases its own lock, never whatever is held
            throw new AuthenticationRequiredException(
                    "the OIDC token has expired: it may only release the lock " + actor.graceLockId() + " it took");
        }
        return release(actor, key, lockId);
    }

    /** Releases whatever lock is held (admin; the UI's and the API's force-unlock); true if one was. */
    public boolean forceUnlock(Principal actor, StateKey key) {
        Authorization.requireOn(actor, key, Permission.ADMIN, metadata);
        return release(actor, key, null) instanceof UnlockResult.Released;
    }

    private UnlockResult release(Principal actor, StateKey key, String lockId) {
        AuditAction action = lockId == null ? AuditAction.LOCK_FORCE_UNLOCK : AuditAction.LOCK_RELEASE;
        AuditEvent released = audit.pending(actor, action, AuditEvent.OK, key.project(), key.name(), Map.of());
        UnlockResult result = metadata.unlock(key, lockId, released);
        switch (result) {
            case UnlockResult.Released r -> {
                recentHolders.released(key);
                LOG.debug(
                        "state {} unlocked by {} ({}{})",
                        key,
                        actor.name(),
                        r.released().id(),
                        lockId == null ? ", forced" : "");
                audit.logged(released.forReleasedLock(r.released().id()));
            }
            case UnlockResult.HeldBy held ->
                audit.recordLater(
                        actor,
                        action,
                        AuditEvent.REFUSED,
                        key,
                        Map.of("lockId", lockId, "holder", held.holder().id()));
            case UnlockResult.NotLocked n -> {
                // nothing was held: nothing happened worth recording
            }
        }
        return result;
    }

    /** The lock (read), if held, and whether it is stale (idle longer than the project's setting). */
    public Optional<LockView> view(Principal actor, StateKey key) {
        Authorization.requireOn(actor, key, Permission.READ, metadata);
        Duration staleAfter = Duration.ofMinutes(settings.project(key.project()).lockStaleMinutes());
        return metadata.findLock(key).map(l -> new LockView(l, l.staleAt(clock.instant(), staleAfter)));
    }

    /** How many state locks are held across all projects, and how many of them are stale. */
    public record Census(long held, long stale) {}

    /** Counts every held lock and the stale ones (walks every project's states: for gauges, not per request). */
    public Census census() {
        Instant now = clock.instant();
        long held = 0;
        long stale = 0;
        for (ProjectRecord project : metadata.listProjects()) {
            Duration staleAfter =
                    Duration.ofMinutes(settings.project(project.name()).lockStaleMinutes());
            for (StateRecord state : metadata.listStates(project.name())) {
                if (state.lock() != null) {
                    held++;
                    if (state.lock().staleAt(now, staleAfter)) {
                        stale++;
                    }
                }
            }
        }
        return new Census(held, stale);
    }

    /**
     * With the project's lock auto-expiry on, releases a holder idle for longer than the setting
     * (asked on another client's LOCK and on the holder's own next write, whose later writes are
     * then fenced); audited as {@code lock.expired} by the system. Off by default.
     *
     * @return whether {@code holder} was expired now
     */
    public boolean expireIfIdle(StateKey key, LockRecord holder, Instant now) {
        if (!holder.lastActivityAt().isBefore(now.minus(SHORTEST_AUTO_EXPIRY))) {
            return false; // active within the shortest expiry a project can set: no settings read
        }
        Integer minutes = settings.project(key.project()).lockAutoExpireMinutes();
        if (minutes == null) {
            return false;
        }
        Instant idleBefore = now.minus(Duration.ofMinutes(minutes));
        if (!holder.lastActivityAt().isBefore(idleBefore) || !metadata.expireLock(key, holder.id(), idleBefore)) {
            return false;
        }
        recentHolders.released(key);
        audit.record(
                Principal.system(),
                AuditAction.LOCK_EXPIRED,
                key,
                Map.of("lockId", holder.id(), "idleMinutes", minutes));
        return true;
    }

    private static boolean isBlank(byte[] body) {
        for (byte b : body) {
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return false;
            }
        }
        return true;
    }
}
