package dev.statefort.core.spi;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Wrapped key material (project data keys, the master-key check), replaced by compare-and-set. One concern of {@link MetadataStore}: its general rules apply, and every
 * implementation passes the contract suite in store-tck.
 */
public interface KeyMaterialStore {
    // ---- key material -------------------------------------------------------------------------

    /**
     * Named opaque bytes for encryption: wrapped project keysets ({@code project/<name>}) and the
     * master-key check value ({@code master-check}). Empty when nothing is stored under the name.
     * The array returned is the caller's own copy.
     */
    Optional<byte[]> findKeyMaterial(String name);

    /**
     * Compare-and-set: stores {@code replacement} under {@code name} only if the stored bytes equal
     * {@code expected} ({@code expected} null = only if nothing is stored yet). Returns false and
     * changes nothing otherwise. Atomic across nodes sharing the database. {@code replacement} must
     * not be null; the store keeps its own copy.
     */
    boolean replaceKeyMaterial(String name, byte[] expected, byte[] replacement, Instant now);

    /** All key material names, sorted by {@code String.compareTo}. */
    List<String> listKeyMaterialNames();
}
