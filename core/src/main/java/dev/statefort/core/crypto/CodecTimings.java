package dev.statefort.core.crypto;

/**
 * Where the time of encoding and decoding a blob goes: {@link EncryptingBlobStore} reports, per
 * blob, the time spent in each stage, without the time spent waiting for the store or the caller.
 */
@FunctionalInterface
public interface CodecTimings {
    /** A stage of a blob's encoding (compress, then encrypt) or decoding (decrypt, then decompress). */
    enum Stage {
        COMPRESS,
        ENCRYPT,
        DECRYPT,
        DECOMPRESS;

        /** The stage's name in metrics. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Reports nothing. */
    CodecTimings NONE = (stage, nanos) -> {};

    /** One blob spent {@code nanos} in {@code stage}. */
    void record(Stage stage, long nanos);
}
