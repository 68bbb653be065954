package dev.statefort.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AuditEventTest {
    @Test
    void idsOfOneMillisecondKeepTheOrderTheyWereMadeIn() {
        Instant at = Instant.parse("2026-12-01T10:00:00.123Z");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            ids.add(AuditEvent.newId(at));
        }

        assertThat(ids).isSorted().doesNotHaveDuplicates();
        assertThat(ids.get(0))
                .startsWith(String.format("%016d-", at.toEpochMilli()))
                .hasSizeLessThanOrEqualTo(64);
        assertThat(AuditEvent.newId(at.plusMillis(1))).isGreaterThan(ids.get(999));
    }
}
