package dev.statefort.core.insight;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.statefort.core.model.StateKey;
import dev.statefort.core.model.VersionRecord;
import dev.statefort.core.policy.StateSettings;
import dev.statefort.core.state.StateService;
import dev.statefort.core.storage.VersionBlobs;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;

/**
 * Bounds the insight work (resources, outputs, diffs, version pages) any request can cause. A
 * version over the {@link AnalysisLimits} (size, JSON tokens, depth) is never analysed ({@link
 * TooLargeToAnalyseException}, 413); every parse and diff runs on the {@link AnalysisPool}, never on
 * the threads that serve Terraform. Parsed versions (masked once, when parsed) and diffs are cached by
 * their blob keys, which never change (so the caches are right with several nodes: which version is
 * current is still asked of the database), each entry weighed by the heap it holds ({@link
 * HeapWeight}) within a hard byte bound. The UI's state page and each htmx filter keystroke reuse the
 * parsed current version instead of parsing it again.
 */
public final class ParsedVersions {
    private final StateService states;
    private final AnalysisLimits limits;
    private final AnalysisPool pool;
    private final StateDocument.Parser parser;
    private final AsyncCache<String, Parsed> documents;
    private final Cache<String, WeighedDiff> diffs;

    public ParsedVersions(StateService states, AnalysisLimits limits, AnalysisPool pool) {
        this.states = states;
        this.limits = limits;
        this.pool = pool;
        this.parser = StateDocument.parser(limits);
        this.documents = Caffeine.newBuilder()
                .maximumWeight(limits.documentCacheBytes())
                .<String, Parsed>weigher((key, parsed) -> saturated(parsed.weight()))
                .buildAsync();
        this.diffs = Caffeine.newBuilder()
                .maximumWeight(limits.diffCacheBytes())
                .<String, WeighedDiff>weigher((key, diff) -> saturated(diff.weight()))
                .build();
    }

    /** The pool analyses run on (callers serialize their answers there too). */
    public AnalysisPool pool() {
        return pool;
    }

    /** What the cached parsed versions weigh now (never more than {@link AnalysisLimits#documentCacheBytes()}). */
    public long cachedDocumentBytes() {
        documents.synchronous().cleanUp();
        return documents
                .synchronous()
                .policy()
                .eviction()
                .orElseThrow()
                .weightedSize()
                .orElse(0);
    }

    /**
     * The version parsed; empty when it is not a readable Terraform state. Concurrent requests for
     * the same version wait for one parse. The parse runs outside the cache's map, so a slow read of
     * one version never holds up requests for others; a version over the limits is remembered as such
     * (it is never parsed twice to find out again).
     */
    public Optional<StateDocument> document(VersionRecord version) throws IOException {
        requireAnalysable(version);
        ConcurrentMap<String, CompletableFuture<Parsed>> map = documents.asMap();
        CompletableFuture<Parsed> mine = new CompletableFuture<>();
        CompletableFuture<Parsed> earlier = map.putIfAbsent(cacheKey(version), mine);
        if (earlier == null) {
            try {
                mine.complete(pool.run(() -> parse(version)));
            } catch (IOException | RuntimeException | Error e) {
                mine.completeExceptionally(e); // those waiting for this parse get the failure, never hang
            }
        }
        return outcome(earlier == null ? mine : earlier).document(version);
    }

    /** A parse's result, or its failure as it was thrown. */
    private static Parsed outcome(CompletableFuture<Parsed> parse) throws IOException {
        try {
            return parse.join();
        } catch (CompletionException e) {
            switch (e.getCause()) {
                case IOException io -> throw io;
                case RuntimeException runtime -> throw runtime;
                case Error error -> throw error;
                default -> throw e;
            }
        }
    }

