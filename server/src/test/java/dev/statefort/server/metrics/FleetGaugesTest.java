package dev.statefort.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The fleet's gauges: one series per project and gauge (never one per state), a project gone dropped. */
class FleetGaugesTest {
    @Test
    void theFleetIsCountedByProjectOnly() {
        try (NodeMetrics metrics = new NodeMetrics()) {
            metrics.fleetCounts(Map.of("default", new long[] {3, 1, 120}, "other", new long[] {2, 0, 7}));
            String scraped = metrics.scrape();
            assertThat(scraped)
                    .contains("statefort_fleet_states{project=\"default\"} 3.0")
                    .contains("statefort_fleet_states_locked{project=\"default\"} 1.0")
                    .contains("statefort_fleet_resources{project=\"other\"} 7.0")
                    .doesNotContain("state=\"");

            metrics.fleetCounts(Map.of("default", new long[] {4, 0, 121}));
            assertThat(metrics.scrape())
                    .contains("statefort_fleet_states{project=\"default\"} 4.0")
                    .doesNotContain("project=\"other\"");
        }
    }
}
