package dev.statefort.it.events;

import static dev.statefort.it.support.StatefortClient.statePath;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.statefort.core.testing.WebhookReceiver;
import dev.statefort.core.testing.WebhookReceiver.Received;
import dev.statefort.it.support.RealServer;
import dev.statefort.it.support.StatefortClient;
import dev.statefort.it.support.StatefortClient.Response;
import dev.statefort.it.support.StatefortProcess;
import dev.statefort.it.support.TerraformCli;
import dev.statefort.it.support.TerraformConfigs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 31 with the real jar: the real {@code terraform apply} produces {@code lock.acquired},
 * {@code state.written} and {@code lock.released}, in that order, signed, at a receiver on 127.0.0.1
 * (listed in {@code webhook-allowed-hosts}); and a node SIGKILLed right after a write delivers that
 * write's event once it is started again (the event was in the outbox with the write).
 */
class WebhookEventsTest {
    private static final String SUITE = "webhooks with real terraform";
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> WEBHOOKS_TO_LOOPBACK = Map.of(
            "STATEFORT_WEBHOOK_ALLOWED_HOSTS", "127.0.0.1",
            "STATEFORT_WEBHOOK_ALLOW_HTTP", "on",
            "STATEFORT_WEBHOOK_RETRY_INITIAL", "1s");

    static final WebhookReceiver RECEIVER = startReceiver();

    @RegisterExtension
    static final RealServer node = RealServer.startedBy((dir, logName) ->
                    StatefortProcess.startWithEnvironment(dir.resolve("server"), logName, WEBHOOKS_TO_LOOPBACK))
            .needingTerraform(SUITE);

    @TempDir
    Path tmp;

    private static WebhookReceiver startReceiver() {
        try {
            return WebhookReceiver.start();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterAll
    static void stopReceiver() {
        RECEIVER.close();
    }

    private static String type(Received r) {
        try {
            return JSON.readTree(r.body()).path("type").asText();
        } catch (Exception e) {
            return "";
        }
    }

    private static JsonNode data(Received r) {
        try {
            return JSON.readTree(r.body()).path("data");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static JsonNode createWebhook(StatefortClient admin, String url, String events) {
        Response created = admin.send(
                "POST",
                "/api/v1/projects/default/webhooks",
                ("{\"url\":\"" + url + "\",\"events\":" + events + "}").getBytes(UTF_8),
                "Content-Type",
                "application/json");
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        return created.json();
    }

    @Test
    void aTerraformApplyArrivesAsLockAcquiredStateWrittenLockReleasedSigned() throws Exception {
        String secret = createWebhook(
                        node.admin(),
                        RECEIVER.url("/terraform"),
                        "[\"lock.acquired\",\"state.written\",\"lock.released\"]")
                .path("secret")
                .asText();
        TerraformCli tf = new TerraformCli(
                node.terraform(),
                node.dir().resolve("tf"),
                Map.of(
                        "TF_HTTP_USERNAME",
                        "terraform",
                        "TF_HTTP_PASSWORD",
                        node.server().adminToken()));
        tf.writeHttpBackend(node.baseUrl() + statePath("default", "hooked"));
        tf.writeFile("main.tf", TerraformConfigs.EXAMPLE);
        tf.run("init", "-no-color").requireSuccess();
        tf.run("apply", "-auto-approve", "-no-color", "-var", "input=one").requireSuccess();

        List<Received> got = RECEIVER.await(r -> type(r).equals("lock.released"), 1, WAIT);
        assertThat(got).as("the apply's release").hasSize(1);
        List<Received> apply = RECEIVER.received().stream()
                .filter(r -> r.path().equals("/terraform"))
                .toList();
        List<String> types = apply.stream().map(WebhookEventsTest::type).toList();
        assertThat(types.get(0)).isEqualTo("lock.acquired");
        assertThat(types.get(types.size() - 1)).isEqualTo("lock.released");
        assertThat(types).contains("state.written");
        assertThat(types.subList(1, types.size() - 1)).containsOnly("state.written");
        assertThat(apply).allMatch(r -> r.signedWith(secret), "each delivery verifies with the secret");
        assertThat(apply).extracting(r -> r.header("webhook-id")).isSorted().doesNotHaveDuplicates();
        String lockId = data(apply.get(0)).path("detail").path("lockId").asText();
        assertThat(lockId).isNotBlank();
        assertThat(apply).allMatch(r -> data(r).path("state").asText().equals("hooked"));
        assertThat(apply)
                .filteredOn(r -> type(r).equals("state.written"))
                .allMatch(r -> data(r).path("detail").path("lockId").asText().equals(lockId));
        JsonNode written = data(apply.stream()
                .filter(r -> type(r).equals("state.written"))
                .toList()
                .getLast());
        assertThat(written.path("resources").path("added").asInt()).isPositive();
        assertThat(written.path("writer").asText()).startsWith("token:");
    }

    @Test
    void aNodeKilledRightAfterAWriteDeliversItsEventAfterTheRestart() throws Exception {
        int port = StatefortProcess.freePort(); // nobody listens yet: the first attempts fail
        try (StatefortProcess server =
                StatefortProcess.startWithEnvironment(tmp.resolve("server"), "WebhookKill9", WEBHOOKS_TO_LOOPBACK)) {
            StatefortClient admin = server.adminClient();
            createWebhook(admin, "http://127.0.0.1:" + port + "/after-restart", "[\"state.written\"]");
            String body = "{\"version\":4,\"serial\":7,\"lineage\":\"kill9\",\"outputs\":{},\"resources\":[]}";
            assertThat(admin.write(statePath("default", "killed"), body, null).status())
                    .isEqualTo(200);
            server.kill9();
            assertThat(server.isAlive()).isFalse();

            try (WebhookReceiver late = WebhookReceiver.start(port)) {
                server.restart();
                List<Received> got = late.await(r -> true, 1, WAIT);
                assertThat(got).as("the write's event, sent after the restart").hasSize(1);
                JsonNode data = data(got.get(0));
                assertThat(type(got.get(0))).isEqualTo("state.written");
                assertThat(data.path("state").asText()).isEqualTo("killed");
                assertThat(data.path("version").asLong()).isEqualTo(1);
                assertThat(data.path("serial").asLong()).isEqualTo(7);
            }
        }
    }
}
