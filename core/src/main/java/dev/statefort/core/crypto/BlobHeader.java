package dev.statefort.core.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The 9-byte header every stored blob starts with (docs/encryption-format.md):
 *
 * <pre>
 * 0..2  magic "SFB"
 * 3     format version (1)
 * 4     mode: 0 = plaintext, 1 = zstd-compressed then Tink streaming AEAD
 * 5..8  Tink key ID of the project data key (big-endian; 0 for plaintext)
 * </pre>
 */
record BlobHeader(Mode mode, int keyId) {
    static final int LENGTH = 9;
    static final int FORMAT_VERSION = 1;
    private static final byte[] MAGIC = "SFB".getBytes(StandardCharsets.US_ASCII);

    enum Mode {
        PLAINTEXT(0),
        ZSTD_STREAMING_AEAD(1);

        final int code;

        Mode(int code) {
            this.code = code;
        }
    }

    byte[] toBytes() {
        return ByteBuffer.allocate(LENGTH)
                .put(MAGIC)
                .put((byte) FORMAT_VERSION)
                .put((byte) mode.code)
                .putInt(keyId)
                .array();
    }

    /** The associated data that binds a ciphertext to its header and its blob key. */
    byte[] associatedData(String blobKey) {
        byte[] key = ("statefort-blob:" + blobKey).getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(LENGTH + key.length).put(toBytes()).put(key).array();
    }

    /** Reads and checks the header; anything unexpected is a {@link BlobIntegrityException}. */
    static BlobHeader read(InputStream in, String blobKey) throws IOException {
        byte[] bytes = in.readNBytes(LENGTH);
        if (bytes.length < LENGTH || bytes[0] != MAGIC[0] || bytes[1] != MAGIC[1] || bytes[2] != MAGIC[2]) {
            throw new BlobIntegrityException(blobKey, "it does not start with a Statefort blob header");
        }
        if (bytes[3] != FORMAT_VERSION) {
            throw new BlobIntegrityException(blobKey, "unknown format version " + bytes[3]);
        }
        int keyId = ByteBuffer.wrap(bytes, 5, 4).getInt();
        return switch (bytes[4]) {
            case 0 -> new BlobHeader(Mode.PLAINTEXT, keyId);
            case 1 -> new BlobHeader(Mode.ZSTD_STREAMING_AEAD, keyId);
            default -> throw new BlobIntegrityException(blobKey, "unknown mode " + bytes[4]);
        };
    }
}
