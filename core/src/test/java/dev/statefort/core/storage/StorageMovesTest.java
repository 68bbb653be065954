package dev.statefort.core.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.statefort.core.ConflictException;
import dev.statefort.core.InvalidInputException;
import dev.statefort.core.audit.AuditAction;
import dev.statefort.core.audit.AuditService;
import dev.statefort.core.auth.AccessDeniedException;
import dev.statefort.core.auth.Principal;
import dev.statefort.core.crypto.BlobIntegrityException;
import dev.statefort.core.model.AuditEvent;
import dev.statefort.core.model.AuditQuery;
import dev.statefort.core.model.CommitResult;
import dev.statefort.core.model.NewVersion;
import dev.statefort.core.model.PageRequest;
import dev.statefort.core.model.Permission;
import dev.statefort.core.model.StateKey;
import dev.statefort.core.model.VersionCommit;
import dev.statefort.core.model.VersionRecord;
import dev.statefort.core.spi.BlobStore;
import dev.statefort.core.spi.StoreUnavailableException;
import dev.statefort.core.state.StateService;
import dev.statefort.core.state.WriteOutcome;
import dev.statefort.core.state.WriteRequest;
import dev.statefort.core.testing.InMemoryBlobStore;
import dev.statefort.core.testing.InMemoryMetadataStore;
import dev.statefort.core.testing.TestPrincipals;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Issue 13 point 4: moving a project's blobs between profiles while it is written and read. */
class StorageMovesTest {
    private static final Principal ROOT = new Principal("cli:root", null, Permission.ADMIN);
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-06T00:00:00Z"), ZoneOffset.UTC);

    private final InMemoryMetadataStore metadata = new InMemoryMetadataStore();
    private final Hooked a = new Hooked();
    private final Hooked b = new Hooked();
    private final StorageProfiles profiles = new StorageProfiles(
            "a",
            List.of(
                    new StorageProfiles.Profile("a", "filesystem", "/a", a),
                    new StorageProfiles.Profile("b", "s3", "s3://b/", b)));
    private final BlobStore blobs = profiles.routedBy(
            project -> metadata.findProject(project).map(dev.statefort.core.model.ProjectRecord::storage));
    private final AuditService audit = new AuditService(metadata, CLOCK);
    private final StateService states = StateService.withDefaults(metadata, blobs, 1 << 20, CLOCK);
    private final StorageMoves moves = new StorageMoves(metadata, blobs, profiles, audit);
    /** Every state's body by version number, as written. */
    private final Map<StateKey, Map<Long, String>> written = new LinkedHashMap<>();

    StorageMovesTest() {
        metadata.createProject("p", "a", CLOCK.instant());
    }

    @Test
    void everyVersionAndQuarantinedWriteMovesVerifiedAndTheProjectSwitches() throws IOException {
        for (int i = 1; i <= 3; i++) {
            write(new StateKey("p", "net"), i, 2);
            write(new StateKey("p", "app"), i, 1);
        }
        VersionRecord legacy = commitLegacyVersion(new StateKey("p", "old"));
        new dev.statefort.core.policy.SettingsService(metadata, CLOCK).patchProject("p", "{\"guard\":\"enforce\"}");
        WriteOutcome refused = states.write(request(new StateKey("p", "net"), body(4, 0)));
        assertThat(refused).isInstanceOf(WriteOutcome.Refused.class);
        assertThat(a.keys()).hasSize(8);

        List<StorageMoves.Progress> passes = new ArrayList<>();
        StorageMoves.Progress done = moves.move(ROOT, "p", "b", passes::add);

        assertThat(done.done()).isTrue();
        assertThat(done.storage()).isEqualTo("b");
        assertThat(done.blobs()).isEqualTo(8);
        assertThat(passes).hasSize(2); // the first moves everything, the second finds nothing left
        assertThat(a.keys()).isEmpty();
        assertThat(b.keys()).hasSize(8).allMatch(key -> key.split("/")[2].equals("b"));
        assertThat(metadata.findProject("p").orElseThrow().storage()).isEqualTo("b");
        assertEveryVersionReadsAsWritten();
        assertThat(read(states.readVersion(TestPrincipals.admin("test"), legacy.key(), 1)
                        .content()))
                .isEqualTo(body(1, 1));
        try (InputStream in = states.content(refusedVersion(refused))) {
            assertThat(new String(in.readAllBytes(), UTF_8)).isEqualTo(body(4, 0));
        }
        assertThat(actions()).containsSubsequence("storage.move.start", "storage.move.finish");
        AuditEvent finish = events(AuditAction.STORAGE_MOVE_FINISH).getFirst();
        assertThat(finish.detail()).contains("\"from\":\"a\"", "\"to\":\"b\"", "\"moved\":8");
        assertThat(finish.principal()).isEqualTo("cli:root");

        // and back, by another run: the project ends where it began
        assertThat(moves.move(ROOT, "p", "a", progress -> {}).storage()).isEqualTo("a");
        assertThat(b.keys()).isEmpty();
        assertEveryVersionReadsAsWritten();
    }

