package dev.statefort.core.spi;

import dev.statefort.core.model.CommitResult;
import dev.statefort.core.model.DeleteResult;
import dev.statefort.core.model.LockResult;
import dev.statefort.core.model.ProjectNotFoundException;
import dev.statefort.core.model.UnlockResult;
import java.time.Instant;

/**
 * Projects, states, versions, locks, tokens, audit and keys: the metadata of one deployment, split
 * by concern into the interfaces it extends ({@link StateStore}, {@link LockStore}, ...), each of
 * which holds the contract of its methods as Javadoc. Every implementation passes {@code
 * MetadataStoreContract} in store-tck.
 *
 * <p>General rules:
 *
 * <ul>
 *   <li>Every state change is one atomic conditional write: two nodes sharing one database never
 *       both win a lock, never assign the same version number, never lose a committed version.
 *   <li>Conditional outcomes come back as sealed results ({@link LockResult}, {@link
 *       UnlockResult}, {@link CommitResult}, {@link DeleteResult}); "not found" is an empty
 *       Optional or a {@link ProjectNotFoundException}; infrastructure failure is a {@link
 *       StoreUnavailableException}. No method turns a failure into data.
 *   <li>A state row is created by its first {@link #tryLock} or {@link #commitVersion}; both throw
 *       {@link ProjectNotFoundException} when the project does not exist.
 *   <li>Locks belong to the state, not to a connection or session: they survive restarts.
 *   <li>Lists are ordered: projects and states by name (by UTF-16 code unit, as {@link
 *       String#compareTo}), versions newest first, tokens by creation time (then ID).
 *   <li>Times are kept at millisecond precision: every {@link Instant} read back equals the one
 *       written, truncated to milliseconds.
 * </ul>
 */
public interface MetadataStore
        extends ProjectStore,
                StateStore,
                LockStore,
                QuarantineStore,
                SettingsStore,
                AuditStore,
                TokenStore,
                KeyMaterialStore,
                SmallBlobStore,
                WebhookStore,
                FleetStore,
                AutoCloseable {

    // ---- access -------------------------------------------------------------------------------

    /** Users, memberships, aliases and sessions, in the same database. */
    AccessStore access();

    // ---- health -------------------------------------------------------------------------------

    /** Checks the database answers; throws {@link StoreUnavailableException} if not. */
    void ping();

    @Override
    default void close() {}
}
