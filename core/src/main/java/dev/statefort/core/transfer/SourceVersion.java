package dev.statefort.core.transfer;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Objects;

/**
 * One version of a {@link SourceState}.
 *
 * @param origin where it was found (an object version, a file, a state version ID), never a secret
 * @param createdAt when the source says it was created, kept on the imported version; null: unknown
 *     (the import's time is used)
 * @param body opens its bytes
 */
public record SourceVersion(String origin, Instant createdAt, Body body) {

    /** Opens a version's bytes; each call a new stream. */
    @FunctionalInterface
    public interface Body {
        InputStream open() throws IOException;
    }

    public SourceVersion {
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(body, "body");
    }
}
