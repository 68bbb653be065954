package dev.statefort.store.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.statefort.core.spi.BlobNotFoundException;
import dev.statefort.core.spi.BlobStore;
import dev.statefort.core.spi.StoreUnavailableException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** What the S3 store does beyond the contract: parts, aborts, the prefix, checksums, and failures that are not "not found". */
class S3BlobStoreBehaviourTest {
    private static final int MIB = 1024 * 1024;
    static S3ProxyServer server;

    @BeforeAll
    static void startServer() throws Exception {
        server = S3ProxyServer.start();
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    /** Records the operation name and the HTTP headers of every request the client sends. */
    static final class Requests implements ExecutionInterceptor {
        final List<String> operations = new CopyOnWriteArrayList<>();
        final List<String> headerNames = new CopyOnWriteArrayList<>();

        @Override
        public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
            operations.add(context.request().getClass().getSimpleName());
            headerNames.addAll(context.httpRequest().headers().keySet());
        }
    }

    private static byte[] random(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    private static S3Client raw(S3Settings settings) {
        return S3BlobStores.client(settings, List.of());
    }

    @Test
    void aBlobLargerThanOnePartGoesUpAsAMultipartUploadAndReadsBackExactly() throws IOException {
        Requests requests = new Requests();
        S3Settings settings = server.freshBucket().withPartSize(5 * MIB);
        byte[] bytes = random(12 * MIB + 17);
        try (BlobStore store = S3BlobStores.open(settings, List.of(requests))) {
            assertThat(store.put("p/s/big", new ByteArrayInputStream(bytes))).isEqualTo(bytes.length);
            try (InputStream in = store.open("p/s/big")) {
                assertThat(in.readAllBytes()).isEqualTo(bytes);
            }
        }
        assertThat(requests.operations)
                .containsSubsequence(
                        "CreateMultipartUploadRequest",
                        "UploadPartRequest",
                        "UploadPartRequest",
                        "UploadPartRequest",
                        "CompleteMultipartUploadRequest")
                .doesNotContain("PutObjectRequest");
        assertThat(requests.operations.stream().filter("UploadPartRequest"::equals))
                .hasSize(3);
    }

    @Test
    void aBlobOfExactlyOnePartIsOnePutObject() throws IOException {
        Requests requests = new Requests();
        try (BlobStore store = S3BlobStores.open(server.freshBucket().withPartSize(5 * MIB), List.of(requests))) {
            store.put("p/s/one", new ByteArrayInputStream(random(5 * MIB)));
        }
        assertThat(requests.operations).contains("PutObjectRequest").doesNotContain("UploadPartRequest");
    }

    @Test
    void aStreamThatFailsAfterSeveralPartsLeavesNothingAndAbortsTheUpload() {
        S3Settings settings = server.freshBucket().withPartSize(5 * MIB);
        IOException failure = new IOException("client went away");
        InputStream failing = new SequenceInputStream(new ByteArrayInputStream(random(11 * MIB)), new InputStream() {
            @Override
            public int read() throws IOException {
                throw failure;
            }
        });
        try (BlobStore store = S3BlobStores.open(settings);
                S3Client raw = raw(settings)) {
            assertThatThrownBy(() -> store.put("p/s/broken", failing)).isSameAs(failure);
            assertThat(store.exists("p/s/broken")).isFalse();
            assertThatThrownBy(() -> store.open("p/s/broken")).isInstanceOf(BlobNotFoundException.class);
            assertThat(raw.listMultipartUploads(r -> r.bucket(settings.bucket()))
                            .uploads())
                    .as("the multipart upload was aborted")
                    .isEmpty();
        }
    }

    @Test
    void keysLiveUnderThePrefixInTheBucket() throws IOException {
        S3Settings settings = server.freshBucket().withPrefix("team-a/statefort/");
        try (BlobStore store = S3BlobStores.open(settings);
                S3Client raw = raw(settings)) {
            store.put("infra/network/v1", new ByteArrayInputStream(new byte[] {1, 2, 3}));
            List<String> names = new ArrayList<>();
            for (S3Object o :
                    raw.listObjectsV2(r -> r.bucket(settings.bucket())).contents()) {
                names.add(o.key());
            }
            assertThat(names).containsExactly("team-a/statefort/infra/network/v1");
        }
    }

    @Test
    void withACustomEndpointTheSdksNewChecksumHeadersAreNotSentByDefault() throws IOException {
        Requests requests = new Requests();
        S3Settings settings = server.freshBucket();
        assertThat(settings.effectiveChecksums()).isEqualTo(S3Settings.Checksums.WHEN_REQUIRED);
        try (BlobStore store = S3BlobStores.open(settings, List.of(requests))) {
            store.put("p/s/k", new ByteArrayInputStream(random(1000)));
        }
        assertThat(requests.headerNames)
                .noneMatch(h -> h.toLowerCase().startsWith("x-amz-checksum-")
                        || h.equalsIgnoreCase("x-amz-sdk-checksum-algorithm"));
    }

    @Test
    void withChecksumsAlwaysTheSdkSendsThem() throws IOException {
        Requests requests = new Requests();
        S3Settings settings = server.freshBucket().withChecksums(S3Settings.Checksums.ALWAYS);
        try (BlobStore store = S3BlobStores.open(settings, List.of(requests))) {
            store.put("p/s/k", new ByteArrayInputStream(random(1000)));
            try (InputStream in = store.open("p/s/k")) {
                assertThat(in.readAllBytes()).hasSize(1000);
            }
        }
        assertThat(requests.headerNames)
                .anyMatch(h -> h.toLowerCase().startsWith("x-amz-checksum-")
                        || h.equalsIgnoreCase("x-amz-sdk-checksum-algorithm"));
    }

    @Test
    void aWrongSecretIsUnavailableNeverNotFoundAndTheMessageHoldsNoSecret() throws IOException {
        S3Settings good = server.freshBucket();
        try (BlobStore store = S3BlobStores.open(good)) {
            store.put("p/s/k", new ByteArrayInputStream(new byte[] {1}));
        }
        String wrongSecret = "definitely-not-the-secret-4242";
        S3Settings bad = good.withEndpoint(good.endpoint(), "us-east-1", S3ProxyServer.IDENTITY, wrongSecret)
                .withCreate(false);
        try (BlobStore store = S3BlobStores.open(bad)) {
            assertThatThrownBy(() -> store.open("p/s/k"))
                    .isInstanceOf(StoreUnavailableException.class)
                    .hasMessageContaining(good.bucket())
                    .hasMessageNotContaining(wrongSecret)
                    .hasMessageNotContaining(S3ProxyServer.CREDENTIAL);
            assertThatThrownBy(() -> store.exists("p/s/k")).isInstanceOf(StoreUnavailableException.class);
            assertThatThrownBy(store::ping).isInstanceOf(StoreUnavailableException.class);
        }
    }

    @Test
    void anUnreachableEndpointIsUnavailableForEveryOperation() throws IOException {
        int deadPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            deadPort = socket.getLocalPort();
        }
        S3Settings dead = S3Settings.of("nowhere")
                .withEndpoint(URI.create("http://127.0.0.1:" + deadPort), "us-east-1", "id", "secret-secret");
        try (BlobStore store = S3BlobStores.open(dead)) {
            assertThatThrownBy(() -> store.open("p/s/k"))
                    .isInstanceOf(StoreUnavailableException.class)
                    .hasMessageContaining("nowhere");
            assertThatThrownBy(() -> store.put("p/s/k", new ByteArrayInputStream(new byte[] {1})))
                    .isInstanceOf(StoreUnavailableException.class);
            assertThatThrownBy(() -> store.exists("p/s/k")).isInstanceOf(StoreUnavailableException.class);
            assertThatThrownBy(() -> store.delete("p/s/k")).isInstanceOf(StoreUnavailableException.class);
            assertThatThrownBy(store::ping).isInstanceOf(StoreUnavailableException.class);
        }
    }

