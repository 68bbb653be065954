package dev.statefort.core.insight;

/**
 * What one analysis may cost. A version over {@code maxStateBytes}, with more than {@code maxNodes}
 * JSON tokens or nested deeper than {@code maxDepth} is never analysed (413 "too large to analyse");
 * a diff lists at most {@code maxDiffChanges} attribute changes and about {@code maxDiffBytes} of
 * paths and values, then says it is truncated; the parsed versions kept for reuse weigh at most
 * {@code documentCacheBytes} and the diffs {@code diffCacheBytes} (each entry weighed by {@link
 * HeapWeight}, never by its raw size).
 *
 * @param maxNodes JSON tokens (every value, field name and container end counts one): bounds the heap
 *     of one parse whatever the shape ({@code [{},{},…]} costs about 40 bytes a token)
 */
public record AnalysisLimits(
        long maxStateBytes,
        long maxNodes,
        int maxDepth,
        int maxDiffChanges,
        long maxDiffBytes,
        long documentCacheBytes,
        long diffCacheBytes) {
    /** About twice the tokens of a real 32 MiB Terraform state (which has 15 to 25 bytes a token). */
    public static final long DEFAULT_MAX_NODES = 3_000_000;
    /** Terraform's attributes start 6 levels down; real ones rarely nest 30 deeper. */
    public static final int DEFAULT_MAX_DEPTH = 200;

    /**
     * Heap one token of a parse in progress may take at most ({@code [{},{},…]} with its masked
     * copy and its entry sets comes to about 120 bytes), with room to spare.
     */
    private static final long HEAP_PER_NODE = 512;

    public static final int DEFAULT_MAX_DIFF_CHANGES = 10_000;
    public static final long DEFAULT_MAX_DIFF_BYTES = 8L * 1024 * 1024;

    /**
     * The default node limit for {@code concurrency} analyses at once: {@link #DEFAULT_MAX_NODES}, or
     * less on a small heap, so that that many parses in progress hold at most about a quarter of the
     * heap between them whatever their shape (on a 1 GiB heap with two analysis threads: 1,048,576).
     */
    public static long defaultMaxNodes(int concurrency) {
        long heap = Runtime.getRuntime().maxMemory();
        return Math.max(100_000, Math.min(DEFAULT_MAX_NODES, heap / (Math.max(1, concurrency) * HEAP_PER_NODE)));
    }

    public AnalysisLimits {
        if (maxStateBytes < 1 || maxNodes < 1 || maxDepth < 8 || maxDiffChanges < 1 || maxDiffBytes < 1) {
            throw new IllegalArgumentException("analysis limits must be positive (depth at least 8)");
        }
    }

    /**
     * The defaults for a state size limit: caches of at most a quarter (documents) and a sixteenth
     * (diffs) of the heap, and never more than 256 and 64 MiB.
     */
    public static AnalysisLimits of(long maxStateBytes, long maxNodes) {
        long heap = Runtime.getRuntime().maxMemory();
        return new AnalysisLimits(
                maxStateBytes,
                maxNodes,
                DEFAULT_MAX_DEPTH,
                DEFAULT_MAX_DIFF_CHANGES,
                DEFAULT_MAX_DIFF_BYTES,
                Math.min(256L * 1024 * 1024, heap / 4),
                Math.min(64L * 1024 * 1024, heap / 16));
    }

    /** The defaults for a state size limit. */
    public static AnalysisLimits of(long maxStateBytes) {
        return of(maxStateBytes, DEFAULT_MAX_NODES);
    }

    public AnalysisLimits withDiffCaps(int changes, long bytes) {
        return new AnalysisLimits(
                maxStateBytes, maxNodes, maxDepth, changes, bytes, documentCacheBytes, diffCacheBytes);
    }

    public AnalysisLimits withCaches(long documents, long diffs) {
        return new AnalysisLimits(maxStateBytes, maxNodes, maxDepth, maxDiffChanges, maxDiffBytes, documents, diffs);
    }
}