    @Test
    void writesDuringTheMoveGoToTheTargetAndNoneIsLost() throws IOException {
        StateKey key = new StateKey("p", "net");
        write(key, 1, 1);
        write(key, 2, 1);
        // while the move copies its first blob, a pipeline writes twice
        b.beforePut = once(k -> {
            write(key, 3, 1);
            write(new StateKey("p", "fresh"), 1, 1);
        });
        moves.move(ROOT, "p", "b", progress -> {});

        assertThat(a.keys()).isEmpty();
        assertThat(b.keys()).hasSize(4);
        assertEveryVersionReadsAsWritten();
    }

    @Test
    void aWriteThatChoseTheOldProfileBeforeTheMoveBeganMovesItsOwnBlobAfterItCommits() throws Exception {
        StateKey key = new StateKey("p", "net");
        write(key, 1, 1);
        CountDownLatch storing = new CountDownLatch(1);
        CountDownLatch moved = new CountDownLatch(1);
        a.beforePut = once(k -> {
            storing.countDown();
            await(moved);
        });
        Thread writer = Thread.ofVirtual().start(() -> write(key, 2, 1));
        assertThat(storing.await(10, TimeUnit.SECONDS)).isTrue();
        // the whole move runs while that write's blob goes to the old profile
        assertThat(moves.move(ROOT, "p", "b", progress -> {}).done()).isTrue();
        moved.countDown();
        writer.join(10_000);

        assertThat(a.keys()).as("nothing left on the old profile").isEmpty();
        assertThat(b.keys()).hasSize(2);
        assertEveryVersionReadsAsWritten();
        assertThat(moves.progress(ROOT, "p").remaining()).isZero();
    }

    @Test
    void anInterruptedMoveKeepsEveryVersionReadableAndFinishesWhenStartedAgain() throws IOException {
        for (int i = 1; i <= 4; i++) {
            write(new StateKey("p", "net"), i, 1);
        }
        int[] puts = {0};
        b.beforePut = k -> {
            if (++puts[0] == 3) {
                throw new StoreUnavailableException("bucket unreachable", null);
            }
        };
        assertThatThrownBy(() -> moves.move(ROOT, "p", "b", progress -> {}))
                .isInstanceOf(StoreUnavailableException.class);

        StorageMoves.Progress halfway = moves.progress(ROOT, "p");
        assertThat(halfway.movingTo()).isEqualTo("b");
        assertThat(halfway.remaining()).isEqualTo(2);
        assertThat(a.keys()).hasSize(2);
        assertThat(b.keys()).hasSize(2);
        assertEveryVersionReadsAsWritten();
        write(new StateKey("p", "net"), 5, 1); // writes go on meanwhile, to the target
        assertThat(b.keys()).hasSize(3);
        assertThatThrownBy(() -> moves.move(ROOT, "p", "a", progress -> {}))
                .isInstanceOf(ConflictException.class)
                .hasMessageContaining("'b'");

        b.beforePut = k -> {};
        assertThat(moves.move(ROOT, "p", "b", progress -> {}).done()).isTrue();
        assertThat(a.keys()).isEmpty();
        assertEveryVersionReadsAsWritten();
        assertThat(events(AuditAction.STORAGE_MOVE_START)).hasSize(1);
    }

