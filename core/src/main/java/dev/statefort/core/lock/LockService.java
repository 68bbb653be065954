package dev.statefort.core.lock;

import dev.statefort.core.InvalidInputException;
import dev.statefort.core.audit.AuditAction;
import dev.statefort.core.audit.AuditService;
import dev.statefort.core.auth.AccessDeniedException;
import dev.statefort.core.auth.AuthenticationRequiredException;
import dev.statefort.core.auth.Authorization;
import dev.statefort.core.auth.Principal;
import dev.statefort.core.model.AuditEvent;
import dev.statefort.core.model.Freeze;
import dev.statefort.core.model.LockInfo;
import dev.statefort.core.model.LockRecord;
import dev.statefort.core.model.LockRequest;
import dev.statefort.core.model.LockResult;
import dev.statefort.core.model.Permission;
import dev.statefort.core.model.ProjectRecord;
import dev.statefort.core.model.ProtectionRule;
import dev.statefort.core.model.StateKey;
import dev.statefort.core.model.StateRecord;
import dev.statefort.core.model.UnlockResult;
import dev.statefort.core.policy.SettingsService;
import dev.statefort.core.spi.MetadataStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
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

    /** The {@code Operation} Terraform and OpenTofu send in the LockInfo of a plan. */
    public static final String PLAN_OPERATION = "OperationTypePlan";

    private final MetadataStore metadata;
    private final SettingsService settings;
    private final AuditService audit;
    private final Clock clock;
    private final StateProtection protection;
    private final RecentHolders recentHolders = new RecentHolders();
    /** Only where every lock change goes through this node: another node's UNLOCK would go unseen. */
    private final boolean refuseFromMemory;

    private final RepeatedRefusals repeatedRefusals = new RepeatedRefusals();

    public LockService(MetadataStore metadata, SettingsService settings, AuditService audit, Clock clock) {
        this.metadata = metadata;
        this.settings = settings;
        this.audit = audit;
        this.clock = clock;
        this.protection = new StateProtection(metadata.access(), audit, clock);
        this.refuseFromMemory = metadata.locksChangeOnlyHere();
    }

    /** The protection rules every change of a state asks (the write paths share them). */
    public StateProtection protection() {
        return protection;
    }

    /** Forgets the holder this node saw for {@code key} (its state was deleted, lock and all). */
    public void forgetHolder(StateKey key) {
        recentHolders.released(key);
    }

    /**
     * LOCK: {@code lockInfoJson} is the client's LockInfo, stored exactly. A plan's LOCK ({@code
     * Operation} {@value #PLAN_OPERATION}) takes a shared plan lock and needs read, unless the
     * project turned {@code sharedPlanLocks} off; every other LOCK takes the exclusive lock, needs
     * write and, on a protected state, an identity the protection rule allows (else the client is
     * shown the rule's message as the holder, 423).
     */
    public LockResult lock(Principal actor, StateKey key, byte[] lockInfoJson) {
        Authorization.require(actor, key, Permission.READ);
        LockInfo info = LockInfo.parse(lockInfoJson);
        if (info.id().length() > LockInfo.MAX_QUERY_ID_LENGTH) {
            // a write names its lock in ?ID=, which is at most this long: a longer lock could never write
            throw new InvalidInputException("lock ID is longer than " + LockInfo.MAX_QUERY_ID_LENGTH + " characters");
        }
        boolean plan = PLAN_OPERATION.equals(info.operation())
                && settings.project(key.project()).sharesPlanLocks();
        if (!plan) {
            Authorization.require(actor, key, Permission.WRITE);
        }
        Instant now = clock.instant();
        if (plan && !actor.allows(key, Permission.WRITE)) {
            Authorization.requireOn(actor, key, Permission.READ, metadata);
            if (metadata.findState(key).isEmpty()) {
                // read permission creates no state: a plan of a state that does not exist has nothing to
                // keep from changing, and its UNLOCK will find nothing held
                return new LockResult.Acquired(
                        new LockRecord(info, actor.name(), now, now, null, LockRecord.Kind.PLAN));
            }
        }
        Optional<LockRecord> seen = refuseFromMemory
                ? recentHolders.otherThan(key, info.id(), now.minus(SHORTEST_AUTO_EXPIRY))
                : Optional.empty();
        if (seen.isPresent()) {
            // held by someone else: refused without a read (a protection rule is told once it is free)
            auditRefusal(actor, key, info.id(), seen.get());
            return new LockResult.HeldBy(seen.get());
        }
        if (!plan) {
            Optional<ProtectionRule> rule = protection.refusing(actor, key);
            if (rule.isPresent()) {
                // audited once per series of retries (-lock-timeout), as a refusal by a holder is
                boolean first = repeatedRefusals.first(
                        key,
                        actor.name(),
                        info.id(),
                        "protection rule " + rule.get().number());
                return new LockResult.HeldBy(protection.refusalAtLock(actor, key, rule.get(), first));
            }
        }
        AuditEvent granted = audit.pending(
                actor,
                AuditAction.LOCK_ACQUIRE,
                AuditEvent.OK,
                key.project(),
                key.name(),
                Map.of(
                        "lockId",
                        info.id(),
                        "operation",
                        String.valueOf(info.operation()),
                        "kind",
                        plan ? "plan" : "exclusive"));
        LockRequest request = new LockRequest(info, actor.name(), now, granted, actor.lockBinding(), plan);
        LockResult result = metadata.tryLock(key, request);
        if (result instanceof LockResult.HeldBy held
                && held.holder().kind().held()
                && expireIfIdle(key, held.holder(), now)) {
            result = metadata.tryLock(key, request);
        }
        switch (result) {
            case LockResult.Acquired a -> {
                if (!a.lock().plan()) {
                    recentHolders.held(key, a.lock());
                }
                LOG.debug("state {} locked by {} ({})", key, actor.name(), info.id());
                audit.logged(granted);
            }
            case LockResult.HeldBy held -> {
                if (held.holder().kind() == LockRecord.Kind.EXCLUSIVE) {
                    recentHolders.held(key, held.holder());
                }
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

    /**
     * UNLOCK: an empty body releases whatever is held, every plan lock included (Terraform's
     * force-unlock); a body releases the holder of its ID. Needs write, except to release a plan
     * lock by its ID (read). Releasing someone else's exclusive lock on a protected state without
     * its ID needs an identity the rule allows, or admin (audited as a bypass). A freeze is never
     * released here: with nothing held, a force-unlock on a frozen state is shown the freeze (423).
     */
    public UnlockResult unlock(Principal actor, StateKey key, byte[] body) {
        String lockId = isBlank(body) ? null : LockInfo.parse(body).id();
        if (!actor.allows(key, Permission.WRITE)) {
            return releasePlanLock(actor, key, lockId);
        }
        Authorization.requireOn(actor, key, Permission.WRITE, metadata);
        if (actor.graceLockId() != null && !actor.graceLockId().equals(lockId)) {
            // an expired OIDC token finishing its apply releases its own lock, never whatever is held
            throw new AuthenticationRequiredException(
                    "the OIDC token has expired: it may only release the lock " + actor.graceLockId() + " it took");
        }
        Map<String, Object> detail = protectedRelease(actor, key, lockId);
        UnlockResult result = release(actor, key, lockId, detail);
        // a force-unlock (or OpenTofu's, typing the freeze's ID) is told the freeze is still there; a
        // client's repeated UNLOCK of its own lock stays a 200, as the protocol wants
        boolean aimsAtTheFreeze = lockId == null || lockId.startsWith(Freeze.ID_PREFIX);
        if (result instanceof UnlockResult.NotLocked && aimsAtTheFreeze) {
            Optional<Freeze> freeze = metadata.findFreeze(key, clock.instant());
            if (freeze.isPresent()) {
                return new UnlockResult.Frozen(freeze.get().asHolder());
            }
        }
        return result;
    }

    /**
     * A reader's UNLOCK: it releases a plan lock by its ID and nothing else, in the store (so no
     * exclusive lock granted meanwhile under that ID is ever released); a repeated UNLOCK of a plan
     * lock already released is 200. An empty body (force-unlock) or the exclusive holder's ID: 403.
     */
    private UnlockResult releasePlanLock(Principal actor, StateKey key, String lockId) {
        Authorization.requireOn(actor, key, Permission.READ, metadata);
        if (lockId == null
                || metadata.findLock(key).map(l -> l.id().equals(lockId)).orElse(false)) {
            throw new AccessDeniedException("releasing the exclusive lock (or every lock, a force-unlock) needs"
                    + " write permission; with read permission only a plan lock is released");
        }
        AuditEvent released =
                audit.pending(actor, AuditAction.LOCK_RELEASE, AuditEvent.OK, key.project(), key.name(), Map.of());
        UnlockResult result = metadata.unlockPlanLock(key, lockId, released);
        if (result instanceof UnlockResult.Released) {
            audit.logged(released.forReleasedLock(lockId));
        }
        return result;
    }

    /**
     * Before releasing someone else's exclusive lock (a force-unlock, or an UNLOCK naming its ID) on a
     * protected state: it needs an identity the rule allows or admin; the audit detail says when
     * admin bypassed a rule. The rules are read first: on a state no rule refuses the actor, no lock
     * is read.
     */
    private Map<String, Object> protectedRelease(Principal actor, StateKey key, String lockId) {
        Optional<ProtectionRule> rule = protection.refusing(actor, key);
        if (rule.isEmpty()) {
            return Map.of();
        }
        Optional<LockRecord> exclusive = metadata.findLock(key);
        if (exclusive.isEmpty()
                || exclusive.get().principal().equals(actor.name())
                || (lockId != null && !exclusive.get().id().equals(lockId))) {
            return Map.of(); // nothing of someone else's is released (plan locks never protect a change)
        }
        if (!actor.allows(key, Permission.ADMIN)) {
            throw protection.denied(actor, key, rule.get(), lockId == null ? "force-unlock" : "unlock");
        }
        return Map.of("bypass", "protection rule " + rule.get().number());
    }

    /** Releases whatever lock is held (admin; the UI's and the API's force-unlock); true if one was. */
    public boolean forceUnlock(Principal actor, StateKey key) {
        Authorization.requireOn(actor, key, Permission.ADMIN, metadata);
        Map<String, Object> detail = protectedRelease(actor, key, null); // an admin: a bypass, never a refusal
        return release(actor, key, null, detail) instanceof UnlockResult.Released;
    }

    private UnlockResult release(Principal actor, StateKey key, String lockId, Map<String, Object> detail) {
        AuditAction action = lockId == null ? AuditAction.LOCK_FORCE_UNLOCK : AuditAction.LOCK_RELEASE;
        AuditEvent released = audit.pending(actor, action, AuditEvent.OK, key.project(), key.name(), detail);
        UnlockResult result = metadata.unlock(key, lockId, released);
        switch (result) {
            case UnlockResult.Released r -> {
                recentHolders.released(key);
                for (LockRecord lock : r.all()) {
                    LOG.debug(
                            "state {} unlocked by {} ({}{})",
                            key,
                            actor.name(),
                            lock.id(),
                            lockId == null ? ", forced" : "");
                    audit.logged(released.forReleasedLock(lock.id()));
                }
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
            case UnlockResult.Frozen f -> {
                // never from the store
            }
        }
        return result;
    }

    /**
     * The holders (read): the exclusive lock, or every plan lock oldest first, each with whether it
     * is stale (idle longer than the project's setting); empty when nothing is held.
     */
    public List<LockView> holders(Principal actor, StateKey key) {
        Authorization.requireOn(actor, key, Permission.READ, metadata);
        List<LockRecord> held = metadata.findLocks(key);
        if (held.isEmpty()) {
            return List.of();
        }
        Duration staleAfter = Duration.ofMinutes(settings.project(key.project()).lockStaleMinutes());
        Instant now = clock.instant();
        return held.stream()
                .map(l -> new LockView(l, l.staleAt(now, staleAfter)))
                .toList();
    }

    /** How many lock holders (exclusive and plan) are held across all projects, and how many of them are stale. */
    public record Census(long held, long stale) {}

    /** Counts every lock holder and the stale ones (walks every project's states: for gauges, not per request). */
    public Census census() {
        Instant now = clock.instant();
        long held = 0;
        long stale = 0;
        for (ProjectRecord project : metadata.listProjects()) {
            Duration staleAfter =
                    Duration.ofMinutes(settings.project(project.name()).lockStaleMinutes());
            for (StateRecord state : metadata.listStates(project.name())) {
                List<LockRecord> holders = state.lock() != null
                        ? List.of(state.lock())
                        : state.planLocks() > 0 ? metadata.findLocks(state.key()) : List.of();
                for (LockRecord holder : holders) {
                    held++;
                    if (holder.staleAt(now, staleAfter)) {
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