    @Test
    void aMissingBucketIsNotCreatedUnlessAskedAndPingNamesIt() {
        S3Settings missing = server.freshBucket().withCreate(false);
        try (BlobStore store = S3BlobStores.open(missing)) {
            assertThatThrownBy(store::ping)
                    .isInstanceOf(StoreUnavailableException.class)
                    .hasMessageContaining(missing.bucket());
            assertThatThrownBy(() -> store.open("p/s/k")).isInstanceOf(StoreUnavailableException.class);
        }
    }

    @Test
    void aDeletedBucketIsUnavailableNeverAMissingBlob() throws IOException {
        S3Settings settings = server.freshBucket();
        try (BlobStore store = S3BlobStores.open(settings);
                S3Client raw = raw(settings)) {
            store.put("p/s/k", new ByteArrayInputStream(new byte[] {1}));
            store.delete("p/s/k");
            raw.deleteBucket(r -> r.bucket(settings.bucket()));
            assertThatThrownBy(() -> store.exists("p/s/k"))
                    .isInstanceOf(StoreUnavailableException.class)
                    .hasMessageContaining(settings.bucket());
            assertThatThrownBy(() -> store.open("p/s/k"))
                    .isInstanceOf(StoreUnavailableException.class)
                    .hasMessageContaining(settings.bucket());
        }
    }

    @Test
    void settingsPrintNoSecret() {
        S3Settings settings = S3Settings.of("bkt")
                .withEndpoint(URI.create("http://127.0.0.1:9000"), "eu-west-1", "AKIDEXAMPLE", "wJalrXUtnFEMI-secret");
        S3Settings withToken = S3Settings.builder("bkt")
                .credentials("AKID", "secret-x")
                .sessionToken("session-token-y")
                .build();
        assertThat(settings.toString()).doesNotContain("wJalrXUtnFEMI-secret").contains("s3://bkt/");
        assertThat(withToken.toString()).doesNotContain("secret-x").doesNotContain("session-token-y");
    }

    @Test
    void pathStyleFollowsTheEndpointUnlessSet() {
        assertThat(S3Settings.of("bkt").effectivePathStyle()).isFalse();
        assertThat(server.freshBucket().effectivePathStyle()).isTrue();
        assertThat(server.freshBucket().withPathStyle(false).effectivePathStyle())
                .isFalse();
        assertThat(S3Settings.of("bkt").effectiveChecksums()).isEqualTo(S3Settings.Checksums.ALWAYS);
    }
}
