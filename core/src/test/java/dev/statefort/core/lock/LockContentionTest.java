package dev.statefort.core.lock;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.statefort.core.audit.AuditService;
import dev.statefort.core.model.AuditEvent;
import dev.statefort.core.model.AuditQuery;
import dev.statefort.core.model.LockResult;
import dev.statefort.core.model.StateKey;
import dev.statefort.core.model.UnlockResult;
import dev.statefort.core.policy.SettingsService;
import dev.statefort.core.spi.MetadataStore;
import dev.statefort.core.testing.InMemoryMetadataStore;
import dev.statefort.core.testing.TestClock;
import dev.statefort.core.testing.TestPrincipals;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Issue 27 point 5: clients racing for a held lock are refused from memory (no store call), each
 * series of retries is audited once, and a release through the service lets the next LOCK in at once.
 */
class LockContentionTest {
    private final InMemoryMetadataStore stored = new InMemoryMetadataStore();
    private final AtomicInteger lockCalls = new AtomicInteger();
    private final MetadataStore metadata = counting(stored, lockCalls, true);
    private final TestClock clock = new TestClock();
    private final AuditService audit = new AuditService(metadata, clock);
    private final LockService locks = new LockService(metadata, new SettingsService(metadata, clock), audit, clock);
    private final StateKey key = new StateKey("p", "s");

    /** The store, counting the calls a LOCK makes of it (tryLock and findLock). */
    private static MetadataStore counting(MetadataStore store, AtomicInteger calls, boolean singleNode) {
        return (MetadataStore) Proxy.newProxyInstance(
                MetadataStore.class.getClassLoader(), new Class<?>[] {MetadataStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("locksChangeOnlyHere")) {
                        return singleNode;
                    }
                    if (method.getName().equals("tryLock") || method.getName().equals("findLock")) {
                        calls.incrementAndGet();
                    }
                    try {
                        return method.invoke(store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private static byte[] lockInfo(String id) {
        return ("{\"ID\":\"" + id + "\",\"Operation\":\"OperationTypeApply\"}").getBytes(UTF_8);
    }

    private List<AuditEvent> refusals() {
        return metadata.listAudit(new AuditQuery("p", "s", "lock.acquire", 1000, null)).stream()
                .filter(e -> e.outcome().equals(AuditEvent.REFUSED))
                .toList();
    }

    @Test
    void racersAreRefusedFromMemoryAndAuditedOncePerSeries() {
        stored.createProject("p", Instant.EPOCH);
        assertThat(locks.lock(TestPrincipals.admin("holder"), key, lockInfo("h")))
                .isInstanceOf(LockResult.Acquired.class);
        int callsWhenHeld = lockCalls.get();

        for (int i = 0; i < 100; i++) {
            LockResult refused = locks.lock(TestPrincipals.admin("racer"), key, lockInfo("r"));
            assertThat(refused).isInstanceOf(LockResult.HeldBy.class);
            assertThat(((LockResult.HeldBy) refused).holder().id()).isEqualTo("h");
        }

        assertThat(lockCalls.get()).as("100 refusals, none asked of the store").isEqualTo(callsWhenHeld);
        assertThat(refusals()).as("one series of retries, one audit row").hasSize(1);
        locks.lock(TestPrincipals.admin("racer"), key, lockInfo("other-run"));
        assertThat(refusals()).as("another lock ID is another series").hasSize(2);
    }

    @Test
    void whereNodesShareTheStoreEveryLockIsAskedOfIt() {
        stored.createProject("p", Instant.EPOCH);
        AtomicInteger calls = new AtomicInteger();
        MetadataStore shared = counting(stored, calls, false);
        LockService node =
                new LockService(shared, new SettingsService(shared, clock), new AuditService(shared, clock), clock);
        node.lock(TestPrincipals.admin("holder"), key, lockInfo("h"));
        int before = calls.get();

        node.lock(TestPrincipals.admin("racer"), key, lockInfo("r"));
        // another node releases the lock: this node must not refuse the next LOCK from memory
        stored.unlock(key, "h", null);

        assertThat(node.lock(TestPrincipals.admin("racer"), key, lockInfo("r")))
                .isInstanceOf(LockResult.Acquired.class);
        assertThat(calls.get() - before).as("both LOCKs asked of the store").isGreaterThanOrEqualTo(2);
    }

    @Test
    void aReleaseThroughTheServiceLetsTheNextLockInAtOnce() {
        stored.createProject("p", Instant.EPOCH);
        locks.lock(TestPrincipals.admin("holder"), key, lockInfo("h"));
        assertThat(locks.lock(TestPrincipals.admin("racer"), key, lockInfo("r")))
                .isInstanceOf(LockResult.HeldBy.class);

        assertThat(locks.unlock(TestPrincipals.admin("holder"), key, lockInfo("h")))
                .isInstanceOf(UnlockResult.Released.class);

        assertThat(locks.lock(TestPrincipals.admin("racer"), key, lockInfo("r")))
                .isInstanceOf(LockResult.Acquired.class);
    }

    @Test
    void aHolderIdleLongerThanTheShortestExpiryIsAskedOfTheStore() {
        stored.createProject("p", Instant.EPOCH);
        locks.lock(TestPrincipals.admin("holder"), key, lockInfo("h"));
        locks.lock(TestPrincipals.admin("racer"), key, lockInfo("r"));
        int before = lockCalls.get();
        clock.advance(Duration.ofMinutes(2));

        assertThat(locks.lock(TestPrincipals.admin("racer"), key, lockInfo("r")))
                .isInstanceOf(LockResult.HeldBy.class);

        assertThat(lockCalls.get())
                .as("the store decides whether an idle lock expires")
                .isGreaterThan(before);
    }
}
