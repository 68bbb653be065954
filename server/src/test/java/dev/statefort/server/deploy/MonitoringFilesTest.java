package dev.statefort.server.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.statefort.core.model.Permission;
import dev.statefort.server.http.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * Issue 16 point 1: the Grafana dashboard and the alert rules in {@code docs/} only use metrics a
 * real node exposes, so neither draws an empty panel nor an alert that can never fire.
 */
class MonitoringFilesTest {
    private static final Path DOCS =
            Path.of(System.getProperty("user.dir")).getParent().resolve("docs");
    private static final Pattern METRIC = Pattern.compile("\\b((?:statefort|disk|jvm|process)_[a-z0-9_]+)");

    @TempDir
    Path tmp;

    @Test
    void everyMetricOfTheDashboardAndTheAlertsIsExposed() throws Exception {
        List<String> expressions = new ArrayList<>();
        JsonNode dashboard = new ObjectMapper()
                .readTree(DOCS.resolve("grafana-dashboard.json").toFile());
        dashboard.findValues("expr").forEach(e -> expressions.add(e.asText()));
        dashboard.findValues("query").forEach(e -> expressions.add(e.asText()));
        int dashboardExpressions = expressions.size();
        assertThat(dashboardExpressions).as("queries in the dashboard").isGreaterThan(10);

        Map<String, Object> rules = new Yaml().load(Files.readString(DOCS.resolve("prometheus-alerts.yml")));
        for (Object group : (List<?>) rules.get("groups")) {
            for (Object rule : (List<?>) ((Map<?, ?>) group).get("rules")) {
                Map<?, ?> r = (Map<?, ?>) rule;
                assertThat(r.get("alert")).as("every rule is an alert").isNotNull();
                assertThat(((Map<?, ?>) r.get("annotations")).get("summary")).isNotNull();
                expressions.add(String.valueOf(r.get("expr")));
            }
        }
        assertThat(expressions.size() - dashboardExpressions).as("alert rules").isGreaterThanOrEqualTo(4);

        Set<String> used = new TreeSet<>();
        for (String expr : expressions) {
            Matcher m = METRIC.matcher(expr);
            while (m.find()) {
                used.add(m.group(1));
            }
        }
        String scrape = scrapeAfterTraffic();
        Set<String> missing = new TreeSet<>();
        for (String metric : used) {
            if (!Pattern.compile("(?m)^" + metric + "[{ ]").matcher(scrape).find()) {
                missing.add(metric);
            }
        }
        assertThat(missing)
                .as("metrics the dashboard or the alerts use that no node exposes")
                .isEmpty();
        assertThat(used)
                .contains("statefort_locks_stale", "statefort_store_operations_seconds_bucket", "disk_free_bytes");
    }

    /** A node that wrote, read, waited for a lock, refused a credential and checked its storage. */
    private String scrapeAfterTraffic() throws Exception {
        try (TestServer server = TestServer.start(tmp.resolve("data"), Clock.systemUTC())) {
            String writer = server.token("default", Permission.WRITE);
            String state = "{\"version\":4,\"serial\":1,\"lineage\":\"d\"}";
            server.send("POST", "/tf/default/dash", state, writer);
            server.send("GET", "/tf/default/dash", null, writer);
            server.send("GET", "/tf/default/dash", null, writer);
            server.send("LOCK", "/tf/default/dash", "{\"ID\":\"a\"}", writer);
            server.send("LOCK", "/tf/default/dash", "{\"ID\":\"b\"}", writer);
            server.send("GET", "/tf/default/dash", null, "sft_wrong");
            server.node().storage().health().check();
            String admin = server.token(null, Permission.ADMIN);
            String scrape = server.send("GET", "/metrics", null, admin).body();
            // a collection's pause is reported when the JVM says so (asynchronously): ask for one
            for (int i = 0; i < 50 && !scrape.contains("jvm_gc_pause_seconds_sum"); i++) {
                System.gc();
                Thread.sleep(100);
                scrape = server.send("GET", "/metrics", null, admin).body();
            }
            return scrape;
        }
    }
}
