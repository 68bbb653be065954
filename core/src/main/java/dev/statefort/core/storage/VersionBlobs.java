package dev.statefort.core.storage;

import dev.statefort.core.crypto.BlobIntegrityException;
import dev.statefort.core.model.StateKey;
import dev.statefort.core.model.VersionRecord;
import dev.statefort.core.spi.BlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The one way to read a version's bytes. A version row names its blob; the row alone must not be
 * able to serve another state's bytes (or, since the blob key's first segment picks the data key,
 * another project's key): the blob key must start with the row's own {@code project/state/}.
 * And the bytes are checked against the row's SHA-256 as they stream: at the end of a mismatching
 * stream, the read fails with a {@link BlobIntegrityException} naming the blob (never its content),
 * which aborts a response already under way instead of completing it.
 */
public final class VersionBlobs {
    private VersionBlobs() {}

    /** Opens the bytes of {@code version} (a version or a quarantined write); the caller closes the stream. */
    public static InputStream open(BlobStore blobs, VersionRecord version) {
        return open(blobs, version.key(), version.blobKey(), version.sha256());
    }

    /** Opens the blob {@code blobKey} of a version or quarantined write of {@code key} whose digest is {@code sha256}. */
    public static InputStream open(BlobStore blobs, StateKey key, String blobKey, String sha256) {
        requireOwnBlob(key, blobKey);
        InputStream raw = blobs.open(blobKey);
        return sha256 == null ? raw : new Verifying(raw, blobKey, sha256);
    }

    /** Throws unless {@code blobKey} lies under {@code project/state/}. */
    public static void requireOwnBlob(StateKey key, String blobKey) {
        String prefix = key.project() + "/" + key.name() + "/";
        if (blobKey == null || !blobKey.startsWith(prefix) || blobKey.length() == prefix.length()) {
            throw new BlobIntegrityException(
                    String.valueOf(blobKey), "the version of " + key + " names a blob outside " + prefix);
        }
    }

    /**
     * Hashes what passes and holds the last byte back until the end of the blob is seen and the
     * digest compared: a mismatching body is never handed out whole, so a response with its
     * Content-Length set ends short (the client sees a broken transfer, never a complete wrong state).
     */
    private static final class Verifying extends InputStream {
        private static final int UNREAD = -2;
        private static final int END = -1;

        private final InputStream in;
        private final String blobKey;
        private final String expectedSha256;
        private final MessageDigest digest;
        /** The byte held back, {@link #UNREAD} before the first read, {@link #END} after the last. */
        private int held = UNREAD;

        Verifying(InputStream in, String blobKey, String expectedSha256) {
            this.in = in;
            this.blobKey = blobKey;
            this.expectedSha256 = expectedSha256;
            try {
                this.digest = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            java.util.Objects.checkFromIndexSize(offset, length, buffer.length);
            if (length == 0) {
                return 0;
            }
            if (held == UNREAD) {
                held = in.read();
                if (held < 0) {
                    held = END;
                    verify();
                }
            }
            if (held == END) {
                return -1;
            }
            buffer[offset] = (byte) held;
            int n = length > 1 ? in.read(buffer, offset + 1, length - 1) : 0;
            if (n > 0) {
                // hand out the held byte and all but the last byte read; hold that one back
                digest.update(buffer, offset, n);
                held = buffer[offset + n] & 0xff;
                return n;
            }
            int next = in.read();
            if (next >= 0) {
                digest.update(buffer, offset, 1);
                held = next;
                return 1;
            }
            // the held byte is the last one: it leaves only when the whole blob matched
            digest.update(buffer, offset, 1);
            held = END;
            verify();
            return 1;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }

        private void verify() {
            String actual = HexFormat.of().formatHex(digest.digest());
            if (!actual.equalsIgnoreCase(expectedSha256)) {
                throw new BlobIntegrityException(blobKey, "its content does not match the version's SHA-256");
            }
        }
    }
}