    @Test
    void aCopyThatDoesNotReadBackAsTheVersionIsNeverSwitchedTo() throws IOException {
        write(new StateKey("p", "net"), 1, 1);
        b.corrupt = true;
        assertThatThrownBy(() -> moves.move(ROOT, "p", "b", progress -> {})).isInstanceOf(BlobIntegrityException.class);
        assertThat(b.keys()).as("the bad copy is deleted").isEmpty();
        assertThat(a.keys()).hasSize(1);
        assertEveryVersionReadsAsWritten();
    }

    @Test
    void aReaderHoldingARowFromBeforeTheMoveStillGetsItsBytes() throws IOException {
        StateKey key = new StateKey("p", "net");
        write(key, 1, 1);
        VersionRecord before = metadata.headVersion(key).orElseThrow();
        moves.move(ROOT, "p", "b", progress -> {});
        try (InputStream in = states.content(before)) {
            assertThat(new String(in.readAllBytes(), UTF_8)).isEqualTo(body(1, 1));
        }
    }

    @Test
    void onlyAGlobalAdminMovesAndOnlyToAConfiguredProfile() {
        Principal projectAdmin = new Principal("session:x", "p", Permission.ADMIN);
        assertThatThrownBy(() -> moves.move(projectAdmin, "p", "b", progress -> {}))
                .isInstanceOf(AccessDeniedException.class);
        assertThatThrownBy(() -> moves.progress(projectAdmin, "p")).isInstanceOf(AccessDeniedException.class);
        assertThatThrownBy(() -> moves.move(ROOT, "p", "nope", progress -> {}))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> moves.move(ROOT, "p", " ", progress -> {})).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> moves.move(ROOT, "missing", "b", progress -> {}))
                .isInstanceOf(dev.statefort.core.model.ProjectNotFoundException.class);
        assertThat(metadata.findProject("p").orElseThrow().movingTo()).isNull();
    }

    @Test
    void aMoveInTheBackgroundReportsItsProgressAndFinishes() throws Exception {
        write(new StateKey("p", "net"), 1, 1);
        StorageMoves.Progress started = moves.moveInBackground(ROOT, "p", "b");
        assertThat(started.target()).isEqualTo("b");
        for (int i = 0; i < 500 && !moves.progress(ROOT, "p").done(); i++) {
            Thread.sleep(10);
        }
        StorageMoves.Progress done = moves.progress(ROOT, "p");
        assertThat(done.done()).isTrue();
        assertThat(done.storage()).isEqualTo("b");
        assertEveryVersionReadsAsWritten();
    }

    // ---- helpers ------------------------------------------------------------------------------

    private void write(StateKey key, long serial, int resources) {
        String body = body(serial, resources);
        try {
            WriteOutcome outcome = states.write(request(key, body));
            VersionRecord v = ((WriteOutcome.Written) outcome).version();
            written.computeIfAbsent(key, k -> new LinkedHashMap<>()).put(v.number(), body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A version whose blob key names no profile, as written before moves existed. */
    private VersionRecord commitLegacyVersion(StateKey key) throws IOException {
        String body = body(1, 1);
        String blobKey = key.project() + "/" + key.name() + "/0b6c2d1e-legacy";
        a.put(blobKey, new ByteArrayInputStream(body.getBytes(UTF_8)));
        NewVersion version = new NewVersion(
                blobKey, 1L, "l", sha256(body), body.length(), "t", CLOCK.instant(), 1, "1.9.0", List.of());
        CommitResult result = metadata.commitVersion(VersionCommit.of(key, version, null));
        written.computeIfAbsent(key, k -> new LinkedHashMap<>()).put(1L, body);
        return ((CommitResult.Committed) result).version();
    }

    private void assertEveryVersionReadsAsWritten() throws IOException {
        for (Map.Entry<StateKey, Map<Long, String>> state : written.entrySet()) {
            assertThat(states.versions(TestPrincipals.admin("test"), state.getKey(), PageRequest.first(100))
                            .items())
                    .hasSize(state.getValue().size());
            for (Map.Entry<Long, String> version : state.getValue().entrySet()) {
                assertThat(read(states.readVersion(TestPrincipals.admin("test"), state.getKey(), version.getKey())
                                .content()))
                        .as("%s version %d", state.getKey(), version.getKey())
                        .isEqualTo(version.getValue());
            }
        }
    }

    private VersionRecord refusedVersion(WriteOutcome refused) {
        var q = metadata.findQuarantine(
                        new StateKey("p", "net"),
                        ((WriteOutcome.Refused) refused).quarantined().id())
                .orElseThrow();
        NewVersion v = q.version();
        return new VersionRecord(
                q.key(),
                0,
                v.serial(),
                v.lineage(),
                v.sha256(),
                v.size(),
                v.createdAt(),
                v.principal(),
                null,
                null,
                v.blobKey(),
                v.resourceCount(),
                v.terraformVersion(),
                v.flags());
    }

    private List<String> actions() {
        return audit.list(new AuditQuery("p", null, null, 100, null)).reversed().stream()
                .map(AuditEvent::action)
                .toList();
    }

    private List<AuditEvent> events(AuditAction action) {
        return audit.list(new AuditQuery("p", null, action.wireName(), 100, null));
    }

    private static WriteRequest request(StateKey key, String body) {
        return WriteRequest.of(
                key, new ByteArrayInputStream(body.getBytes(UTF_8)), body.length(), TestPrincipals.admin("t"));
    }

    private static String read(InputStream in) throws IOException {
        try (in) {
            return new String(in.readAllBytes(), UTF_8);
        }
    }

    private static String body(long serial, int resources) {
        StringBuilder r = new StringBuilder();
        for (int i = 0; i < resources; i++) {
            r.append(i == 0 ? "" : ",")
                    .append("{\"mode\":\"managed\",\"type\":\"null_resource\",\"name\":\"r")
                    .append(i)
                    .append("\",\"instances\":[{\"attributes\":{}}]}");
        }
        return "{\"version\":4,\"serial\":" + serial + ",\"lineage\":\"l\",\"resources\":[" + r + "]}";
    }

    private static String sha256(String body) {
        try {
            return java.util.HexFormat.of()
                    .formatHex(
                            java.security.MessageDigest.getInstance("SHA-256").digest(body.getBytes(UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Consumer<String> once(Consumer<String> action) {
        boolean[] done = {false};
        return key -> {
            if (!done[0]) {
                done[0] = true;
                action.accept(key);
            }
        };
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** An in-memory store with a hook before each put, and optionally corrupting what it keeps. */
    private static final class Hooked implements BlobStore {
        private final InMemoryBlobStore store = new InMemoryBlobStore();
        volatile Consumer<String> beforePut = key -> {};
        volatile boolean corrupt;

        @Override
        public long put(String key, InputStream content) throws IOException {
            beforePut.accept(key);
            byte[] bytes = content.readAllBytes();
            if (corrupt && bytes.length > 0) {
                bytes[bytes.length / 2] ^= 1;
            }
            return store.put(key, new ByteArrayInputStream(bytes));
        }

        @Override
        public InputStream open(String key) {
            return store.open(key);
        }

        @Override
        public void delete(String key) {
            store.delete(key);
        }

        @Override
        public boolean exists(String key) {
            return store.exists(key);
        }

        @Override
        public void ping() {}

        java.util.SortedSet<String> keys() {
            return store.keys();
        }
    }
}
