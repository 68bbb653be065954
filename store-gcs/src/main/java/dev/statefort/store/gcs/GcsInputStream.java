package dev.statefort.store.gcs;

import com.google.cloud.ReadChannel;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A GCS object as an {@link InputStream}: the first bytes {@link GcsBlobStore#open} already read, then the rest of the channel. */
final class GcsInputStream extends InputStream {
    private static final Logger LOG = LoggerFactory.getLogger(GcsInputStream.class);

    private final ReadChannel reader;
    private final ByteBuffer first;
    private final String where;
    private boolean ended;
    private boolean closed;

    GcsInputStream(ReadChannel reader, ByteBuffer first, boolean ended, String where) {
        this.reader = reader;
        this.first = first;
        this.ended = ended;
        this.where = where;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (closed) {
            throw new IOException("stream of " + where + " is closed");
        }
        if (len == 0) {
            return 0;
        }
        if (first.hasRemaining()) {
            int n = Math.min(len, first.remaining());
            first.get(b, off, n);
            return n;
        }
        if (ended) {
            return -1;
        }
        try {
            ByteBuffer target = ByteBuffer.wrap(b, off, len);
            int n;
            do { // a channel may return 0 bytes, an InputStream must not: ask again
                n = reader.read(target);
            } while (n == 0);
            if (n < 0) {
                ended = true;
            }
            return n;
        } catch (IOException | RuntimeException e) {
            throw new IOException("GCS read of " + where + " failed: " + GcsBlobStore.describe(e), e);
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            closeQuietly(reader);
        }
    }

    static void closeQuietly(ReadChannel reader) {
        if (reader != null) {
            try {
                reader.close();
            } catch (RuntimeException e) {
                LOG.debug("closing a GCS read channel failed: {}", e.toString());
            }
        }
    }
}
