package dev.statefort.server.http.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.statefort.core.testing.TestClock;
import dev.statefort.core.testing.WebhookReceiver;
import dev.statefort.core.testing.WebhookReceiver.Answer;
import dev.statefort.core.testing.WebhookReceiver.Received;
import dev.statefort.server.http.TestServer;
import dev.statefort.server.http.TestServer.Response;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Webhooks end to end over HTTP against a receiver on 127.0.0.1 (allowed by {@code
 * webhook-allowed-hosts}): the REST API and its audit, an apply cycle through the backend delivered in
 * order and signed, a failing receiver tried again with growing gaps, stale locks raised once, and the
 * addresses a webhook may never reach.
 */
class WebhooksHttpTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String STATE = "{\"version\":4,\"terraform_version\":\"1.11.4\",\"serial\":%d,"
            + "\"lineage\":\"l-1\",\"outputs\":{},\"resources\":[%s]}";
    private static final String RESOURCE = "{\"mode\":\"managed\",\"type\":\"null_resource\",\"name\":\"%s\","
            + "\"provider\":\"provider[\\\"registry.terraform.io/hashicorp/null\\\"]\",\"instances\":[{\"schema_version\":0,"
            + "\"attributes\":{\"id\":\"%s\",\"triggers\":null}}]}";

    @TempDir
    Path dir;

    private WebhookReceiver receiver;
    private TestServer server;
    private String admin;

    @BeforeEach
    void setUp() throws Exception {
        receiver = WebhookReceiver.start();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (server != null) {
            server.close();
        }
        receiver.close();
    }

    private void startServer(Clock clock, Map<String, String> settings) throws Exception {
        server = TestServer.start(dir.resolve("data"), clock, settings);
        admin = server.token(null, dev.statefort.core.model.Permission.ADMIN);
    }

    private void startAllowingTheReceiver() throws Exception {
        startServer(
                Clock.systemUTC(),
                Map.of(
                        "webhook-allowed-hosts", "127.0.0.1",
                        "webhook-allow-http", "on",
                        "webhook-retry-initial", "200ms"));
    }

    private JsonNode createWebhook(String url, String events) throws Exception {
        Response created = server.send(
                "POST",
                "/api/v1/projects/default/webhooks",
                "{\"url\":\"" + url + "\",\"events\":" + events + "}",
                admin);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json();
    }

    private static String state(int serial, String... resources) {
        StringBuilder all = new StringBuilder();
        for (String r : resources) {
            all.append(all.isEmpty() ? "" : ",").append(String.format(RESOURCE, r, r + "-id"));
        }
        return String.format(STATE, serial, all);
    }

    private void applyCycle(String state, String lockId, String body) {
        String lock = "{\"ID\":\"" + lockId + "\",\"Operation\":\"OperationTypeApply\",\"Who\":\"ci@runner\"}";
        assertThat(server.send("LOCK", "/tf/default/" + state, lock, admin).status())
                .isEqualTo(200);
        assertThat(server.send("POST", "/tf/default/" + state + "?ID=" + lockId, body, admin)
                        .status())
                .isEqualTo(200);
        assertThat(server.send("UNLOCK", "/tf/default/" + state, lock, admin).status())
                .isEqualTo(200);
    }

    private static String type(Received r) {
        try {
            return JSON.readTree(r.body()).path("type").asText();
        } catch (Exception e) {
            return "";
        }
    }

    @Test
    void anApplyCycleThroughTheBackendArrivesInOrderSignedAndWithItsCounts() throws Exception {
        startAllowingTheReceiver();
        String secret = createWebhook(receiver.url("/hook"), "[\"lock.acquired\",\"state.written\",\"lock.released\"]")
                .path("secret")
                .asText();
        applyCycle("net", "apply-1", state(1, "a"));
        applyCycle("net", "apply-2", state(2, "a", "b"));

        List<Received> got = receiver.await(r -> true, 6, WAIT);
        assertThat(got)
                .extracting(WebhooksHttpTest::type)
                .containsExactly(
                        "lock.acquired",
                        "state.written",
                        "lock.released",
                        "lock.acquired",
                        "state.written",
                        "lock.released");
        assertThat(got).allMatch(r -> r.signedWith(secret), "signed with the webhook's secret");
        assertThat(got).extracting(r -> r.header("webhook-id")).doesNotHaveDuplicates();
        JsonNode second = JSON.readTree(got.get(4).body()).path("data");
        assertThat(second.path("version").asLong()).isEqualTo(2);
        assertThat(second.path("serial").asLong()).isEqualTo(2);
        assertThat(second.path("resources").path("added").asInt()).isEqualTo(1);
        assertThat(second.path("resources").path("changed").asInt()).isZero();
        assertThat(second.path("resources").path("removed").asInt()).isZero();
        assertThat(second.path("size").asLong()).isPositive();
        assertThat(second.path("url").asText()).endsWith("/ui/projects/default/states/net");
        assertThat(JSON.readTree(got.get(0).body()).at("/data/detail/lockId").asText())
                .isEqualTo("apply-1");
        assertThat(got)
                .allMatch(r -> !r.body().contains("null_resource") && !r.body().contains(admin));
    }

    @Test
    void aReceiverThatFailsTwiceIsTriedThreeTimesWithGrowingGapsAndTheLogSaysSo() throws Exception {
        startAllowingTheReceiver();
        JsonNode created = createWebhook(receiver.url("/flaky"), "[\"lock.acquired\"]");
        String id = created.at("/webhook/id").asText();
        receiver.answer(new Answer(500, null), new Answer(500, null));
        String lock = "{\"ID\":\"L\",\"Operation\":\"OperationTypeApply\"}";
        assertThat(server.send("LOCK", "/tf/default/flaky", lock, admin).status())
                .isEqualTo(200);

        List<Received> attempts = receiver.await(r -> true, 3, WAIT);
        assertThat(attempts).hasSize(3);
        assertThat(attempts)
                .extracting(r -> r.header("webhook-id"))
                .containsOnly(attempts.get(0).header("webhook-id"));
        Duration first = Duration.between(attempts.get(0).at(), attempts.get(1).at());
        Duration second = Duration.between(attempts.get(1).at(), attempts.get(2).at());
        assertThat(first).isGreaterThanOrEqualTo(Duration.ofMillis(200));
        assertThat(second).isGreaterThanOrEqualTo(Duration.ofMillis(400)).isGreaterThan(first);

        JsonNode log = awaitDelivery(id, "delivered");
        assertThat(log.path("attempts").asInt()).isEqualTo(3);
        assertThat(log.path("lastStatus").asInt()).isEqualTo(200);
        assertThat(log.path("type").asText()).isEqualTo("lock.acquired");
    }

    private JsonNode awaitDelivery(String webhook, String status) throws Exception {
        long end = System.nanoTime() + WAIT.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < end) {
            Response r =
                    server.send("GET", "/api/v1/projects/default/webhooks/" + webhook + "/deliveries", null, admin);
            assertThat(r.status()).isEqualTo(200);
            last = r.json().path("items").path(0);
            if (status.equals(last.path("status").asText())) {
                return last;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the delivery never became " + status + ": " + last);
    }

    @Test
    void theRestApiShowsASecretOnceRotatesItPingsAndIsAudited() throws Exception {
        startAllowingTheReceiver();
        JsonNode created = createWebhook(receiver.url("/ops"), "[\"*\"]");
        String id = created.at("/webhook/id").asText();
        assertThat(created.path("secret").asText()).startsWith("whsec_");
        assertThat(created.at("/webhook/events").toString()).isEqualTo("[\"*\"]");

        Response listed = server.send("GET", "/api/v1/projects/default/webhooks", null, admin);
        assertThat(listed.body()).contains(id).doesNotContain("whsec_").doesNotContain("sealed");
        Response rotated =
                server.send("POST", "/api/v1/projects/default/webhooks/" + id + "/rotate-secret", null, admin);
        assertThat(rotated.status()).isEqualTo(200);
        String secret = rotated.json().path("secret").asText();
        assertThat(secret).isNotEqualTo(created.path("secret").asText());

        Response ping = server.send("POST", "/api/v1/projects/default/webhooks/" + id + "/ping", null, admin);
        assertThat(ping.status()).isEqualTo(202);
        List<Received> got = receiver.await(r -> type(r).equals("webhook.ping"), 1, WAIT);
        assertThat(got).hasSize(1);
        assertThat(got.get(0).signedWith(secret)).isTrue();
        assertThat(got.get(0).signedWith(created.path("secret").asText()))
                .as("the old secret")
                .isFalse();
        JsonNode log = awaitDelivery(id, "delivered");
        String event = log.path("event").asText();
        assertThat(event).isEqualTo(ping.json().path("event").asText());

        Response again = server.send(
                "POST", "/api/v1/projects/default/webhooks/" + id + "/deliveries/" + event + "/redeliver", null, admin);
        assertThat(again.status()).isEqualTo(202);
        assertThat(receiver.await(r -> type(r).equals("webhook.ping"), 2, WAIT)).hasSize(2);

        assertThat(server.send(
                                "POST",
                                "/api/v1/projects/default/webhooks",
                                "{\"url\":\"" + receiver.url("/x") + "\",\"events\":[\"lock.nope\"]}",
                                admin)
                        .status())
                .isEqualTo(400);
        String reader = server.token("default", dev.statefort.core.model.Permission.READ);
        assertThat(server.send("GET", "/api/v1/projects/default/webhooks", null, reader)
                        .status())
                .isEqualTo(403);
        assertThat(server.send("DELETE", "/api/v1/projects/default/webhooks/" + id, null, admin)
                        .status())
                .isEqualTo(204);
        assertThat(server.send("GET", "/api/v1/projects/default/webhooks/" + id, null, admin)
                        .status())
                .isEqualTo(404);

        Response audit = server.send("GET", "/api/v1/audit?project=default&limit=50", null, admin);
        assertThat(audit.body())
                .contains(
                        "webhook.create",
                        "webhook.rotate-secret",
                        "webhook.ping",
                        "webhook.redeliver",
                        "webhook.delete")
                .doesNotContain("whsec_");
    }

    @Test
    void aLockIdlePastTheThresholdRaisesOneStaleEvent() throws Exception {
        TestClock clock = new TestClock(Instant.now());
        startServer(clock, Map.of("webhook-allowed-hosts", "127.0.0.1", "webhook-allow-http", "on"));
        createWebhook(receiver.url("/stale"), "[\"lock.stale\"]");
        String lock = "{\"ID\":\"forgotten\",\"Operation\":\"OperationTypeApply\",\"Who\":\"ci@killed\"}";
        assertThat(server.send("LOCK", "/tf/default/stuck", lock, admin).status())
                .isEqualTo(200);

        clock.advance(Duration.ofMinutes(61)); // the default threshold is 60 minutes
        int raised = server.node().events().staleLocks().sweep()
                + server.node().events().staleLocks().sweep();
        assertThat(raised).isLessThanOrEqualTo(1); // the node's own sweeper may have been first
        List<Received> got = receiver.await(r -> type(r).equals("lock.stale"), 1, WAIT);
        assertThat(got).hasSize(1);
        JsonNode data = JSON.readTree(got.get(0).body()).path("data");
        assertThat(data.path("state").asText()).isEqualTo("stuck");
        assertThat(data.at("/detail/lockId").asText()).isEqualTo("forgotten");
        assertThat(data.at("/detail/who").asText()).isEqualTo("ci@killed");
        assertThat(server.node().events().staleLocks().sweep())
                .as("once per lock")
                .isZero();
        Thread.sleep(300);
        assertThat(receiver.received()).hasSize(1);
    }

    @Test
    void loopbackPrivateAndMetadataAddressesAreNeverContacted() throws Exception {
        startServer(Clock.systemUTC(), Map.of("webhook-allow-http", "on"));
        for (String url : List.of(
                receiver.url("/direct"),
                "http://169.254.169.254/latest/meta-data/",
                "http://10.0.0.1/hook",
                "http://[::1]:" + receiver.port() + "/v6")) {
            Response refused = server.send(
                    "POST", "/api/v1/projects/default/webhooks", "{\"url\":\"" + url + "\",\"events\":[\"*\"]}", admin);
            assertThat(refused.status()).as(url).isEqualTo(400);
            assertThat(refused.body()).contains("webhook-allowed-hosts");
        }
        // a name that resolves to a loopback address: accepted, refused when it would connect
        JsonNode byName = createWebhook("http://localhost:" + receiver.port() + "/by-name", "[\"*\"]");
        String id = byName.at("/webhook/id").asText();
        server.send("POST", "/api/v1/projects/default/webhooks/" + id + "/ping", null, admin);
        JsonNode log = awaitDelivery(id, "failed");
        assertThat(log.path("lastError").asText()).contains("refused", "localhost", "loopback");
        assertThat(log.path("attempts").asInt()).isEqualTo(1);
        assertThat(receiver.received()).as("never contacted").isEmpty();
    }

    @Test
    void aRedirectIsNotFollowed() throws Exception {
        startAllowingTheReceiver();
        try (WebhookReceiver inside = WebhookReceiver.start()) {
            JsonNode created = createWebhook(receiver.url("/redirecting"), "[\"*\"]");
            receiver.answer(new Answer(302, "http://localhost:" + inside.port() + "/metadata"));
            String id = created.at("/webhook/id").asText();
            server.send("POST", "/api/v1/projects/default/webhooks/" + id + "/ping", null, admin);
            JsonNode log = awaitDelivery(id, "failed");
            assertThat(log.path("lastStatus").asInt()).isEqualTo(302);
            assertThat(log.path("lastError").asText()).contains("redirects are not followed");
            assertThat(inside.received()).isEmpty();
        }
    }
}
