package dev.statefort.store.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.statefort.core.transfer.SourceState;
import dev.statefort.core.transfer.SourceVersion;
import dev.statefort.store.tck.StateSourceContents;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;

/**
 * {@link S3StateSource} with {@code versions}: every object version of a state's key, oldest first,
 * on a server that implements bucket versioning (moto: s3proxy answers ListObjectVersions with 501).
 * Skipped when moto_server is not installed, unless {@code STATEFORT_REQUIRE_MOTO=1}.
 */
class S3StateSourceVersionsTest {
    static MotoServer server;

    @BeforeAll
    static void startServer() throws Exception {
        Optional<Path> moto = MotoServer.find();
        if (moto.isEmpty()) {
            String missing = "moto_server is not on the PATH (install it with `" + MotoServer.INSTALL
                    + "`): the S3 object version tests are skipped";
            if ("1".equals(System.getenv(MotoServer.REQUIRE_VARIABLE))) {
                throw new IllegalStateException(MotoServer.REQUIRE_VARIABLE + "=1 and " + missing);
            }
            System.err.println(
                    "[WARNING] " + missing + "; set " + MotoServer.REQUIRE_VARIABLE + "=1 to make this a failure.");
            Assumptions.abort(missing);
        }
        server = MotoServer.start(moto.get());
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    /** A fresh versioned bucket. */
    private static S3Settings versionedBucket(String prefix) {
        S3Settings settings = server.freshBucket().withPrefix(prefix);
        S3BlobStores.open(settings).close(); // creates the bucket
        try (S3Client raw = S3BlobStores.client(settings, List.of())) {
            raw.putBucketVersioning(r ->
                    r.bucket(settings.bucket()).versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
        }
        return settings.withCreate(false);
    }

    private static void put(S3Client raw, S3Settings settings, String key, String body) {
        raw.putObject(r -> r.bucket(settings.bucket()).key(key), RequestBody.fromString(body, StandardCharsets.UTF_8));
    }

    private static List<String> bodies(List<SourceVersion> versions) throws IOException {
        List<String> bodies = new ArrayList<>();
        for (SourceVersion v : versions) {
            bodies.add(StateSourceContents.read(v));
        }
        return bodies;
    }

    @Test
    void everyVersionOfEachStateOldestFirstWithoutDeleteMarkers() throws IOException {
        S3Settings settings = versionedBucket("team/");
        try (S3Client raw = S3BlobStores.client(settings, List.of())) {
            put(raw, settings, "team/network/terraform.tfstate", "network v1");
            put(raw, settings, "team/network/terraform.tfstate", "network v2");
            put(raw, settings, "team/network/terraform.tfstate", "network v3");
            // a key that only starts with the state's key: never one of its versions
            put(raw, settings, "team/network/terraform.tfstate.tflock", "lock");
            put(raw, settings, "team/app.tfstate", "app v1");
            raw.deleteObject(r -> r.bucket(settings.bucket()).key("team/app.tfstate")); // a delete marker
            put(raw, settings, "team/app.tfstate", "app v2");
            put(raw, settings, "env:/staging/team/app.tfstate", "app staging v1");
            put(raw, settings, "env:/staging/team/app.tfstate", "app staging v2");
        }
        // 2 keys a page: the version listings take several pages
        try (S3StateSource source = S3StateSource.open(settings, true, 2)) {
            Map<String, SourceState> byName = new LinkedHashMap<>();
            for (SourceState state : source.states()) {
                byName.put(state.name(), state);
            }
            assertThat(byName).containsOnlyKeys("network", "app", "app-staging");

            List<SourceVersion> network = byName.get("network").versions().list();
            assertThat(bodies(network)).containsExactly("network v1", "network v2", "network v3");
            assertThat(network)
                    .extracting(SourceVersion::origin)
                    .allMatch(o ->
                            o.startsWith("s3://" + settings.bucket() + "/team/network/terraform.tfstate?versionId="))
                    .doesNotHaveDuplicates();
            for (int i = 1; i < network.size(); i++) {
                assertThat(network.get(i).createdAt())
                        .isAfterOrEqualTo(network.get(i - 1).createdAt());
            }
            assertThat(network).allMatch(v -> v.createdAt() != null);

            assertThat(bodies(byName.get("app").versions().list())).containsExactly("app v1", "app v2");
            assertThat(bodies(byName.get("app-staging").versions().list()))
                    .containsExactly("app staging v1", "app staging v2");
        }
    }

    @Test
    void withoutVersionsOnlyTheCurrentObject() throws IOException {
        S3Settings settings = versionedBucket("");
        try (S3Client raw = S3BlobStores.client(settings, List.of())) {
            put(raw, settings, "terraform.tfstate", "v1");
            put(raw, settings, "terraform.tfstate", "v2");
        }
        try (S3StateSource source = S3StateSource.open(settings, false)) {
            List<SourceState> states = source.states();
            assertThat(states).extracting(SourceState::name).containsExactly("default");
            assertThat(bodies(states.getFirst().versions().list())).containsExactly("v2");
        }
    }
}
