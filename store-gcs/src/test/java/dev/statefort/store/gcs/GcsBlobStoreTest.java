package dev.statefort.store.gcs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.statefort.core.spi.BlobNotFoundException;
import dev.statefort.core.spi.BlobStore;
import dev.statefort.core.spi.StoreUnavailableException;
import dev.statefort.store.tck.BlobStoreContract;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GcsBlobStoreTest extends BlobStoreContract {
    private static final int CHUNK = 256 * 1024;
    private static final AtomicInteger BUCKETS = new AtomicInteger();

    private static FakeGcsServer fake;

    private String bucket;

    @BeforeAll
    static void startFake() throws IOException {
        fake = FakeGcsServer.start();
    }

    @AfterAll
    static void stopFake() {
        fake.close();
    }

    /** Every client of these tests talks to the fake, anonymously, with an explicit project. */
    static GcsSettings settings(String bucket) {
        return GcsSettings.of(bucket)
                .withEndpoint(fake.endpoint())
                .withProject("test-project")
                .withAnonymous(true)
                .withCreate(true)
                .withChunkSize(CHUNK);
    }

    @Override
    protected BlobStore newStore() {
        fake.failWith(0);
        bucket = "bucket-" + BUCKETS.incrementAndGet();
        return GcsBlobStores.open(settings(bucket));
    }

    @AfterEach
    void theFakeUnderstoodEveryRequest() {
        fake.failWith(0);
        assertThat(fake.unknownRequests()).isEmpty();
    }

    /** Yields {@code size} bytes of 7s, then throws {@code failure}. */
    private static InputStream failingAfter(int size, IOException failure) {
        return new InputStream() {
            private int left = size;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0];
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (left <= 0) {
                    throw failure;
                }
                int n = Math.min(Math.min(len, left), 64 * 1024);
                java.util.Arrays.fill(b, off, off + n, (byte) 7);
                left -= n;
                return n;
            }
        };
    }

    private static String stackTraceOf(Throwable e) {
        java.io.StringWriter text = new java.io.StringWriter();
        e.printStackTrace(new java.io.PrintWriter(text));
        return text.toString();
    }

    // ---- uploads --------------------------------------------------------------------------

    @Test
    void aBlobLargerThanAChunkGoesUpAsAResumableUploadInSeveralChunks() throws IOException {
        int starts = fake.count("upload.start");
        int chunks = fake.count("upload.chunk");
        int multiparts = fake.count("upload.multipart");
        byte[] bytes = randomBytes(4 * CHUNK + 1000, 5);

        assertThat(put("p/s/big", bytes)).isEqualTo(bytes.length);

        assertThat(fake.count("upload.start") - starts).isEqualTo(1);
        assertThat(fake.count("upload.chunk") - chunks).isGreaterThanOrEqualTo(5);
        assertThat(fake.count("upload.multipart") - multiparts).isZero();
        assertThat(fake.object(bucket, "p/s/big")).isEqualTo(bytes);
        assertThat(read("p/s/big")).isEqualTo(bytes);
    }

    @Test
    void aBlobOfAtMostOneChunkGoesUpInOneRequest() throws IOException {
        int starts = fake.count("upload.start");
        int multiparts = fake.count("upload.multipart");
        byte[] exactlyOneChunk = randomBytes(CHUNK, 6);

        put("p/s/small", new byte[] {1, 2, 3});
        put("p/s/chunk", exactlyOneChunk);

        assertThat(fake.count("upload.multipart") - multiparts).isEqualTo(2);
        assertThat(fake.count("upload.start") - starts).isZero();
        assertThat(read("p/s/chunk")).isEqualTo(exactlyOneChunk);
    }

    @Test
    void aStreamFailingAfterSeveralChunksLeavesNoObjectAtAll() {
        int chunks = fake.count("upload.chunk");
        int finalized = fake.count("upload.finalized");
        int abandoned = fake.openUploads();
        IOException failure = new IOException("client went away");

        assertThatThrownBy(() -> store.put("p/s/broken", failingAfter(3 * CHUNK + 100, failure)))
                .isSameAs(failure);

        assertThat(fake.count("upload.chunk") - chunks).isGreaterThanOrEqualTo(2);
        assertThat(fake.count("upload.finalized") - finalized).isZero();
        assertThat(fake.openUploads() - abandoned).isEqualTo(1); // left unfinalized, never closed
        assertThat(fake.objectNames(bucket)).isEmpty();
        assertThat(store.exists("p/s/broken")).isFalse();
        assertThatThrownBy(() -> store.open("p/s/broken")).isInstanceOf(BlobNotFoundException.class);
    }

    @Test
    void aStoreFailureInTheMiddleOfAnUploadIsUnavailableAndLeavesNothing() {
        int finalized = fake.count("upload.finalized");
        // The fake fails from the third chunk on; the stream itself never fails.
        InputStream content = new InputStream() {
            private int served;

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0];
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (served >= 2 * CHUNK) {
                    fake.failWith(503);
                }
                if (served >= 6 * CHUNK) {
                    return -1;
                }
                int n = Math.min(len, 64 * 1024);
                served += n;
                return n;
            }
        };

        assertThatThrownBy(() -> store.put("p/s/cut", content))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining(bucket)
                .hasMessageContaining("p/s/cut")
                .hasMessageNotContaining("upload_id=")
                .satisfies(e -> assertThat(stackTraceOf(e)).doesNotContain("upload_id="));

        fake.failWith(0);
        assertThat(fake.count("upload.finalized") - finalized).isZero();
        assertThat(fake.objectNames(bucket)).isEmpty();
        assertThat(store.exists("p/s/cut")).isFalse();
    }

    @Test
    void thePrefixIsPrependedToEveryObjectName() throws IOException {
        try (BlobStore prefixed = GcsBlobStores.open(settings(bucket).withPrefix("tenants/a/"))) {
            prefixed.put("p/s/v1", new ByteArrayInputStream(new byte[] {4, 2}));
            prefixed.put("p/s/large", new ByteArrayInputStream(randomBytes(2 * CHUNK + 1, 8)));

            assertThat(fake.objectNames(bucket)).containsExactly("tenants/a/p/s/large", "tenants/a/p/s/v1");
            assertThat(fake.object(bucket, "tenants/a/p/s/v1")).containsExactly(4, 2);
            assertThat(store.exists("tenants/a/p/s/v1")).isTrue();
            assertThat(store.exists("p/s/v1")).isFalse();
            try (InputStream in = prefixed.open("p/s/v1")) {
                assertThat(in.readAllBytes()).containsExactly(4, 2);
            }
            prefixed.delete("p/s/v1");
            assertThat(fake.objectNames(bucket)).containsExactly("tenants/a/p/s/large");
            prefixed.ping();
            assertThat(fake.objectNames(bucket)).containsExactly("tenants/a/p/s/large");
        }
    }

    @Test
    void pingLeavesNoProbeObjectBehind() {
        store.ping();
        assertThat(fake.objectNames(bucket)).isEmpty();
    }

    @Test
    void openStreamsTheBytesOfTheBlobAndAnEmptyBlobIsAnEmptyStream() throws IOException {
        byte[] bytes = randomBytes(100_000, 12);
        put("p/s/v1", bytes);
        put("p/s/empty", new byte[0]);
        try (InputStream in = store.open("p/s/v1")) {
            assertThat(in.read()).isEqualTo(bytes[0] & 0xff);
            byte[] rest = in.readAllBytes();
            assertThat(rest).hasSize(bytes.length - 1);
            assertThat(in.read()).isEqualTo(-1);
        }
        try (InputStream in = store.open("p/s/empty")) {
            assertThat(in.read()).isEqualTo(-1);
        }
    }

    // ---- failures -------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(ints = {401, 403, 429, 500, 503})
    void serviceErrorsAreUnavailableNeverNotFound(int status) throws IOException {
        put("p/s/there", new byte[] {1});
        fake.failWith(status);

        assertUnavailable(() -> store.open("p/s/there"), "p/s/there");
        assertUnavailable(() -> store.open("p/s/missing"), "p/s/missing");
        assertUnavailable(() -> store.exists("p/s/there"), "p/s/there");
        assertUnavailable(() -> store.put("p/s/new", new ByteArrayInputStream(new byte[] {2})), "p/s/new");
        assertUnavailable(
                () -> store.put("p/s/large", new ByteArrayInputStream(randomBytes(2 * CHUNK, 1))), "p/s/large");
        assertUnavailable(() -> store.delete("p/s/there"), "p/s/there");
        assertThatThrownBy(store::ping)
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining(bucket);

        fake.failWith(0);
        assertThat(read("p/s/there")).containsExactly(1);
    }

    private void assertUnavailable(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String key) {
        assertThatThrownBy(call)
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining(bucket)
                .hasMessageContaining(key);
    }

    @Test
    void anEndpointWhereNothingListensIsUnavailable() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        GcsSettings dead = settings("dead-bucket").withEndpoint(URI.create("http://127.0.0.1:" + port));

        assertThatThrownBy(() -> GcsBlobStores.open(dead))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("dead-bucket");
        try (BlobStore unreachable = GcsBlobStores.open(dead.withCreate(false))) {
            assertThatThrownBy(unreachable::ping)
                    .isInstanceOf(StoreUnavailableException.class)
                    .hasMessageContaining("dead-bucket");
            assertThatThrownBy(() -> unreachable.open("p/s/v1"))
                    .isInstanceOf(StoreUnavailableException.class)
                    .hasMessageContaining("dead-bucket")
                    .hasMessageContaining("p/s/v1");
            assertThatThrownBy(() -> unreachable.exists("p/s/v1")).isInstanceOf(StoreUnavailableException.class);
            assertThatThrownBy(() -> unreachable.put("p/s/v1", new ByteArrayInputStream(new byte[] {1})))
                    .isInstanceOf(StoreUnavailableException.class);
            assertThatThrownBy(() -> unreachable.delete("p/s/v1")).isInstanceOf(StoreUnavailableException.class);
        }
    }

    @Test
    void aMissingBucketIsNotCreatedWithoutCreateAndIsAnOutageNotAMissingBlob() {
        try (BlobStore noBucket = GcsBlobStores.open(settings("missing-bucket").withCreate(false))) {
            assertThatThrownBy(noBucket::ping)
                    .isInstanceOf(StoreUnavailableException.class)
                    .hasMessageContaining("missing-bucket");
            assertThatThrownBy(() -> noBucket.open("p/s/v1"))
                    .isInstanceOf(StoreUnavailableException.class)
                    .hasMessageContaining("missing-bucket");
            assertThatThrownBy(() -> noBucket.exists("p/s/v1")).isInstanceOf(StoreUnavailableException.class);
            assertThatThrownBy(() -> noBucket.delete("p/s/v1")).isInstanceOf(StoreUnavailableException.class);
            assertThatThrownBy(() -> noBucket.put("p/s/v1", new ByteArrayInputStream(new byte[] {1})))
                    .isInstanceOf(StoreUnavailableException.class)
                    .hasMessageContaining("missing-bucket")
                    .hasMessageContaining("p/s/v1");
        }
        assertThat(fake.objectNames("missing-bucket")).isEmpty();
    }

    @Test
    void openingTwiceWithCreateReusesTheBucket() throws IOException {
        put("p/s/v1", new byte[] {9});
        try (BlobStore again = GcsBlobStores.open(settings(bucket))) {
            assertThat(again.exists("p/s/v1")).isTrue();
        }
    }

    // ---- settings -------------------------------------------------------------------------

    @Test
    void settingsToStringShowsNoSecret(@TempDir Path dir) throws IOException {
        com.google.gson.JsonObject json = new com.google.gson.JsonObject();
        json.addProperty("type", "service_account");
        json.addProperty("client_email", "x@y.iam.gserviceaccount.com");
        json.addProperty("private_key_id", "0123abcd");
        json.addProperty("private_key", "-----BEGIN PRIVATE KEY-----MIIEvAIBADANBgkqhkiG9w0-----END PRIVATE KEY-----");
        Path file = Files.writeString(dir.resolve("sa.json"), json.toString());
        GcsSettings settings = GcsSettings.of("b")
                .withCredentialsFile(file)
                .withEndpoint(URI.create("https://user:hunter2@gcs.example:8443/base"));

        String text = settings.toString();

        assertThat(text)
                .contains("bucket=b", file.toString(), "gcs.example:8443")
                .doesNotContain("PRIVATE KEY", "MIIEvAIBADAN", "0123abcd", "hunter2");
    }

    @Test
    void aServiceAccountFileIsUsedForEveryRequest(@TempDir Path dir) throws Exception {
        java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + java.util.Base64.getMimeEncoder()
                        .encodeToString(generator.generateKeyPair().getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        com.google.gson.JsonObject json = new com.google.gson.JsonObject();
        json.addProperty("type", "service_account");
        json.addProperty("project_id", "test-project");
        json.addProperty("private_key_id", "key-1");
        json.addProperty("private_key", pem);
        json.addProperty("client_email", "statefort@test-project.iam.gserviceaccount.com");
        json.addProperty("client_id", "1");
        json.addProperty("token_uri", fake.endpoint() + "/token");
        assertUsesTokenFrom(Files.writeString(dir.resolve("sa.json"), json.toString()));
    }

    /**
     * An external-account (workload identity federation) file loads; its token exchange must go over
     * HTTPS, which the fake does not speak, so it points at a closed port: an auth failure, which is an
     * outage like any other.
     */
    @Test
    void anExternalAccountFileIsLoadedAndAFailingTokenExchangeIsUnavailable(@TempDir Path dir) throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path subjectToken = Files.writeString(dir.resolve("oidc-token"), "header.payload.signature");
        com.google.gson.JsonObject source = new com.google.gson.JsonObject();
        source.addProperty("file", subjectToken.toString());
        com.google.gson.JsonObject json = new com.google.gson.JsonObject();
        json.addProperty("type", "external_account");
        json.addProperty(
                "audience", "//iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/p/providers/q");
        json.addProperty("subject_token_type", "urn:ietf:params:oauth:token-type:jwt");
        json.addProperty("token_url", "https://127.0.0.1:" + port + "/token");
        json.add("credential_source", source);
        Path file = Files.writeString(dir.resolve("wif.json"), json.toString());
        GcsSettings settings =
                settings(bucket).withAnonymous(false).withCreate(false).withCredentialsFile(file);

        try (BlobStore federated = GcsBlobStores.open(settings)) {
            assertThatThrownBy(() -> federated.open("p/s/v1"))
                    .isInstanceOf(StoreUnavailableException.class)
                    .hasMessageContaining(bucket)
                    .hasMessageContaining("p/s/v1");
            assertThatThrownBy(federated::ping)
                    .isInstanceOf(StoreUnavailableException.class)
                    .hasMessageNotContaining("header.payload.signature");
        }
    }

    private void assertUsesTokenFrom(Path credentialsFile) throws IOException {
        int tokens = fake.count("token");
        GcsSettings settings = settings(bucket).withAnonymous(false).withCredentialsFile(credentialsFile);
        try (BlobStore authenticated = GcsBlobStores.open(settings)) {
            authenticated.put("p/s/v1", new ByteArrayInputStream(new byte[] {3}));
            assertThat(authenticated.exists("p/s/v1")).isTrue();
        }
        assertThat(fake.count("token") - tokens).isGreaterThanOrEqualTo(1);
        assertThat(fake.lastAuthorization()).isEqualTo("Bearer " + FakeGcsServer.TOKEN);
    }

    @Test
    void anAnonymousStoreSendsNoCredentials() throws IOException {
        put("p/s/v1", new byte[] {1});
        assertThat(store.exists("p/s/v1")).isTrue();
        assertThat(fake.lastAuthorization()).isEmpty();
    }

    @Test
    void anUnreadableCredentialsFileFailsWithoutPrintingIt(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("bad.json"), "{\"type\":\"nonsense\",\"private_key\":\"s3cr3t\"}");
        assertThatThrownBy(() -> GcsBlobStores.open(GcsSettings.of("b")
                        .withEndpoint(fake.endpoint())
                        .withProject("test-project")
                        .withCredentialsFile(file)))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining(file.toString())
                .hasMessageNotContaining("s3cr3t");
    }

    @Test
    void settingsAreValidated() {
        assertThat(GcsSettings.of("b").chunkSize()).isEqualTo(8 * 1024 * 1024);
        assertThat(GcsSettings.of("b").prefix()).isEmpty();
        assertThat(GcsSettings.of("b").create()).isFalse();
        assertThatThrownBy(() -> GcsSettings.of("b").withChunkSize(100_000))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GcsSettings.of("b").withPrefix("no-slash"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GcsSettings.of("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GcsSettings.of("b").withAnonymous(true).withCredentialsFile(Path.of("x.json")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
