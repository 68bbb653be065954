package dev.statefort.core.spi;

import java.io.IOException;
import java.io.InputStream;

/**
 * Immutable bytes by key. Keys are relative paths of segments matching {@code [A-Za-z0-9._-]+}
 * joined by {@code /}; no segment is {@code .} or {@code ..} ({@link BlobKeys}). Every method throws
 * {@link IllegalArgumentException} for an invalid key.
 *
 * <p>Contract, checked by {@code BlobStoreContract} in store-tck:
 *
 * <ul>
 *   <li>{@link #put} is atomic: a reader sees either no blob or the whole blob, never part of it.
 *       When the content stream throws, nothing is left under the key and the exception propagates.
 *   <li>{@link #put} is idempotent for the same bytes; putting different bytes under an existing key
 *       replaces them atomically (callers never do this: they use fresh keys).
 *   <li>Once {@link #put} returns, the blob survives a crash of the process or machine.
 *   <li>{@link #open} streams; a missing key throws {@link BlobNotFoundException}, never an empty
 *       stream.
 *   <li>{@link #delete} of a missing key does nothing.
 *   <li>Infrastructure failures throw {@link StoreUnavailableException}.
 * </ul>
 */
public interface BlobStore extends AutoCloseable {

    /**
     * Stores everything {@code content} yields under {@code key} and returns the number of bytes.
     * Reads {@code content} to its end but does not close it.
     *
     * @throws IOException when reading {@code content} fails (the blob is then not stored)
     */
    long put(String key, InputStream content) throws IOException;

    /** Opens the blob for streaming; the caller closes the stream. */
    InputStream open(String key);

    /** Removes the blob if present. */
    void delete(String key);

    /** Whether a blob is stored under the key. */
    boolean exists(String key);

    /** Checks the store is reachable and writable; throws {@link StoreUnavailableException} if not. */
    void ping();

    @Override
    default void close() {}
}