    /** The diff between two versions; empty when either is not readable. */
    public Optional<StateDiff.Result> diff(VersionRecord from, VersionRecord to) throws IOException {
        String key = cacheKey(from) + " -> " + cacheKey(to);
        WeighedDiff cached = diffs.getIfPresent(key);
        if (cached != null) {
            return cached.diff();
        }
        Optional<StateDocument> a = document(from);
        Optional<StateDocument> b = document(to);
        WeighedDiff result = pool.run(() -> {
            Optional<StateDiff.Result> diff =
                    a.isPresent() && b.isPresent() ? Optional.of(compare(a.get(), b.get())) : Optional.empty();
            return new WeighedDiff(diff, DiffWeight.of(diff)); // weighed here, not on the caller's thread
        });
        diffs.put(key, result);
        return result.diff();
    }

    /** A diff and its weight, computed together on the pool. */
    private record WeighedDiff(Optional<StateDiff.Result> diff, long weight) {}

    /**
     * Parses a body that is not a version (a quarantined write, {@code id}), bounded like a version
     * and not cached.
     */
    public Optional<StateDocument> parseOnce(StateKey key, long id, long size, Supplier<InputStream> content)
            throws IOException {
        if (size > limits.maxStateBytes()) {
            throw new TooLargeToAnalyseException(key, id, size, limits.maxStateBytes());
        }
        return pool.run(() -> {
            try (InputStream in = content.get()) {
                return parser.parse(in);
            } catch (AnalysisLimitException e) {
                throw new TooLargeToAnalyseException(key, id, e.getMessage());
            }
        });
    }

    /**
     * What an outputs-only reader gets of a version too large to keep parsed: streamed past its
     * resources ({@link OutputsOnlyState#synthesize(InputStream, StateSettings, StateDocument.Parser)}),
     * on the pool.
     */
    public byte[] outputsOnlyStreamed(VersionRecord version, StateSettings access) throws IOException {
        return pool.run(() -> {
            try (InputStream in = states.content(version)) {
                return OutputsOnlyState.synthesize(in, access, parser);
            } catch (AnalysisLimitException e) {
                throw new TooLargeToAnalyseException(version.key(), version.number(), e.getMessage());
            }
        });
    }

    /** {@link StateDiff#between} under the limits, on the pool (in place when already there). */
    public StateDiff.Result compare(StateDocument from, StateDocument to) throws IOException {
        return pool.run(() -> StateDiff.between(from, to, limits));
    }

    /** Whether the version is small enough to analyse ({@code insight-max-state-size}). */
    public boolean isAnalysable(VersionRecord version) {
        return version.size() <= limits.maxStateBytes();
    }

    /**
     * Throws {@link TooLargeToAnalyseException} for a version over the size limit, and, before any
     * cache is asked, an integrity error for a row whose blob lies outside its own state.
     */
    public void requireAnalysable(VersionRecord version) {
        VersionBlobs.requireOwnBlob(version.key(), version.blobKey());
        if (!isAnalysable(version)) {
            throw new TooLargeToAnalyseException(
                    version.key(), version.number(), version.size(), limits.maxStateBytes());
        }
    }

    /** Blob keys never change and are unique; the digest too, so a row with another digest never hits. */
    private static String cacheKey(VersionRecord version) {
        return version.blobKey() + "#" + version.sha256();
    }

    private Parsed parse(VersionRecord version) throws IOException {
        try (InputStream in = states.content(version)) {
            return new Parsed(parser.parse(in), null);
        } catch (AnalysisLimitException e) {
            return new Parsed(Optional.empty(), e.getMessage());
        }
    }

    private static int saturated(long weight) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, weight));
    }

    /** A parsed version (or empty: not readable), or why it is over the limits. */
    private record Parsed(Optional<StateDocument> parsed, String overLimits) {
        Optional<StateDocument> document(VersionRecord version) {
            if (overLimits != null) {
                throw new TooLargeToAnalyseException(version.key(), version.number(), overLimits);
            }
            return parsed;
        }

        long weight() {
            return parsed.map(StateDocument::heapBytes).orElse(64L);
        }
    }
}
