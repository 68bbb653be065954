package dev.statefort.core.testing;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/** {@link InMemoryMetadataStore}'s wrapped keysets by name, replaced by compare-and-set. */
final class InMemoryKeyMaterial {
    private final TreeMap<String, byte[]> keyMaterial = new TreeMap<>();

    synchronized Optional<byte[]> findKeyMaterial(String name) {
        Objects.requireNonNull(name, "name");
        return Optional.ofNullable(keyMaterial.get(name)).map(byte[]::clone);
    }

    synchronized boolean replaceKeyMaterial(String name, byte[] expected, byte[] replacement, Instant now) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(replacement, "replacement");
        millis(now);
        byte[] stored = keyMaterial.get(name);
        if (expected == null ? stored != null : !Arrays.equals(stored, expected)) {
            return false;
        }
        keyMaterial.put(name, replacement.clone());
        return true;
    }

    synchronized List<String> listKeyMaterialNames() {
        return List.copyOf(keyMaterial.keySet());
    }

    private static Instant millis(Instant t) {
        return Objects.requireNonNull(t, "time").truncatedTo(ChronoUnit.MILLIS);
    }
}
