package dev.statefort.core.workspace;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.statefort.core.ConflictException;
import dev.statefort.core.auth.AccessDeniedException;
import dev.statefort.core.auth.Authorization;
import dev.statefort.core.auth.Principal;
import dev.statefort.core.lock.LockService;
import dev.statefort.core.model.LockRecord;
import dev.statefort.core.model.LockResult;
import dev.statefort.core.model.Permission;
import dev.statefort.core.model.StateKey;
import dev.statefort.core.model.UnlockResult;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Objects;
import java.util.UUID;

/**
 * A TFE client's workspace lock, which is the state's exclusive lock: taken under a new ID in the
 * caller's name, released by its holder, force-released by anyone with write. A TFE lock blocks a
 * {@code /tf/} LOCK and the reverse. The TFE API does not say which command locks, so the lock is
 * always exclusive (a plan through a {@code cloud} block needs write, unlike a plan through {@code /tf/}).
 */
public final class WorkspaceLocks {
    /** The operation a TFE lock shows to other clients. */
    public static final String LOCK_OPERATION = "OperationTypeTfeWorkspace";

    public static final String LOCK_ID_PREFIX = "tfe-";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final LockService locks;
    private final Clock clock;

    public WorkspaceLocks(LockService locks, Clock clock) {
        this.locks = locks;
        this.clock = clock;
    }

    /**
     * Whether {@code actor} holds {@code lock}: the same principal and, when the lock is bound to the
     * credential that took it (an OIDC ID token), the same credential. Two jobs that share one API
     * token are one principal: give each job its own token or CI identity.
     */
    public static boolean heldBy(LockRecord lock, Principal actor) {
        return Objects.equals(lock.principal(), actor.name())
                && (lock.credential() == null || lock.credential().equals(actor.lockBinding()));
    }

    /**
     * Takes the state's lock under a new ID, with {@code reason} as its {@code Info}.
     *
     * @throws ConflictException while anyone holds it (the one refusal a client waits out), an
     *     earlier lock of the same principal included, and while a freeze is in force
     * @throws AccessDeniedException when a protection rule refuses the caller (waiting never helps)
     */
    public LockRecord lock(Principal actor, StateKey key, String reason, String clientVersion) {
        ObjectNode info = JSON.createObjectNode();
        info.put("ID", LOCK_ID_PREFIX + UUID.randomUUID());
        info.put("Operation", LOCK_OPERATION);
        info.put("Info", reason == null ? "" : reason);
        info.put("Who", actor.name());
        info.put("Version", clientVersion == null ? "" : clientVersion);
        info.put("Created", clock.instant().toString());
        info.put("Path", "");
        LockResult result = locks.lock(actor, key, info.toString().getBytes(StandardCharsets.UTF_8));
        return switch (result) {
            case LockResult.Acquired acquired -> acquired.lock();
            case LockResult.HeldBy held
            when held.holder().kind() == LockRecord.Kind.PROTECTION ->
                throw new AccessDeniedException(held.holder().id());
            case LockResult.HeldBy held ->
                throw new ConflictException(
                        "workspace " + key.name() + " is already locked by " + describe(held.holder()));
        };
    }

    /** Releases the caller's own lock; 409 when nothing is held, or someone else holds it. */
    public void unlock(Principal actor, StateKey key) {
        Authorization.require(actor, key, Permission.WRITE);
        LockRecord holder = locks.holders(actor, key).stream()
                .map(view -> view.lock())
                .filter(lock -> lock.kind() == LockRecord.Kind.EXCLUSIVE)
                .findFirst()
                .orElseThrow(() -> new ConflictException("workspace " + key.name() + " is not locked"));
        if (!heldBy(holder, actor)) {
            throw new ConflictException("workspace " + key.name() + " is locked by User " + describe(holder)
                    + ": only its holder unlocks it; force-unlock releases it");
        }
        if (locks.unlock(actor, key, holder.info().json()) instanceof UnlockResult.HeldBy held) {
            throw new ConflictException("workspace " + key.name() + " is locked by " + describe(held.holder()));
        }
    }

    /** Releases whatever lock is held (Terraform's {@code force-unlock <org>/<workspace>}); 409 when none is. */
    public void forceUnlock(Principal actor, StateKey key) {
        switch (locks.unlock(actor, key, new byte[0])) {
            case UnlockResult.Released released -> {}
            case UnlockResult.NotLocked none ->
                throw new ConflictException("workspace " + key.name() + " is not locked");
            case UnlockResult.Frozen frozen ->
                throw new ConflictException("workspace " + key.name() + " is frozen: "
                        + frozen.shown().id());
            case UnlockResult.HeldBy held ->
                throw new ConflictException("workspace " + key.name() + " is locked by " + describe(held.holder()));
        }
    }

    /** Who holds it, as a refused client is shown it. */
    static String describe(LockRecord holder) {
        String operation = holder.info().operation();
        return holder.principal() + " (lock ID " + holder.id() + (operation == null ? "" : ", " + operation) + ")";
    }
}
