package dev.statefort.core.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.statefort.core.InvalidInputException;
import dev.statefort.core.spi.BlobNotFoundException;
import dev.statefort.core.spi.BlobStore;
import dev.statefort.core.spi.StoreUnavailableException;
import dev.statefort.core.testing.InMemoryBlobStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class StorageProfilesTest {
    private final InMemoryBlobStore local = new InMemoryBlobStore();
    private final InMemoryBlobStore s3 = new InMemoryBlobStore();
    private final DownStore down = new DownStore();
    private final Map<String, String> projects = Map.of("a", "local", "b", "s3main", "c", "broken", "d", "gone");
    private final AtomicInteger lookups = new AtomicInteger();
    private final StorageProfiles profiles = new StorageProfiles(
            "local",
            List.of(
                    new StorageProfiles.Profile("local", "filesystem", "/data/blobs", local),
                    new StorageProfiles.Profile("s3main", "s3", "s3://bucket/", s3),
                    new StorageProfiles.Profile("broken", "s3", "s3://other/", down)));
    private final BlobStore routed = profiles.routedBy(project -> {
        lookups.incrementAndGet();
        return Optional.ofNullable(projects.get(project));
    });

    @Test
    void eachKeyGoesToItsProjectsProfile() throws IOException {
        routed.put("a/s/1", new ByteArrayInputStream(new byte[] {1}));
        routed.put("b/s/1", new ByteArrayInputStream(new byte[] {2}));

        assertThat(local.exists("a/s/1")).isTrue();
        assertThat(s3.exists("a/s/1")).isFalse();
        assertThat(s3.exists("b/s/1")).isTrue();
        assertThat(local.exists("b/s/1")).isFalse();
        try (InputStream in = routed.open("b/s/1")) {
            assertThat(in.readAllBytes()).containsExactly(2);
        }
        routed.delete("b/s/1");
        assertThat(s3.exists("b/s/1")).isFalse();
    }

    @Test
    void aProjectsProfileIsLookedUpOnce() {
        routed.exists("a/s/1");
        routed.exists("a/s/2");
        routed.exists("a/t/3");
        assertThat(lookups).hasValue(1);
    }

    @Test
    void aProfileThatIsDownFailsOnlyItsProjects() throws IOException {
        assertThatThrownBy(() -> routed.open("c/s/1")).isInstanceOf(StoreUnavailableException.class);
        routed.put("a/s/1", new ByteArrayInputStream(new byte[] {1}));
        assertThat(routed.exists("a/s/1")).isTrue();
    }

    @Test
    void aProjectOnAProfileThisNodeDoesNotHaveIsUnavailableNamingIt() {
        assertThatThrownBy(() -> routed.open("d/s/1"))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("'gone'")
                .hasMessageContaining("'d'");
    }

    @Test
    void aKeyOfNoProjectIsNotFound() {
        assertThatThrownBy(() -> routed.open("zzz/s/1")).isInstanceOf(BlobNotFoundException.class);
        assertThat(routed.exists("zzz/s/1")).isFalse();
    }

    @Test
    void theHealthCheckReportsEachProfileAndAFailedOperationAtOnce() {
        SwitchableStore store = new SwitchableStore();
        StorageProfiles one = StorageProfiles.single("local", "memory", "heap", store);
        BlobStore routed = one.routedBy(project -> Optional.of("local"));
        StorageHealth health = new StorageHealth(one);
        assertThat(health.check().get("local").healthy()).isTrue();
        assertThat(new StorageHealth(profiles).check().get("broken").problem()).contains("bucket unreachable");

        store.down = true;
        assertThatThrownBy(() -> routed.open("a/s/1")).isInstanceOf(StoreUnavailableException.class);
        // the failure ends the reuse of the healthy answer: the next check pings, and says so
        assertThat(health.check().get("local").healthy()).isFalse();
    }

    @Test
    void pingNamesEveryProfileThatIsDown() {
        assertThatThrownBy(routed::ping)
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("'broken'")
                .hasMessageNotContaining("'s3main'");
    }

    @Test
    void aNewProjectGetsTheDefaultOrANamedProfileNeverAnUnknownOne() {
        assertThat(profiles.choose(null)).isEqualTo("local");
        assertThat(profiles.choose("s3main")).isEqualTo("s3main");
        assertThatThrownBy(() -> profiles.choose("nope"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("nope")
                .hasMessageContaining("s3main");
    }

    @Test
    void theDefaultMustBeAProfile() {
        assertThatThrownBy(() -> new StorageProfiles(
                        "x", List.of(new StorageProfiles.Profile("local", "filesystem", "/d", local))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** A store whose every call fails as an unreachable bucket does. */
    private static final class DownStore implements BlobStore {
        @Override
        public long put(String key, InputStream content) {
            throw new StoreUnavailableException("bucket unreachable");
        }

        @Override
        public InputStream open(String key) {
            throw new StoreUnavailableException("bucket unreachable");
        }

        @Override
        public void delete(String key) {
            throw new StoreUnavailableException("bucket unreachable");
        }

        @Override
        public boolean exists(String key) {
            throw new StoreUnavailableException("bucket unreachable");
        }

        @Override
        public void ping() {
            throw new StoreUnavailableException("bucket unreachable");
        }
    }

    /** An in-memory store that fails every call as unreachable while {@link #down}. */
    private static final class SwitchableStore implements BlobStore {
        private final InMemoryBlobStore blobs = new InMemoryBlobStore();
        volatile boolean down;

        private void check() {
            if (down) {
                throw new StoreUnavailableException("unreachable");
            }
        }

        @Override
        public long put(String key, InputStream content) throws IOException {
            check();
            return blobs.put(key, content);
        }

        @Override
        public InputStream open(String key) {
            check();
            return blobs.open(key);
        }

        @Override
        public void delete(String key) {
            check();
            blobs.delete(key);
        }

        @Override
        public boolean exists(String key) {
            check();
            return blobs.exists(key);
        }

        @Override
        public void ping() {
            check();
        }
    }
}
