package dev.statefort.store.gcs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import dev.statefort.core.transfer.SourceState;
import dev.statefort.core.transfer.SourceVersion;
import dev.statefort.store.tck.StateSourceContents;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Finding Terraform gcs backend states in a bucket, through the real client, on the fake of the JSON API. */
class GcsStateSourceTest {
    private static final AtomicInteger BUCKETS = new AtomicInteger();
    private static FakeGcsServer fake;

    @BeforeAll
    static void startFake() throws IOException {
        fake = FakeGcsServer.start();
    }

    @AfterAll
    static void stopFake() {
        fake.close();
    }

    @AfterEach
    void theFakeUnderstoodEveryRequest() {
        fake.failWith(0);
        assertThat(fake.unknownRequests()).isEmpty();
    }

    private static GcsSettings settings(String bucket) {
        return GcsSettings.of(bucket)
                .withEndpoint(fake.endpoint())
                .withProject("test-project")
                .withAnonymous(true);
    }

    /** A fresh bucket with these objects, name to content, written by the client library. */
    private static GcsSettings bucketWith(String prefix, Map<String, String> objects) throws Exception {
        GcsSettings settings = settings("import-" + BUCKETS.incrementAndGet());
        GcsBlobStores.open(settings.withCreate(true)).close(); // creates the bucket
        try (Storage storage = GcsBlobStore.client(settings)) {
            objects.forEach((name, body) -> storage.create(
                    BlobInfo.newBuilder(BlobId.of(settings.bucket(), name)).build(),
                    body.getBytes(StandardCharsets.UTF_8)));
        }
        return settings.withPrefix(prefix);
    }

    @Test
    void findsEveryWorkspaceOfEveryStateUnderThePrefixWithItsBytes() throws Exception {
        Map<String, String> objects = new LinkedHashMap<>();
        objects.put("team/default.tfstate", "root default");
        objects.put("team/staging.tfstate", "root staging");
        objects.put("team/default.tflock", "a lock");
        objects.put("team/net/default.tfstate", "net default");
        objects.put("team/net/prod.tfstate", "net prod");
        objects.put("team/net/prod.tflock", "a lock");
        objects.put("team/apps/web/default.tfstate", "web default");
        objects.put("team/readme.txt", "not a state");
        objects.put("other/default.tfstate", "outside the prefix");
        GcsSettings settings = bucketWith("team/", objects);
        Instant before = Instant.now().minusSeconds(60);
        try (GcsStateSource source = GcsStateSource.open(settings)) {
            List<SourceState> states = source.states();
            assertThat(StateSourceContents.byName(states))
                    .containsExactlyInAnyOrderEntriesOf(Map.of(
                            "default", "root default",
                            "staging", "root staging",
                            "net", "net default",
                            "net-prod", "net prod",
                            "apps-web", "web default"));
            Map<String, String> origins = new LinkedHashMap<>();
            for (SourceState state : states) {
                origins.put(state.name(), state.origin());
                SourceVersion only = state.versions().list().getFirst();
                assertThat(only.origin()).isEqualTo(state.origin());
                assertThat(only.createdAt())
                        .isAfter(before)
                        .isBefore(Instant.now().plusSeconds(60));
            }
            String bucket = "gs://" + settings.bucket() + "/";
            assertThat(origins)
                    .containsEntry("default", bucket + "team/default.tfstate")
                    .containsEntry("net-prod", bucket + "team/net/prod.tfstate");
        }
    }

    @Test
    void withoutAPrefixTheWholeBucketIsRead() throws Exception {
        GcsSettings settings = bucketWith(
                "",
                Map.of(
                        "default.tfstate", "root",
                        "dev.tfstate", "dev",
                        "dev.tflock", "lock",
                        "vpc/default.tfstate", "vpc"));
        try (GcsStateSource source = GcsStateSource.open(settings)) {
            assertThat(StateSourceContents.byName(source.states()))
                    .containsExactlyInAnyOrderEntriesOf(Map.of("default", "root", "dev", "dev", "vpc", "vpc"));
        }
    }

    @Test
    void listingsArePaged() throws Exception {
        Map<String, String> objects = new LinkedHashMap<>();
        for (int i = 0; i < 5; i++) {
            objects.put("p/s" + i + "/default.tfstate", "s" + i);
            objects.put("p/s" + i + "/default.tflock", "lock");
        }
        GcsSettings settings = bucketWith("p/", objects);
        int lists = fake.count("object.list");
        try (GcsStateSource source = GcsStateSource.open(settings, 2)) {
            assertThat(StateSourceContents.byName(source.states()))
                    .hasSize(5)
                    .containsEntry("s0", "s0")
                    .containsEntry("s4", "s4");
        }
        assertThat(fake.count("object.list") - lists).isEqualTo(5);
    }

    @Test
    void bodiesAreReadOnlyWhenOpened() throws Exception {
        GcsSettings settings = bucketWith("", Map.of("default.tfstate", "listed"));
        try (GcsStateSource source = GcsStateSource.open(settings);
                Storage storage = GcsBlobStore.client(settings)) {
            SourceVersion version = source.states().getFirst().versions().list().getFirst();
            BlobId id = BlobId.of(settings.bucket(), "default.tfstate");
            storage.create(BlobInfo.newBuilder(id).build(), "later".getBytes(StandardCharsets.UTF_8));
            assertThat(StateSourceContents.read(version)).isEqualTo("later");
            storage.delete(id);
            assertThatThrownBy(() -> version.body().open())
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("gs://" + settings.bucket() + "/default.tfstate")
                    .hasMessageContaining("404");
        }
    }

    @Test
    void describeNamesTheBucketPrefixAndEndpoint() {
        try (GcsStateSource source = GcsStateSource.open(settings("some-bucket").withPrefix("team/"))) {
            assertThat(source.describe()).isEqualTo("gs://some-bucket/team/ at " + fake.endpoint());
        }
        try (GcsStateSource google = GcsStateSource.open(
                GcsSettings.of("b").withProject("p").withAnonymous(true).withPrefix("x/"))) {
            assertThat(google.describe()).isEqualTo("gs://b/x/");
        }
    }

    @Test
    void aMissingBucketFailsTheListingNamingIt() {
        try (GcsStateSource source =
                GcsStateSource.open(settings("missing-bucket").withPrefix("team/"))) {
            assertThatThrownBy(source::states)
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("gs://missing-bucket/team/")
                    .hasMessageContaining("404");
        }
    }

    @Test
    void anUnreachableEndpointFailsTheListingNamingIt() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        GcsSettings dead = settings("dead-bucket").withEndpoint(URI.create("http://127.0.0.1:" + port));
        try (GcsStateSource source = GcsStateSource.open(dead)) {
            assertThatThrownBy(source::states)
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("gs://dead-bucket/")
                    .hasMessageContaining("127.0.0.1:" + port);
        }
    }
}
