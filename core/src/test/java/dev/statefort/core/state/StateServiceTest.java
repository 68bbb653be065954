package dev.statefort.core.state;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.statefort.core.InvalidInputException;
import dev.statefort.core.audit.AuditService;
import dev.statefort.core.auth.Principal;
import dev.statefort.core.lock.LockService;
import dev.statefort.core.model.LockResult;
import dev.statefort.core.model.ProjectNotFoundException;
import dev.statefort.core.model.StateKey;
import dev.statefort.core.model.UnlockResult;
import dev.statefort.core.model.VersionRecord;
import dev.statefort.core.policy.SettingsService;
import dev.statefort.core.testing.InMemoryBlobStore;
import dev.statefort.core.testing.InMemoryMetadataStore;
import dev.statefort.core.testing.TestPrincipals;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StateServiceTest {
    private static final long MAX = 1024 * 1024;
    private static final StateKey KEY = new StateKey("default", "network");
    private static final String STATE_V1 = """
            {
              "version": 4,
              "terraform_version": "1.11.4",
              "serial": 7,
              "lineage": "3f1c2b9a-0000-4000-8000-000000000001",
              "outputs": {},
              "resources": [],
              "check_results": null
            }
            """;
    private static final String STATE_V2 = "{\"version\":4,\"serial\":1,\"lineage\":\"other\",\"resources\":[]}";
    private static final String ENCRYPTED =
            "{\"serial\":3,\"lineage\":\"abc\",\"meta\":{\"key_provider.pbkdf2.main\":\"e30=\"},"
                    + "\"encrypted_data\":\"SGVsbG8=\",\"encryption_version\":\"v0\"}";

    private static final Principal T = TestPrincipals.admin("t");

    private InMemoryMetadataStore metadata;
    private InMemoryBlobStore blobs;
    private StateService service;
    private LockService locks;

    @BeforeEach
    void setUp() {
        metadata = new InMemoryMetadataStore();
        blobs = new InMemoryBlobStore();
        metadata.createProject("default", Instant.EPOCH);
        Clock clock = Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC);
        service = StateService.withDefaults(metadata, blobs, MAX, clock);
        locks = new LockService(
                metadata, new SettingsService(metadata, clock), new AuditService(metadata, clock), clock);
    }

    @Test
    void writeStoresExactBytesAndRecordsSerialLineageAndDigest() throws Exception {
        VersionRecord v = written(write(STATE_V1, null));

        assertThat(v.number()).isEqualTo(1);
        assertThat(v.serial()).isEqualTo(7L);
        assertThat(v.lineage()).isEqualTo("3f1c2b9a-0000-4000-8000-000000000001");
        assertThat(v.size()).isEqualTo(STATE_V1.getBytes(UTF_8).length);
        assertThat(v.sha256())
                .isEqualTo(HexFormat.of()
                        .formatHex(MessageDigest.getInstance("SHA-256").digest(STATE_V1.getBytes(UTF_8))));
        try (InputStream in =
                service.read(TestPrincipals.admin("test"), KEY).orElseThrow().content()) {
            assertThat(in.readAllBytes()).isEqualTo(STATE_V1.getBytes(UTF_8));
        }
    }

    @Test
    void openTofuEncryptedBodyIsStoredOpaquelyWithoutSerialOrLineage() throws Exception {
        VersionRecord v = written(write(ENCRYPTED, null));
        assertThat(v.serial()).isNull();
        assertThat(v.lineage()).isNull();
        try (InputStream in =
                service.read(TestPrincipals.admin("test"), KEY).orElseThrow().content()) {
            assertThat(new String(in.readAllBytes(), UTF_8)).isEqualTo(ENCRYPTED);
        }
    }

    @Test
    void bodiesThatAreNotOneJsonObjectAreRejectedAndLeaveNothingBehind() throws Exception {
        written(write(STATE_V1, null));
        for (String bad : new String[] {"", "[1,2]", "\"x\"", "{\"a\":1} {}", "{\"a\":", "not json", "{\"a\":1}x"}) {
            assertThatThrownBy(() -> write(bad, null)).as("body %s", bad).isInstanceOf(InvalidInputException.class);
        }
        assertThat(metadata.headVersion(KEY).orElseThrow().number()).isEqualTo(1);
        assertThat(blobs.keys()).hasSize(1);
    }

    @Test
    void declaredOrActualSizeOverTheLimitIsRejectedNamingTheLimit() {
        assertThatThrownBy(() -> service.write(
                        WriteRequest.of(KEY, InputStream.nullInputStream(), MAX + 1, TestPrincipals.admin("t"))))
                .isInstanceOf(StateTooLargeException.class)
                .hasMessageContaining("1 MiB");
        String big = "{\"pad\":\"" + "x".repeat((int) MAX) + "\"}";
        assertThatThrownBy(() -> service.write(WriteRequest.of(KEY, stream(big), -1, TestPrincipals.admin("t"))))
                .isInstanceOf(StateTooLargeException.class);
        assertThat(blobs.keys()).isEmpty();
        assertThat(metadata.headVersion(KEY)).isEmpty();
    }

    @Test
    void contentMd5IsCheckedWhenPresent() throws Exception {
        String good = Base64.getEncoder()
                .encodeToString(MessageDigest.getInstance("MD5").digest(STATE_V1.getBytes(UTF_8)));
        written(write(STATE_V1, good));
        String wrong = Base64.getEncoder().encodeToString(new byte[16]);
        assertThatThrownBy(() -> write(STATE_V1, wrong))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("Content-MD5");
        assertThatThrownBy(() -> write(STATE_V1, "%%%")).isInstanceOf(InvalidInputException.class);
        assertThat(metadata.headVersion(KEY).orElseThrow().number()).isEqualTo(1);
        assertThat(blobs.keys()).hasSize(1);
    }

    @Test
    void aBodyCutOffMidwayKeepsThePreviousVersionCurrent() throws Exception {
        written(write(STATE_V1, null));
        byte[] validPrefix = "{\"version\":4,\"serial\":8,\"resources\":[".getBytes(UTF_8);
        InputStream failing = new InputStream() {
            private int sent;

            @Override
            public int read() throws IOException {
                if (sent < validPrefix.length) {
                    return validPrefix[sent++];
                }
                throw new IOException("connection reset");
            }
        };
        assertThatThrownBy(() -> service.write(WriteRequest.of(KEY, failing, 1000, TestPrincipals.admin("t"))))
                .isInstanceOf(IOException.class);
        assertThat(metadata.headVersion(KEY).orElseThrow().number()).isEqualTo(1);
        assertThat(blobs.keys()).hasSize(1);
    }

    @Test
    void writeHonoursTheLockAndRecordsTheLockOperation() throws Exception {
        byte[] lockInfo = "{\"ID\":\"lock-a\",\"Operation\":\"OperationTypeApply\"}".getBytes(UTF_8);
        assertThat(locks.lock(T, KEY, lockInfo)).isInstanceOf(LockResult.Acquired.class);

        assertThat(write(STATE_V1, null)).isInstanceOf(WriteOutcome.Locked.class);
        assertThat(service.write(WriteRequest.of(KEY, stream(STATE_V1), -1, TestPrincipals.admin("t"))
                        .underLock("lock-b")))
                .isInstanceOf(WriteOutcome.Locked.class);
        assertThat(blobs.keys()).isEmpty();

        VersionRecord v = written(service.write(WriteRequest.of(KEY, stream(STATE_V1), -1, TestPrincipals.admin("t"))
                .underLock("lock-a")));
        assertThat(v.lockId()).isEqualTo("lock-a");
        assertThat(v.operation()).isEqualTo("OperationTypeApply");
    }

    @Test
    void unlockWithEmptyBodyForcesAndWithOtherIdIsRefused() {
        locks.lock(T, KEY, "{\"ID\":\"lock-a\"}".getBytes(UTF_8));
        assertThat(locks.unlock(T, KEY, "{\"ID\":\"lock-b\"}".getBytes(UTF_8))).isInstanceOf(UnlockResult.HeldBy.class);
        assertThat(locks.unlock(T, KEY, new byte[0])).isInstanceOf(UnlockResult.Released.class);
        assertThat(locks.unlock(T, KEY, new byte[0])).isInstanceOf(UnlockResult.NotLocked.class);
    }

    @Test
    void aStateInAMissingProjectIsReportedAsSuch() {
        StateKey missing = new StateKey("nope", "x");
        assertThatThrownBy(
                        () -> service.write(WriteRequest.of(missing, stream(STATE_V1), -1, TestPrincipals.admin("t"))))
                .isInstanceOf(ProjectNotFoundException.class)
                .hasMessageContaining("'nope' does not exist");
        assertThatThrownBy(() -> service.read(TestPrincipals.admin("test"), missing))
                .isInstanceOf(ProjectNotFoundException.class);
    }

    @Test
    void largeStringsAndDeepResourcesStreamThroughTheParser() throws Exception {
        StringBuilder sb = new StringBuilder("{\"version\":4,\"serial\":99,\"lineage\":\"l\",\"resources\":[");
        for (int i = 0; i < 2000; i++) {
            sb.append(i == 0 ? "" : ",")
                    .append("{\"type\":\"terraform_data\",\"name\":\"r")
                    .append(i)
                    .append("\",\"instances\":[{\"attributes\":{\"input\":\"")
                    .append("y".repeat(200))
                    .append("\"}}]}");
        }
        sb.append("],\"blob\":\"").append("z".repeat(400_000)).append("\"}");
        VersionRecord v = written(write(sb.toString(), null));
        assertThat(v.serial()).isEqualTo(99L);
        assertThat(v.size()).isEqualTo(sb.length());
    }

    /** Issue 10 point 8: a version row cannot serve another state's blob (nor pick another project's key). */
    @Test
    void aVersionRowPointingAtAnotherStatesBlobIsAnIntegrityErrorNotItsBytes() throws Exception {
        StateKey other = new StateKey("default", "secrets");
        VersionRecord theirs = written(service.write(
                WriteRequest.of(other, stream(STATE_V2), STATE_V2.length(), TestPrincipals.admin("token:test"))));
        VersionRecord mine = written(write(STATE_V1, null));
        assertThat(metadata.replaceVersionBlob(KEY, mine.number(), mine.blobKey(), theirs.blobKey()))
                .isTrue();

        assertThatThrownBy(() -> service.read(TestPrincipals.admin("test"), KEY))
                .isInstanceOf(dev.statefort.core.crypto.BlobIntegrityException.class)
                .hasMessageContaining(theirs.blobKey())
                .hasMessageNotContaining("serial");
        assertThatThrownBy(() -> service.readVersion(TestPrincipals.admin("test"), KEY, mine.number()))
                .isInstanceOf(dev.statefort.core.crypto.BlobIntegrityException.class);
    }

    /** Issue 10 point 8: bytes that do not match the row's SHA-256 never come out whole. */
    @Test
    void aBlobWhoseBytesDoNotMatchTheVersionsDigestFailsAtTheEndAndHoldsTheLastByteBack() throws Exception {
        VersionRecord v = written(write(STATE_V1, null));
        byte[] tampered = STATE_V1.replace("\"serial\": 7", "\"serial\": 8").getBytes(UTF_8);
        assertThat(tampered).isNotEqualTo(STATE_V1.getBytes(UTF_8));
        blobs.put(v.blobKey(), new ByteArrayInputStream(tampered));

        java.io.ByteArrayOutputStream received = new java.io.ByteArrayOutputStream();
        try (InputStream in =
                service.read(TestPrincipals.admin("test"), KEY).orElseThrow().content()) {
            assertThatThrownBy(() -> in.transferTo(received))
                    .isInstanceOf(dev.statefort.core.crypto.BlobIntegrityException.class)
                    .hasMessageContaining(v.blobKey())
                    .hasMessageContaining("SHA-256");
        }
        assertThat(received.size()).as("never the whole body").isLessThan(tampered.length);

        blobs.put(v.blobKey(), new ByteArrayInputStream(STATE_V1.getBytes(UTF_8)));
        try (InputStream in =
                service.read(TestPrincipals.admin("test"), KEY).orElseThrow().content()) {
            assertThat(in.readAllBytes()).isEqualTo(STATE_V1.getBytes(UTF_8));
        }
        try (InputStream in =
                service.read(TestPrincipals.admin("test"), KEY).orElseThrow().content()) {
            java.io.ByteArrayOutputStream byOne = new java.io.ByteArrayOutputStream();
            for (int b; (b = in.read()) >= 0; ) {
                byOne.write(b);
            }
            assertThat(byOne.toByteArray()).isEqualTo(STATE_V1.getBytes(UTF_8));
        }
    }

    private WriteOutcome write(String body, String md5) throws IOException {
        return service.write(
                WriteRequest.of(KEY, stream(body), body.getBytes(UTF_8).length, TestPrincipals.admin("token:test"))
                        .withContentMd5(md5));
    }

    private static VersionRecord written(WriteOutcome outcome) {
        assertThat(outcome).isInstanceOf(WriteOutcome.Written.class);
        return ((WriteOutcome.Written) outcome).version();
    }

    private static InputStream stream(String s) {
        return new ByteArrayInputStream(s.getBytes(UTF_8));
    }
}
