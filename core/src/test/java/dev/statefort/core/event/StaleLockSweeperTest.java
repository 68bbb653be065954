package dev.statefort.core.event;

import static org.assertj.core.api.Assertions.assertThat;

import dev.statefort.core.audit.AuditService;
import dev.statefort.core.model.AuditEvent;
import dev.statefort.core.model.AuditQuery;
import dev.statefort.core.model.LockInfo;
import dev.statefort.core.model.LockRequest;
import dev.statefort.core.model.StateKey;
import dev.statefort.core.policy.SettingsService;
import dev.statefort.core.testing.InMemoryMetadataStore;
import dev.statefort.core.testing.TestClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class StaleLockSweeperTest {
    private final TestClock clock = new TestClock(Instant.parse("2026-12-01T10:00:00Z"));
    private final InMemoryMetadataStore metadata = new InMemoryMetadataStore();
    private final AuditService audit = new AuditService(metadata, clock);
    private final SettingsService settings = new SettingsService(metadata, clock);

    private List<AuditEvent> staleEvents() {
        return metadata.listAudit(new AuditQuery("p", null, null, "lock.stale", null, null, 10, null));
    }

    @Test
    void aLockIdlePastItsProjectsThresholdRaisesOneStaleEventAcrossSweepers() {
        metadata.createProject("p", clock.instant());
        StateKey key = new StateKey("p", "net");
        LockInfo info = LockInfo.parse("{\"ID\":\"L1\",\"Operation\":\"OperationTypeApply\",\"Who\":\"ci@runner\"}"
                .getBytes(StandardCharsets.UTF_8));
        metadata.tryLock(key, new LockRequest(info, "token:ci", clock.instant()));
        StaleLockSweeper one = new StaleLockSweeper(metadata, settings, audit, clock);
        StaleLockSweeper two = new StaleLockSweeper(metadata, settings, audit, clock);

        clock.advance(Duration.ofMinutes(59));
        assertThat(one.sweep() + two.sweep())
                .as("the default threshold is 60 minutes")
                .isZero();
        clock.advance(Duration.ofMinutes(2));
        assertThat(one.sweep() + two.sweep()).isEqualTo(1);
        assertThat(one.sweep() + two.sweep()).as("once per lock").isZero();

        List<AuditEvent> raised = staleEvents();
        assertThat(raised).hasSize(1);
        assertThat(EventTypes.of(raised.get(0))).isEqualTo("lock.stale");
        assertThat(raised.get(0).state()).isEqualTo("net");
        assertThat(raised.get(0).detail())
                .contains(
                        "\"lockId\":\"L1\"",
                        "\"who\":\"ci@runner\"",
                        "\"holder\":\"token:ci\"",
                        "\"staleAfterMinutes\":60");
    }
}
