package dev.statefort.core.insight;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.statefort.core.WorkPermits;
import dev.statefort.core.state.StateKey;
import dev.statefort.core.state.StateService;
import dev.statefort.core.version.VersionRecord;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Optional;

/**
 * Bounds the insight work (resources, outputs, diffs, version pages) any request can cause. A
 * version over {@code maxStateBytes} is never parsed ({@link TooLargeToAnalyseException}, 413); at
 * most {@code concurrency} parses run at once and a request that waits {@link #MAX_WAIT} for its turn
 * gets 503 with Retry-After; parsed versions and diffs are cached by their blob keys, which never
 * change (so the cache is right with several nodes: which version is current is still asked of the
 * database), bounded by the versions' sizes. The UI's state page and each htmx filter keystroke
 * reuse the parsed current version instead of parsing it again.
 */
public final class ParsedVersions {
    /** How long an analysis waits for its turn before 503. */
    static final Duration MAX_WAIT = Duration.ofSeconds(2);
    /** Parsed documents kept, by the raw size of their versions (a parsed tree takes a few times that). */
    static final long DOCUMENT_CACHE_BYTES = 64L * 1024 * 1024;
    /** Diffs kept (each is at most the changed paths of two versions). */
    static final long DIFF_CACHE_ENTRIES = 256;

    private final StateService states;
    private final long maxStateBytes;
    private final WorkPermits permits;
    private final Cache<String, Parsed> documents;
    private final Cache<String, Optional<StateDiff.Result>> diffs;

    public ParsedVersions(StateService states, long maxStateBytes, int concurrency) {
        this.states = states;
        this.maxStateBytes = maxStateBytes;
        this.permits = new WorkPermits("state analyses", concurrency, MAX_WAIT);
        this.documents = Caffeine.newBuilder()
                .maximumWeight(DOCUMENT_CACHE_BYTES)
                .<String, Parsed>weigher((blobKey, parsed) -> (int) Math.max(1, parsed.size()))
                .build();
        this.diffs = Caffeine.newBuilder().maximumSize(DIFF_CACHE_ENTRIES).build();
    }

    /** The version parsed; empty when it is not a readable Terraform state. */
    public Optional<StateDocument> document(VersionRecord version) throws IOException {
        requireAnalysable(version);
        Parsed cached = documents.getIfPresent(version.blobKey());
        if (cached != null) {
            return cached.document();
        }
        Optional<StateDocument> parsed = unchecked(() -> permits.run(() -> parse(version)));
        if (version.size() <= DOCUMENT_CACHE_BYTES / 4) {
            documents.put(version.blobKey(), new Parsed(parsed, version.size()));
        }
        return parsed;
    }

    /** A parsed version (or empty: not readable) and the raw size it is weighed by. */
    private record Parsed(Optional<StateDocument> document, long size) {}

    /** The diff between two versions; empty when either is not readable. */
    public Optional<StateDiff.Result> diff(VersionRecord from, VersionRecord to) throws IOException {
        String key = from.blobKey() + " " + to.blobKey();
        Optional<StateDiff.Result> cached = diffs.getIfPresent(key);
        if (cached != null) {
            return cached;
        }
        Optional<StateDocument> a = document(from);
        Optional<StateDocument> b = document(to);
        Optional<StateDiff.Result> result = a.isPresent() && b.isPresent()
                ? Optional.of(permits.run(() -> StateDiff.between(a.get(), b.get())))
                : Optional.empty();
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
        return unchecked(() -> permits.run(() -> {
            try (InputStream in = content.get()) {
                return StateDocument.parse(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }));
    }

    /** Runs {@code work}, turning the {@link UncheckedIOException} of a parse back into its IOException. */
    private static <T> T unchecked(java.util.function.Supplier<T> work) throws IOException {
        try {
            return work.get();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** {@link StateDiff#between}, holding a permit. */
    public StateDiff.Result compare(StateDocument from, StateDocument to) {
        return permits.run(() -> StateDiff.between(from, to));
    }

    /** Throws {@link TooLargeToAnalyseException} for a version over the limit. */
    public void requireAnalysable(VersionRecord version) {
        if (version.size() > maxStateBytes) {
            throw new TooLargeToAnalyseException(version.key(), version.number(), version.size(), maxStateBytes);
        }
    }

    private Optional<StateDocument> parse(VersionRecord version) {
        try (InputStream in = states.content(version)) {
            return StateDocument.parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
