package dev.statefort.store.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.statefort.core.transfer.SourceState;
import dev.statefort.core.transfer.SourceVersion;
import dev.statefort.store.tck.StateSourceContents;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** Finding Terraform S3 backend states in a bucket, on a real S3-compatible server (s3proxy). */
class S3StateSourceTest {
    static S3ProxyServer server;

    @BeforeAll
    static void startServer() throws Exception {
        server = S3ProxyServer.start();
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    /** A fresh bucket (created) with these objects in it, key to content. */
    static S3Settings bucketWith(S3Settings settings, Map<String, String> objects) {
        S3BlobStores.open(settings).close(); // creates the bucket
        try (S3Client raw = S3BlobStores.client(settings, List.of())) {
            objects.forEach((key, body) -> raw.putObject(
                    r -> r.bucket(settings.bucket()).key(key), RequestBody.fromString(body, StandardCharsets.UTF_8)));
        }
        return settings.withCreate(false);
    }

    private static Map<String, String> layout() {
        Map<String, String> objects = new LinkedHashMap<>();
        objects.put("team/network/terraform.tfstate", "network default");
        objects.put("team/network/terraform.tfstate.tflock", "a lock");
        objects.put("team/app.tfstate", "app default");
        objects.put("team/terraform.tfstate", "root default");
        objects.put("team/notes.txt", "not a state");
        objects.put("env:/staging/team/network/terraform.tfstate", "network staging");
        objects.put("env:/staging/team/app.tfstate", "app staging");
        objects.put("env:/staging/team/network/terraform.tfstate.tflock", "a staging lock");
        objects.put("env:/prod/team/app.tfstate", "app prod");
        objects.put("env:/prod/elsewhere/app.tfstate", "outside the prefix, in a workspace");
        objects.put("elsewhere/db.tfstate", "outside the prefix");
        return objects;
    }

    @Test
    void findsEveryStateOfTheBackendLayoutUnderThePrefixWithItsBytes() throws IOException {
        S3Settings settings = bucketWith(server.freshBucket().withPrefix("team/"), layout());
        Instant before = Instant.now().minusSeconds(60);
        try (S3StateSource source = S3StateSource.open(settings, false)) {
            List<SourceState> states = source.states();
            assertThat(StateSourceContents.byName(states))
                    .containsExactlyInAnyOrderEntriesOf(Map.of(
                            "network", "network default",
                            "app", "app default",
                            "default", "root default",
                            "network-staging", "network staging",
                            "app-staging", "app staging",
                            "app-prod", "app prod"));
            Map<String, String> origins = new LinkedHashMap<>();
            for (SourceState state : states) {
                origins.put(state.name(), state.origin());
                SourceVersion only = state.versions().list().getFirst();
                assertThat(only.origin()).isEqualTo(state.origin());
                assertThat(only.createdAt())
                        .isAfter(before)
                        .isBefore(Instant.now().plusSeconds(60));
            }
            String bucket = "s3://" + settings.bucket() + "/";
            assertThat(origins)
                    .containsEntry("network", bucket + "team/network/terraform.tfstate")
                    .containsEntry("network-staging", bucket + "env:/staging/team/network/terraform.tfstate")
                    .containsEntry("app-prod", bucket + "env:/prod/team/app.tfstate");
            assertThat(String.join(" ", origins.values()))
                    .doesNotContain(S3ProxyServer.CREDENTIAL)
                    .doesNotContain(S3ProxyServer.IDENTITY);
        }
    }

    @Test
    void withoutAPrefixTheWorkspaceObjectsAreWorkspacesNotStatesOfTheirOwn() throws IOException {
        Map<String, String> objects = new LinkedHashMap<>();
        objects.put("terraform.tfstate", "root");
        objects.put("env:/dev/terraform.tfstate", "root dev");
        objects.put("vpc/terraform.tfstate", "vpc");
        objects.put("env:/dev/vpc/terraform.tfstate", "vpc dev");
        objects.put("terraform.tfstate.tflock", "lock");
        S3Settings settings = bucketWith(server.freshBucket(), objects);
        try (S3StateSource source = S3StateSource.open(settings, false)) {
            assertThat(StateSourceContents.byName(source.states()))
                    .containsExactlyInAnyOrderEntriesOf(
                            Map.of("default", "root", "dev", "root dev", "vpc", "vpc", "vpc-dev", "vpc dev"));
        }
    }

    @Test
    void listingsArePaged() throws IOException {
        Map<String, String> objects = new LinkedHashMap<>();
        for (int i = 0; i < 7; i++) {
            objects.put("p/s" + i + ".tfstate", "s" + i);
            objects.put("p/s" + i + ".tfstate.tflock", "lock");
        }
        for (String ws : List.of("a", "b", "c", "d", "e")) {
            objects.put("env:/" + ws + "/p/s0.tfstate", "s0 " + ws);
        }
        S3Settings settings = bucketWith(server.freshBucket().withPrefix("p/"), objects);
        try (S3StateSource source = S3StateSource.open(settings, false, 2)) {
            Map<String, String> found = StateSourceContents.byName(source.states());
            assertThat(found).hasSize(12).containsEntry("s6", "s6").containsEntry("s0-e", "s0 e");
        }
    }

    @Test
    void withoutVersionsTheCurrentObjectIsTheOnlyVersion() throws IOException {
        S3Settings settings = bucketWith(server.freshBucket(), Map.of("a.tfstate", "first"));
        try (S3Client raw = S3BlobStores.client(settings, List.of())) {
            raw.putObject(r -> r.bucket(settings.bucket()).key("a.tfstate"), RequestBody.fromString("second"));
        }
        try (S3StateSource source = S3StateSource.open(settings, false)) {
            assertThat(StateSourceContents.byName(source.states())).containsExactly(Map.entry("a", "second"));
        }
    }

    @Test
    void bodiesAreReadOnlyWhenOpened() throws IOException {
        S3Settings settings = bucketWith(server.freshBucket(), Map.of("a.tfstate", "listed"));
        try (S3StateSource source = S3StateSource.open(settings, false)) {
            SourceVersion version = source.states().getFirst().versions().list().getFirst();
            try (S3Client raw = S3BlobStores.client(settings, List.of())) {
                raw.putObject(r -> r.bucket(settings.bucket()).key("a.tfstate"), RequestBody.fromString("later"));
            }
            assertThat(StateSourceContents.read(version)).isEqualTo("later");
            try (S3Client raw = S3BlobStores.client(settings, List.of())) {
                raw.deleteObject(r -> r.bucket(settings.bucket()).key("a.tfstate"));
            }
            assertThatThrownBy(() -> version.body().open())
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("s3://" + settings.bucket() + "/a.tfstate");
        }
    }

    /**
     * s3proxy has no bucket versioning: it answers ListObjectVersions with 501 NotImplemented. The
     * states are still found, and listing a state's versions fails for that state with that reason.
     * (The versions themselves are tested on moto: {@link S3StateSourceVersionsTest}.)
     */
    @Test
    void withVersionsOnAStoreWithoutVersioningListingAStatesVersionsFailsClearly() throws IOException {
        S3Settings settings = bucketWith(server.freshBucket(), Map.of("a.tfstate", "x"));
        try (S3StateSource source = S3StateSource.open(settings, true)) {
            assertThat(source.describe()).contains("every object version");
            List<SourceState> states = source.states();
            assertThat(states).extracting(SourceState::name).containsExactly("a");
            assertThatThrownBy(() -> states.getFirst().versions().list())
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("s3://" + settings.bucket() + "/a.tfstate")
                    .hasMessageContaining("501")
                    .hasMessageContaining("NotImplemented");
        }
    }

    @Test
    void describeNamesTheBucketPrefixAndEndpointButNoSecret() {
        S3Settings settings = server.freshBucket().withPrefix("team/");
        try (S3StateSource source = S3StateSource.open(settings, false)) {
            assertThat(source.describe())
                    .isEqualTo("s3://" + settings.bucket() + "/team/ at " + server.endpoint())
                    .doesNotContain(S3ProxyServer.CREDENTIAL);
        }
    }

    @Test
    void aMissingBucketFailsTheListingNamingTheLocation() {
        S3Settings missing = server.freshBucket().withCreate(false).withPrefix("team/");
        try (S3StateSource source = S3StateSource.open(missing, false)) {
            assertThatThrownBy(source::states)
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("s3://" + missing.bucket() + "/team/")
                    .hasMessageContaining("NoSuchBucket")
                    .hasMessageNotContaining(S3ProxyServer.CREDENTIAL);
        }
    }

    @Test
    void anUnreachableEndpointFailsTheListingNamingTheLocationWithoutTheSecret() throws IOException {
        int deadPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            deadPort = socket.getLocalPort();
        }
        String secret = "secret-never-printed-1234";
        S3Settings dead = S3Settings.of("nowhere")
                .withEndpoint(URI.create("http://127.0.0.1:" + deadPort), "us-east-1", "id", secret);
        long start = System.nanoTime();
        try (S3StateSource source = S3StateSource.open(dead, false)) {
            assertThatThrownBy(source::states)
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("s3://nowhere/")
                    .hasMessageContaining("127.0.0.1:" + deadPort)
                    .hasMessageNotContaining(secret);
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(60));
    }

    @Test
    void closeClosesTheClient() {
        S3Settings settings = bucketWith(server.freshBucket(), Map.of("a.tfstate", "x"));
        S3StateSource source = S3StateSource.open(settings, false);
        source.close();
        assertThatThrownBy(source::states).isInstanceOf(Exception.class);
    }
}
