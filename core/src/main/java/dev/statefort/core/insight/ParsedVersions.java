package dev.statefort.core.insight;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.statefort.core.WorkPermits;
import dev.statefort.core.state.StateKey;
import dev.statefort.core.state.StateService;
import dev.statefort.core.state.VersionBlobs;
import dev.statefort.core.version.VersionRecord;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentMap;

/**
 * Bounds the insight work (resources, outputs, diffs, version pages) any request can cause. A
 * version over {@code maxStateBytes} is never parsed ({@link TooLargeToAnalyseException}, 413); at
 * most {@code concurrency} parses run at once and a request that waits {@link #MAX_WAIT} for its turn
 * gets 503 with Retry-After; parsed versions and diffs are cached by their blob keys, which never
 * change (so the cache is right with several nodes: which version is current is still asked of the
 * database), bounded by an estimate of their heap (four times the raw size, 256 MiB in all). The UI's state page and each htmx filter keystroke
 * reuse the parsed current version instead of parsing it again.
 */
public final class ParsedVersions {
    /** How long an analysis waits for its turn before 503. */
    static final Duration MAX_WAIT = Duration.ofSeconds(2);
    /**
     * Heap the parsed documents may take, estimated as {@link #PARSED_BYTES_PER_RAW_BYTE} times the
     * raw size of their versions; a version of {@code insight-max-state-size} (32 MiB) fits.
     */
    static final long DOCUMENT_CACHE_BYTES = 256L * 1024 * 1024;

    static final int PARSED_BYTES_PER_RAW_BYTE = 4;
    /** Diffs kept (each is at most the changed paths of two versions). */
    static final long DIFF_CACHE_ENTRIES = 256;

    private final StateService states;
    private final long maxStateBytes;
    private final WorkPermits permits;
    private final AsyncCache<String, Parsed> documents;
    private final Cache<String, Optional<StateDiff.Result>> diffs;

    public ParsedVersions(StateService states, long maxStateBytes, int concurrency) {
        this.states = states;
        this.maxStateBytes = maxStateBytes;
        this.permits = new WorkPermits("state analyses", concurrency, MAX_WAIT);
        this.documents = Caffeine.newBuilder()
                .maximumWeight(
                        Math.min(DOCUMENT_CACHE_BYTES, Runtime.getRuntime().maxMemory() / 4))
                .<String, Parsed>weigher((key, parsed) -> (int) Math.min(Integer.MAX_VALUE, parsed.weight()))
                .buildAsync();
        this.diffs = Caffeine.newBuilder().maximumSize(DIFF_CACHE_ENTRIES).build();
    }

    /**
     * The version parsed; empty when it is not a readable Terraform state. Concurrent requests for
     * the same version wait for one parse. The parse runs in the calling thread outside the cache's
     * map, so a slow read of one version never holds up requests for others.
     */
    public Optional<StateDocument> document(VersionRecord version) throws IOException {
        requireAnalysable(version);
        ConcurrentMap<String, CompletableFuture<Parsed>> map = documents.asMap();
        CompletableFuture<Parsed> mine = new CompletableFuture<>();
        CompletableFuture<Parsed> earlier = map.putIfAbsent(cacheKey(version), mine);
        if (earlier == null) {
            try {
                mine.complete(new Parsed(permits.run(() -> parse(version)), version.size()));
            } catch (RuntimeException | Error e) {
                mine.completeExceptionally(e); // those waiting for this parse get the failure, never hang
            }
        }
        return outcome(earlier == null ? mine : earlier).document();
    }

    /** A parse's result, or its failure as it was thrown. */
    private static Parsed outcome(CompletableFuture<Parsed> parse) throws IOException {
        try {
            return parse.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof UncheckedIOException io) {
                throw io.getCause();
            }
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }

    /** The diff between two versions; empty when either is not readable. */
    public Optional<StateDiff.Result> diff(VersionRecord from, VersionRecord to) throws IOException {
        String key = cacheKey(from) + " -> " + cacheKey(to);
        Optional<StateDiff.Result> cached = diffs.getIfPresent(key);
        if (cached != null) {
            return cached;
        }
        Optional<StateDocument> a = document(from);
        Optional<StateDocument> b = document(to);
        Optional<StateDiff.Result> result =
                a.isPresent() && b.isPresent() ? Optional.of(compare(a.get(), b.get())) : Optional.empty();
        diffs.put(key, result);
        return result;
    }

    /**
     * Parses a body that is not a version (a quarantined write, {@code id}), bounded like a version
     * and not cached.
     */
    public Optional<StateDocument> parseOnce(
            StateKey key, long id, long size, java.util.function.Supplier<InputStream> content) throws IOException {
        if (size > maxStateBytes) {
            throw new TooLargeToAnalyseException(key, id, size, maxStateBytes);
        }
        return bounded(() -> {
            try (InputStream in = content.get()) {
                return StateDocument.parse(in);
            }
        });
    }

    /** Work that reads and parses a state, holding a permit (at most {@code concurrency} at once). */
    public <T> T bounded(Reading<T> work) throws IOException {
        try {
            return permits.run(() -> {
                try {
                    return work.read();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** Reads and parses; may fail with an IOException. */
    @FunctionalInterface
    public interface Reading<T> {
        T read() throws IOException;
    }

    /** {@link StateDiff#between}, holding a permit. */
    public StateDiff.Result compare(StateDocument from, StateDocument to) {
        return permits.run(() -> StateDiff.between(from, to));
    }

    /** Whether the version is small enough to analyse ({@code insight-max-state-size}). */
    public boolean isAnalysable(VersionRecord version) {
        return version.size() <= maxStateBytes;
    }

    /**
     * Throws {@link TooLargeToAnalyseException} for a version over the limit, and, before any cache
     * is asked, an integrity error for a row whose blob lies outside its own state.
     */
    public void requireAnalysable(VersionRecord version) {
        VersionBlobs.requireOwnBlob(version.key(), version.blobKey());
        if (!isAnalysable(version)) {
            throw new TooLargeToAnalyseException(version.key(), version.number(), version.size(), maxStateBytes);
        }
    }

    /** Blob keys never change and are unique; the digest too, so a row with another digest never hits. */
    private static String cacheKey(VersionRecord version) {
        return version.blobKey() + "#" + version.sha256();
    }

    private Optional<StateDocument> parse(VersionRecord version) {
        try (InputStream in = states.content(version)) {
            return StateDocument.parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A parsed version (or empty: not readable), weighed by an estimate of its heap. */
    private record Parsed(Optional<StateDocument> document, long rawSize) {
        long weight() {
            return Math.max(1, rawSize * PARSED_BYTES_PER_RAW_BYTE);
        }
    }
}
