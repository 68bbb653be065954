package dev.statefort.store.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.statefort.core.model.LockRecord;
import dev.statefort.core.model.StateKey;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Times kept at millisecond precision, and the health check. A group of {@link MetadataStoreContract}. */
public abstract class HealthContract extends MetadataStoreContractGroup {
    @Test
    void timesAreKeptAtMillisecondPrecision() {
        Instant precise = Instant.parse("2031-12-31T23:59:59.999999999Z");
        store.createProject("p", precise);
        assertThat(store.findProject("p").orElseThrow().createdAt())
                .isEqualTo(Instant.parse("2031-12-31T23:59:59.999Z"));
        StateKey key = new StateKey("p", "s");
        LockRecord held = lock(key, "L1", precise);
        assertThat(held.acquiredAt()).isEqualTo(ms(precise));
        assertThat(store.findLock(key).orElseThrow().lastActivityAt()).isEqualTo(ms(precise));
        assertThat(commit(key, "k", precise, "L1").createdAt()).isEqualTo(ms(precise));
        assertThat(store.headVersion(key).orElseThrow().createdAt()).isEqualTo(ms(precise));
    }

    @Test
    void pingSucceedsOnAHealthyStore() {
        store.ping();
    }
}
