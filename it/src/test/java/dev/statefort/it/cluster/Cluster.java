package dev.statefort.it.cluster;

import dev.statefort.core.crypto.MasterKey;
import dev.statefort.it.support.RealTerraform;
import dev.statefort.it.support.Requirement;
import dev.statefort.it.support.S3Server;
import dev.statefort.it.support.StatefortClient;
import dev.statefort.it.support.StatefortProcess;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Several Statefort processes from the runnable jar as one deployment, for a test class (a JUnit
 * extension on a static field): a real PostgreSQL (embedded, from its own binaries), a real
 * S3-compatible server (s3proxy) holding every blob, one master key handed to every node in the
 * environment (as from a secret store), the nodes started at the same moment on the empty database,
 * and HAProxy in front of them.
 */
final class Cluster implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {
    static final String BUCKET = "cluster-states";

    private final String suite;
    private final int size;
    private final Requirement haproxyInstalled;
    private boolean available;
    private Path terraform;
    private Path dir;
    private EmbeddedPostgres postgres;
    private S3Server s3;
    private final List<StatefortProcess> nodes = new ArrayList<>();
    private Haproxy balancer;

    Cluster(String suite, int size) {
        this.suite = suite;
        this.size = size;
        this.haproxyInstalled = Haproxy.requirement(suite);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        available = haproxyInstalled.isMet();
        terraform = RealTerraform.find(suite).orElse(null);
        if (!available) {
            return;
        }
        dir = Files.createTempDirectory("statefort-cluster-");
        postgres = EmbeddedPostgres.builder().start();
        s3 = new S3Server(dir.resolve("s3"), StatefortProcess.freePort());
        s3.start();
        Path config = Files.writeString(
                dir.resolve("statefort.properties"), """
                database.url=jdbc:postgresql://127.0.0.1:%d/postgres
                database.user=postgres
                storage.default=s3
                storage.s3.type=s3
                storage.s3.bucket=%s
                storage.s3.endpoint=%s
                storage.s3.region=us-east-1
                storage.s3.create=true
                """.formatted(postgres.getPort(), BUCKET, s3.endpoint()));
        Map<String, String> environment = Map.of(
                "STATEFORT_MASTER_KEY",
                MasterKey.generate().toJson(),
                "STATEFORT_STORAGE_S3_ACCESS_KEY_ID",
                S3Server.IDENTITY,
                "STATEFORT_STORAGE_S3_SECRET_ACCESS_KEY",
                S3Server.CREDENTIAL,
                // long enough for the balancer's health check (every 200 ms) to see /readyz fail
                "STATEFORT_SHUTDOWN_DRAIN",
                "1s",
                // webhook receivers of the tests listen on 127.0.0.1
                "STATEFORT_WEBHOOK_ALLOWED_HOSTS",
                "127.0.0.1",
                "STATEFORT_WEBHOOK_ALLOW_HTTP",
                "on");
        List<CompletableFuture<StatefortProcess>> starting = new ArrayList<>();
        for (int i = 1; i <= size; i++) {
            Path nodeDir = Files.createDirectories(dir.resolve("node" + i));
            String name = "cluster-node" + i;
            starting.add(CompletableFuture.supplyAsync(
                    () -> StatefortProcess.startConfigured(nodeDir, name, environment, config)));
        }
        for (CompletableFuture<StatefortProcess> node : starting) {
            nodes.add(node.join());
        }
        balancer = Haproxy.start(
                dir,
                StatefortProcess.freePort(),
                nodes.stream().map(StatefortProcess::port).toList());
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        haproxyInstalled.require();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (balancer != null) {
            balancer.close();
        }
        for (StatefortProcess node : nodes) {
            node.close();
        }
        if (s3 != null) {
            s3.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    List<StatefortProcess> nodes() {
        return nodes;
    }

    StatefortProcess node(int index) {
        return nodes.get(index);
    }

    /** The balancer's address: what Terraform and every client use. */
    String baseUrl() {
        return balancer.baseUrl();
    }

    Haproxy balancer() {
        return balancer;
    }

    S3Server s3() {
        return s3;
    }

    Path dir() {
        return dir;
    }

    /** The real terraform, or empty (then terraform tests skip, or fail with STATEFORT_REQUIRE_TERRAFORM=1). */
    Optional<Path> terraform() {
        RealTerraform.require(terraform, suite);
        return Optional.ofNullable(terraform);
    }

    /** The initial admin token, from whichever node's data dir holds it. */
    String adminToken() {
        return nodes.stream()
                .filter(n -> Files.exists(n.dataDir().resolve("initial-admin-token")))
                .findFirst()
                .orElseThrow()
                .adminToken();
    }

    /** A client of the balancer. */
    StatefortClient client(String token) {
        return StatefortClient.at(baseUrl(), token);
    }

    /** A client of one node, bypassing the balancer. */
    StatefortClient direct(int index, String token) {
        return node(index).client(token);
    }
}
