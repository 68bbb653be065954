package dev.statefort.it.cluster;

import static dev.statefort.it.support.Fixtures.lockInfo;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.statefort.core.testing.WebhookReceiver;
import dev.statefort.it.support.Fixtures;
import dev.statefort.it.support.StatefortClient;
import dev.statefort.it.support.StatefortClient.Response;
import dev.statefort.it.support.StatefortProcess;
import dev.statefort.it.support.TerraformCli;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 14: three nodes from the runnable jar on one PostgreSQL and one S3-compatible store, behind
 * HAProxy. They start together on the empty database and bootstrap once; any node answers as the
 * others; eight clients split across the nodes lose no update; a node killed mid-write leaves a whole
 * version and the client's retry succeeds; and the real terraform applies through the balancer while
 * every node is restarted in turn.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterTest {
    private static final String SUITE = "multi-node (PostgreSQL, s3proxy, HAProxy)";

    @RegisterExtension
    static final Cluster cluster = new Cluster(SUITE, 3);

    @Test
    @Order(1)
    void nodesStartedTogetherOnAnEmptyDatabaseBootstrapOnce() {
        long tokenFiles = cluster.nodes().stream()
                .filter(n -> Files.exists(n.dataDir().resolve("initial-admin-token")))
                .count();
        long passwordFiles = cluster.nodes().stream()
                .filter(n -> Files.exists(n.dataDir().resolve("initial-admin-password")))
                .count();
        assertThat(tokenFiles).as("one node wrote the initial token").isEqualTo(1);
        assertThat(passwordFiles).as("one node wrote the initial password").isEqualTo(1);
        StatefortClient admin = cluster.client(cluster.adminToken());
        JsonNode tokens = admin.getJson("/api/v1/tokens").path("items");
        assertThat(tokens).hasSize(1);
        assertThat(tokens.get(0).path("name").asText()).isEqualTo("initial admin");
        JsonNode users = admin.getJson("/api/v1/users").path("items");
        assertThat(users).hasSize(1);
        JsonNode projects = admin.getJson("/api/v1/projects").path("items");
        assertThat(projects).hasSize(1);
        assertThat(projects.get(0).path("storage").asText()).isEqualTo("s3");
        for (int i = 0; i < cluster.nodes().size(); i++) {
            StatefortProcess node = cluster.node(i);
            if (!Files.exists(node.dataDir().resolve("initial-admin-token"))) {
                assertThat(node.stdoutText())
                        .as("node %d says where the first start was done", i + 1)
                        .contains("was done by another node");
            }
            assertThat(cluster.node(i).isAlive()).as("node %d is up", i + 1).isTrue();
            assertThat(cluster.direct(i, null).getUnchecked("/readyz").status()).isEqualTo(200);
        }
    }

    @Test
    @Order(2)
    void anyNodeAnswersAsTheOthersAtOnce() {
        String admin = cluster.adminToken();
        String path = StatefortClient.statePath("default", "shared-view");
        StatefortClient a = cluster.direct(0, admin);
        StatefortClient b = cluster.direct(1, admin);
        StatefortClient c = cluster.direct(2, admin);

        byte[] holder = lockInfo("lock-from-a");
        assertThat(a.send("LOCK", path, holder).status()).isEqualTo(200);
        for (StatefortClient other : List.of(b, c)) {
            Response refused = other.send("LOCK", path, lockInfo("lock-from-elsewhere"));
            assertThat(refused.status()).isEqualTo(423);
            assertThat(refused.body()).as("A's holder, as A stored it").isEqualTo(holder);
        }
        byte[] written = Fixtures.terraformState(1, "shared", "from-a");
        assertThat(a.write(path, written, "lock-from-a").status()).isEqualTo(200);
        assertThat(b.get(path).body()).as("B reads A's write at once").isEqualTo(written);
        assertThat(c.get(path).body()).isEqualTo(written);
        assertThat(c.send("UNLOCK", path, holder).status()).isEqualTo(200);
        assertThat(b.send("LOCK", path, lockInfo("now-b")).status()).isEqualTo(200);
        assertThat(b.send("UNLOCK", path, lockInfo("now-b")).status()).isEqualTo(200);

        // a token revoked through one node is refused by every node on its next request
        JsonNode issued = a.send(
                        "POST",
                        "/api/v1/tokens",
                        "{\"project\":\"default\",\"permission\":\"read\",\"name\":\"short-lived\"}".getBytes(UTF_8))
                .json();
        String reader = issued.path("token").asText();
        assertThat(cluster.direct(2, reader).get(path).status()).isEqualTo(200);
        assertThat(b.send(
                                "DELETE",
                                "/api/v1/tokens/"
                                        + issued.path("record").path("id").asText(),
                                (byte[]) null)
                        .status())
                .isEqualTo(204);
        for (int node = 0; node < 3; node++) {
            assertThat(cluster.direct(node, reader).getUnchecked(path).status())
                    .as("node %d after the revocation on node 2 (refused as any bad credential)", node + 1)
                    .isEqualTo(403);
        }

        // a member added, removed and a user deleted through one node count on the others at once
        assertThat(a.send(
                                "POST",
                                "/api/v1/users",
                                "{\"name\":\"carol\",\"password\":\"carol password 1\"}".getBytes(UTF_8))
                        .status())
                .isEqualTo(201);
        assertThat(b.send("PUT", "/api/v1/projects/default/members/carol", "{\"role\":\"viewer\"}".getBytes(UTF_8))
                        .status())
                .isEqualTo(200);
        Response login = cluster.direct(2, null)
                .send(
                        "POST",
                        "/api/v1/session",
                        "{\"username\":\"carol\",\"password\":\"carol password 1\"}".getBytes(UTF_8));
        String cookie = login.header("Set-Cookie").split(";", 2)[0];
        String states = "/api/v1/projects/default/states";
        assertThat(cluster.direct(0, null)
                        .send("GET", states, (byte[]) null, "Cookie", cookie)
                        .status())
                .as("carol's session from node 3 reads through node 1")
                .isEqualTo(200);
        assertThat(c.send("DELETE", "/api/v1/projects/default/members/carol", (byte[]) null)
                        .status())
                .isEqualTo(204);
        assertThat(cluster.direct(1, null)
                        .send("GET", states, (byte[]) null, "Cookie", cookie)
                        .status())
                .as("no longer a member, on node 2")
                .isIn(403, 404);
        assertThat(a.send("DELETE", "/api/v1/users/carol", (byte[]) null).status())
                .isEqualTo(204);
        assertThat(cluster.direct(2, null)
                        .send("GET", "/api/v1/session", (byte[]) null, "Cookie", cookie)
                        .status())
                .as("deleted on node 1, her session is gone on node 3")
                .isEqualTo(401);

        // a setting changed through one node is enforced by the others on the next write
        assertThat(a.send("PATCH", "/api/v1/projects/default/settings", "{\"guard\":\"enforce\"}".getBytes(UTF_8))
                        .status())
                .isEqualTo(200);
        Response destructive = c.sendUnchecked(
                "POST", path, "{\"version\":4,\"serial\":2,\"lineage\":\"shared\",\"resources\":[]}".getBytes(UTF_8));
        assertThat(destructive.status()).as("%s", destructive).isEqualTo(409);
        assertThat(a.send("PATCH", "/api/v1/projects/default/settings", "{\"guard\":\"warn\"}".getBytes(UTF_8))
                        .status())
                .isEqualTo(200);
    }

    /**
     * Issue 30 on several nodes: IDs derived from names answer on any node, an upload URL made by one
     * node is redeemed on another, and two nodes racing the same URL write it once.
     */
    @Test
    @Order(2)
    void theTfeApiAnswersOnAnyNodeAndAnUploadUrlWorksOnceAcrossThem() throws Exception {
        String admin = cluster.adminToken();
        StatefortClient a = cluster.direct(0, admin);
        StatefortClient b = cluster.direct(1, admin);
        StatefortClient c = cluster.direct(2, admin);
        JsonNode created = tfe(
                        a,
                        "POST",
                        "/api/v2/organizations/default/workspaces",
                        "{\"data\":{\"type\":\"workspaces\",\"attributes\":{\"name\":\"tfe-nodes\"}}}")
                .json();
        String ws = created.path("data").path("id").asText();
        assertThat(tfe(b, "GET", "/api/v2/workspaces/" + ws, null).status()).isEqualTo(200);
        assertThat(tfe(c, "POST", "/api/v2/workspaces/" + ws + "/actions/lock", "")
                        .status())
                .isEqualTo(200);
        assertThat(tfe(a, "POST", "/api/v2/workspaces/" + ws + "/actions/lock", "")
                        .status())
                .as("the lock taken through C, seen by A")
                .isEqualTo(409);

        byte[] state = Fixtures.terraformState(1, "tfe-nodes", "one");
        String md5 = java.util.HexFormat.of()
                .formatHex(java.security.MessageDigest.getInstance("MD5").digest(state));
        JsonNode pending = tfe(
                        c,
                        "POST",
                        "/api/v2/workspaces/" + ws + "/state-versions",
                        "{\"data\":{\"type\":\"state-versions\",\"attributes\":{\"serial\":1,\"lineage\":\"tfe-nodes\","
                                + "\"md5\":\"" + md5 + "\"}}}")
                .json();
        String url = pending.path("data")
                .path("attributes")
                .path("hosted-state-upload-url")
                .asText();
        String upload = url.substring(url.indexOf("/api/v2/"));
        StatefortClient anonymousA = a.anonymous();
        StatefortClient anonymousB = b.anonymous();
        ExecutorService two = Executors.newFixedThreadPool(2);
        try {
            Future<Response> viaA = two.submit(() -> anonymousA.send("PUT", upload, state));
            Future<Response> viaB = two.submit(() -> anonymousB.send("PUT", upload, state));
            List<Integer> statuses = List.of(
                    viaA.get(60, TimeUnit.SECONDS).status(),
                    viaB.get(60, TimeUnit.SECONDS).status());
            assertThat(statuses)
                    .as("one node redeems it, the other finds it used")
                    .containsExactlyInAnyOrder(200, 404);
        } finally {
            two.shutdownNow();
        }
        assertThat(a.versions("default", "tfe-nodes").path("items")).hasSize(1);
        assertThat(b.get("/tf/default/tfe-nodes").body()).isEqualTo(state);
        String download = tfe(a, "GET", "/api/v2/workspaces/" + ws + "/current-state-version", null)
                .json()
                .path("data")
                .path("attributes")
                .path("hosted-state-download-url")
                .asText();
        assertThat(b.get(download.substring(download.indexOf("/api/v2/"))).body())
                .isEqualTo(state);
        assertThat(tfe(a, "POST", "/api/v2/workspaces/" + ws + "/actions/unlock", "")
                        .status())
                .isEqualTo(200);
    }

    private static Response tfe(StatefortClient client, String method, String path, String body) {
        return client.send(
                method, path, body == null ? null : body.getBytes(UTF_8), "Content-Type", "application/vnd.api+json");
    }

    /**
     * Issue 31: every node sends webhook deliveries from the shared outbox, each claimed with a
     * conditional update: writes made through all three nodes reach the receiver once each.
     */
    @Test
    @Order(3)
    void everyNodeSendsWebhookDeliveriesAndEachEventArrivesOnce() throws Exception {
        String admin = cluster.adminToken();
        try (WebhookReceiver receiver = WebhookReceiver.start()) {
            Response created = cluster.direct(0, admin)
                    .send(
                            "POST",
                            "/api/v1/projects/default/webhooks",
                            ("{\"url\":\"" + receiver.url("/cluster") + "\",\"events\":[\"state.written\"]}")
                                    .getBytes(UTF_8),
                            "Content-Type",
                            "application/json");
            assertThat(created.status()).as(created.text()).isEqualTo(201);
            String secret = created.json().path("secret").asText();
            String webhook = created.json().path("webhook").path("id").asText();
            int writes = 30;
            for (int i = 1; i <= writes; i++) {
                String path = StatefortClient.statePath("default", "hooked-" + (i % 3));
                assertThat(cluster.direct(i % 3, admin)
                                .write(path, counter(i), null)
                                .status())
                        .isEqualTo(200);
            }
            List<WebhookReceiver.Received> got = receiver.await(r -> true, writes, java.time.Duration.ofSeconds(60));
            Thread.sleep(2_000); // a second sender, if any, has had time to send again
            got = receiver.received();
            assertThat(got).hasSize(writes);
            assertThat(got).extracting(r -> r.header("webhook-id")).doesNotHaveDuplicates();
            assertThat(got).allMatch(r -> r.signedWith(secret));
            JsonNode log = cluster.direct(1, admin)
                    .getJson("/api/v1/projects/default/webhooks/" + webhook + "/deliveries?limit=100")
                    .path("items");
            assertThat(log).hasSize(writes);
            log.forEach(d -> {
                assertThat(d.path("status").asText()).isEqualTo("delivered");
                assertThat(d.path("attempts").asInt()).isEqualTo(1);
            });
            assertThat(cluster.direct(2, admin)
                            .send("DELETE", "/api/v1/projects/default/webhooks/" + webhook, (byte[]) null)
                            .status())
                    .isEqualTo(204);
        }
    }

    @Test
    @Order(3)
    void eightClientsSplitAcrossTheNodesKeepMutualExclusionAndLoseNoUpdate() throws Exception {
        String admin = cluster.adminToken();
        String path = StatefortClient.statePath("default", "raced");
        assertThat(cluster.client(admin).write(path, counter(0), null).status()).isEqualTo(200);
        AtomicInteger holders = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        AtomicInteger updates = new AtomicInteger();
        List<Integer> unexpected = java.util.Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> clients = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                StatefortClient client = cluster.direct(i % 3, admin);
                String lockId = "client-" + i;
                clients.add(pool.submit(() -> {
                    int mine = 0;
                    for (int attempt = 0; attempt < 3_000 && mine < 5; attempt++) {
                        Response lock = client.sendUnchecked("LOCK", path, lockInfo(lockId));
                        if (lock.status() == 423) {
                            Thread.sleep(5);
                            continue;
                        }
                        if (lock.status() != 200) {
                            unexpected.add(lock.status());
                            continue;
                        }
                        if (holders.incrementAndGet() != 1) {
                            overlaps.incrementAndGet();
                        }
                        long serial = serialOf(client.get(path).body());
                        Response write = client.write(path, counter(serial + 1), lockId);
                        if (write.status() != 200) {
                            unexpected.add(write.status());
                        }
                        holders.decrementAndGet();
                        updates.incrementAndGet();
                        assertThat(client.send("UNLOCK", path, lockInfo(lockId)).status())
                                .isEqualTo(200);
                        mine++;
                    }
                    return null;
                }));
            }
            for (Future<?> c : clients) {
                c.get(5, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(unexpected).as("no answer but 200 and 423").isEmpty();
        assertThat(overlaps.get()).as("two holders at once").isZero();
        assertThat(updates.get()).isEqualTo(40);
        assertThat(serialOf(cluster.client(admin).get(path).body()))
                .as("every update kept")
                .isEqualTo(40);
    }

    @Test
    @Order(4)
    void aNodeKilledMidWriteLeavesAWholeVersionAndTheRetrySucceeds() throws Exception {
        String admin = cluster.adminToken();
        String path = StatefortClient.statePath("default", "killed-mid-write");
        StatefortClient balanced = cluster.client(admin);
        byte[] before = Fixtures.terraformState(1, "kill", "before");
        assertThat(balanced.write(path, before, null).status()).isEqualTo(200);
        byte[] large = largeState(2, 4 << 20);

        StatefortProcess victim = cluster.node(0);
        try (Socket upload = new Socket("127.0.0.1", victim.port())) {
            OutputStream out = upload.getOutputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + admin
                            + "\r\nContent-Type: application/json\r\nContent-Length: " + large.length + "\r\n\r\n")
                    .getBytes(UTF_8));
            out.write(large, 0, large.length / 2);
            out.flush();
            victim.kill9();
            assertThatThrownBy(() -> {
                        out.write(large, large.length / 2, large.length - large.length / 2);
                        out.flush();
                        if (upload.getInputStream().read() < 0) {
                            throw new IOException("closed without an answer");
                        }
                    })
                    .as("the killed node never acknowledged the write")
                    .isInstanceOf(IOException.class);
        }
        assertThat(balanced.get(path).body()).as("the previous version, whole").isEqualTo(before);
        assertThat(balanced.write(path, large, null).status()).as("the retry").isEqualTo(200);
        assertThat(balanced.get(path).body()).isEqualTo(large);
        victim.restart();
        assertThat(victim.client(admin).get(path).body()).isEqualTo(large);
    }

    /** A data key rotated (and the project re-encrypted) by the CLI beside running nodes: every node reads and writes on. */
    @Test
    @Order(5)
    void aKeyRotatedBesideTheNodesTakesEffectOnEveryNode() {
        String admin = cluster.adminToken();
        String path = StatefortClient.statePath("default", "rotated");
        byte[] before = Fixtures.terraformState(1, "rotated", "before");
        assertThat(cluster.direct(1, admin).write(path, before, null).status()).isEqualTo(200);
        for (int node = 0; node < 3; node++) {
            assertThat(cluster.direct(node, admin).get(path).body()).isEqualTo(before); // each node has the key now
        }
        cluster.node(0)
                .cli("keys", "rotate-data", "--project", "default", "--reencrypt")
                .requireSuccess();
        byte[] after = Fixtures.terraformState(2, "rotated", "after");
        assertThat(cluster.direct(2, admin).write(path, after, null).status()).isEqualTo(200);
        for (int node = 0; node < 3; node++) {
            StatefortClient client = cluster.direct(node, admin);
            assertThat(client.get(path).body())
                    .as("node %d, the new key", node + 1)
                    .isEqualTo(after);
            assertThat(client.versionContent("default", "rotated", 1))
                    .as("node %d, the version re-encrypted under the new key", node + 1)
                    .isEqualTo(before);
        }
    }

    @Test
    @Order(6)
    void terraformAppliesThroughTheBalancerWhileEveryNodeIsRestartedInTurn() throws Exception {
        var terraform = cluster.terraform();
        if (terraform.isEmpty()) {
            return;
        }
        String writer = cluster.client(cluster.adminToken())
                .send(
                        "POST",
                        "/api/v1/tokens",
                        "{\"project\":\"default\",\"permission\":\"write\",\"name\":\"pipeline\"}".getBytes(UTF_8))
                .json()
                .path("token")
                .asText();
        TerraformCli tf = new TerraformCli(
                terraform.get(),
                cluster.dir().resolve("tf-rolling"),
                Map.of("TF_HTTP_USERNAME", "terraform", "TF_HTTP_PASSWORD", writer));
        tf.writeHttpBackend(cluster.baseUrl() + StatefortClient.statePath("default", "rolling"));
        tf.initAndApplyEach(config(0));

        AtomicInteger applied = new AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean restartsDone = new java.util.concurrent.atomic.AtomicBoolean();
        CompletableFuture<Void> applying = CompletableFuture.runAsync(() -> {
            // applies go on until every node has been restarted (bounded)
            for (int i = 1; i <= 200 && !restartsDone.get(); i++) {
                tf.writeFile("main.tf", config(i));
                tf.run("apply", "-auto-approve", "-no-color").requireSuccess();
                applied.incrementAndGet();
            }
        });
        try {
            for (StatefortProcess node : cluster.nodes()) {
                node.stop(); // SIGTERM: /readyz fails, the balancer moves away, in-flight requests finish
                node.restart();
                Thread.sleep(1_000); // the balancer sees it ready again (rise 2, every 200 ms)
            }
        } finally {
            restartsDone.set(true);
        }
        applying.get(5, TimeUnit.MINUTES);
        int applies = applied.get();
        assertThat(applies)
                .as("applies made while the nodes restarted, every one successful")
                .isGreaterThan(3);
        JsonNode versions = cluster.client(cluster.adminToken())
                .versions("default", "rolling")
                .path("items");
        // every apply wrote one version; the project keeps the newest 100 (quick applies make more)
        assertThat(versions).hasSize(Math.min(applies + 1, 100));
        assertThat(versions.path(0).path("number").asLong()).isEqualTo(applies + 1);
        assertThat(new String(
                        cluster.client(cluster.adminToken())
                                .get(StatefortClient.statePath("default", "rolling"))
                                .body(),
                        UTF_8))
                .contains("rolling-" + applies);
    }

    private static String config(int round) {
        return """
                resource "terraform_data" "r" {
                  input = "rolling-%d"
                }
                """.formatted(round);
    }

    private static byte[] counter(long serial) {
        return ("{\"version\":4,\"serial\":" + serial + ",\"lineage\":\"raced\",\"resources\":[]}").getBytes(UTF_8);
    }

    private static long serialOf(byte[] state) {
        return Long.parseLong(new String(state, UTF_8).replaceAll("(?s).*\"serial\":\\s*(\\d+).*", "$1"));
    }

    private static byte[] largeState(long serial, int bytes) {
        String filler = "x".repeat(bytes);
        return ("{\"version\":4,\"serial\":" + serial + ",\"lineage\":\"kill\",\"outputs\":{\"big\":{\"value\":\""
                        + filler + "\",\"type\":\"string\"}},\"resources\":[]}")
                .getBytes(UTF_8);
    }
}
