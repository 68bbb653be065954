package dev.statefort.store.tck;

import dev.statefort.core.spi.MetadataStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;

/**
 * The contract of {@link MetadataStore}, sentence by sentence, in one group per concern. An
 * implementation's test extends this class and implements {@link #newStore()} (and {@link #cleanup}
 * when the default {@code close()} is not enough): every group below runs against a fresh store
 * per test. A new concern is a new group class and one line here.
 */
public abstract class MetadataStoreContract extends MetadataStoreHelpers {

    /** A fresh, empty store (no projects, states or tokens). */
    protected abstract MetadataStore newStore() throws Exception;

    /** Releases what {@link #newStore} made; the default closes the store. */
    protected void cleanup(MetadataStore store) throws Exception {
        store.close();
    }

    @BeforeEach
    final void openStore() throws Exception {
        store = newStore();
    }

    @AfterEach
    final void closeStore() throws Exception {
        if (store != null) {
            cleanup(store);
        }
    }

    @Nested
    class Projects extends ProjectContract {}

    @Nested
    class Locks extends LockContract {}

    @Nested
    class LockExpiry extends LockExpiryContract {}

    @Nested
    class PlanLocks extends PlanLockContract {}

    @Nested
    class Freezes extends FreezeContract {}

    @Nested
    class Versions extends VersionContract {}

    @Nested
    class History extends HistoryContract {}

    @Nested
    class Quarantine extends QuarantineContract {}

    @Nested
    class StateDeletion extends StateDeletionContract {}

    @Nested
    class SmallBlobs extends SmallBlobContract {}

    @Nested
    class Settings extends SettingsContract {}

    @Nested
    class Audit extends AuditContract {}

    @Nested
    class Tokens extends TokenContract {}

    @Nested
    class Users extends UserContract {}

    @Nested
    class AliasesAndSessions extends AliasAndSessionContract {}

    @Nested
    class TrustPolicies extends TrustPolicyContract {}

    @Nested
    class ProtectionRules extends ProtectionRuleContract {}

    @Nested
    class UploadGrants extends UploadGrantContract {}

    @Nested
    class Webhooks extends WebhookContract {}

    @Nested
    class Fleet extends FleetContract {}

    @Nested
    class JointCommits extends JointCommitContract {}

    @Nested
    class KeyMaterial extends KeyMaterialContract {}

    @Nested
    class Health extends HealthContract {}
}
