package dev.statefort.core.insight;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.statefort.core.OverloadedException;
import dev.statefort.core.model.StateKey;
import dev.statefort.core.model.VersionRecord;
import dev.statefort.core.spi.BlobStore;
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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Issue 10 point 4: at most N analyses at once; the rest wait briefly, then get 503 (never pile up). */
class ParsedVersionsTest {
    private static final String STATE = "{\"version\":4,\"serial\":1,\"lineage\":\"l\",\"resources\":[]}";

    private final CountDownLatch opened = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private volatile boolean block;

    @Test
    void anAnalysisThatGetsNoTurnInTimeIsOverloaded() throws Exception {
        InMemoryMetadataStore metadata = new InMemoryMetadataStore();
        metadata.createProject("p", Instant.EPOCH);
        InMemoryBlobStore raw = new InMemoryBlobStore();
        StateService states =
                StateService.withDefaults(metadata, blocking(raw), 1 << 20, Clock.fixed(Instant.EPOCH, ZoneOffset.UTC));
        VersionRecord a = write(states, new StateKey("p", "a"));
        VersionRecord b = write(states, new StateKey("p", "b"));
        ParsedVersions parsed = new ParsedVersions(states, AnalysisLimits.of(1 << 20), new AnalysisPool(1));

        block = true;
        Thread holder = Thread.ofVirtual().start(() -> {
            try {
                parsed.document(a);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(opened.await(10, TimeUnit.SECONDS)).isTrue();
        assertThatThrownBy(() -> parsed.document(b))
                .isInstanceOf(OverloadedException.class)
                .hasMessageContaining("state analyses");
        release.countDown();
        holder.join();
        block = false;
        assertThat(parsed.document(b)).isPresent();
    }

    /**
     * A parse blocked on a slow blob read holds up no other version's analysis (the cache's map is
     * never locked while a blob is read: with many versions some share a hash bin).
     */
    @Test
    void aSlowReadOfOneVersionNeverHoldsUpTheOthers() throws Exception {
        InMemoryMetadataStore metadata = new InMemoryMetadataStore();
        metadata.createProject("p", Instant.EPOCH);
        StateService states = StateService.withDefaults(
                metadata, blocking(new InMemoryBlobStore()), 1 << 20, Clock.fixed(Instant.EPOCH, ZoneOffset.UTC));
        VersionRecord slow = write(states, new StateKey("p", "slow"));
        java.util.List<VersionRecord> others = new java.util.ArrayList<>();
        for (int i = 0; i < 64; i++) {
            others.add(write(states, new StateKey("p", "other-" + i)));
        }
        ParsedVersions parsed = new ParsedVersions(states, AnalysisLimits.of(1 << 20), new AnalysisPool(2));
        block = true;
        Thread holder = Thread.ofVirtual().start(() -> {
            try {
                parsed.document(slow);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(opened.await(10, TimeUnit.SECONDS)).isTrue();
        block = false;
        java.util.concurrent.CompletableFuture<Long> readable =
                java.util.concurrent.CompletableFuture.supplyAsync(() -> others.stream()
                        .filter(version -> {
                            try {
                                return parsed.document(version).isPresent();
                            } catch (IOException e) {
                                throw new java.io.UncheckedIOException(e);
                            }
                        })
                        .count());
        try {
            assertThat(readable.get(10, TimeUnit.SECONDS)).isEqualTo(64);
        } finally {
            release.countDown();
            holder.join();
        }
        assertThat(parsed.document(slow)).isPresent();
    }

    /** A forged row pointing at another state's (cached) blob never gets that state's parsed document. */
    @Test
    void theCacheNeverServesABlobOutsideTheRowsOwnState() throws Exception {
        InMemoryMetadataStore metadata = new InMemoryMetadataStore();
        metadata.createProject("p", Instant.EPOCH);
        StateService states = StateService.withDefaults(
                metadata, new InMemoryBlobStore(), 1 << 20, Clock.fixed(Instant.EPOCH, ZoneOffset.UTC));
        VersionRecord secret = write(states, new StateKey("p", "secret"));
        VersionRecord mine = write(states, new StateKey("p", "mine"));
        ParsedVersions parsed = new ParsedVersions(states, AnalysisLimits.of(1 << 20), new AnalysisPool(1));
        assertThat(parsed.document(secret)).isPresent();

        VersionRecord forged = new VersionRecord(
                mine.key(),
                mine.number(),
                secret.serial(),
                secret.lineage(),
                secret.sha256(),
                secret.size(),
                mine.createdAt(),
                mine.principal(),
                mine.lockId(),
                mine.operation(),
                secret.blobKey(),
                mine.resourceCount(),
                mine.terraformVersion(),
                mine.flags());
        assertThatThrownBy(() -> parsed.document(forged))
                .isInstanceOf(dev.statefort.core.crypto.BlobIntegrityException.class);
    }

    private static VersionRecord write(StateService states, StateKey key) throws IOException {
        WriteOutcome outcome = states.write(WriteRequest.of(
                key, new ByteArrayInputStream(STATE.getBytes(UTF_8)), STATE.length(), TestPrincipals.admin("t")));
        return ((WriteOutcome.Written) outcome).version();
    }

    private BlobStore blocking(BlobStore raw) {
        return new BlobStore() {
            @Override
            public long put(String key, InputStream content) throws IOException {
                return raw.put(key, content);
            }

            @Override
            public InputStream open(String key) {
                if (block) {
                    opened.countDown();
                    try {
                        release.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return raw.open(key);
            }

            @Override
            public void delete(String key) {
                raw.delete(key);
            }

            @Override
            public boolean exists(String key) {
                return raw.exists(key);
            }

            @Override
            public void ping() {}
        };
    }
}
