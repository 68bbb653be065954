package dev.statefort.core.state;

import dev.statefort.core.io.ChunkPipe;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A state body on its way to the blob store: counts and limits its size, computes SHA-256 and MD5,
 * and parses it as JSON on a virtual thread, all in the one pass the store makes over it.
 */
final class InspectedBody extends FilterInputStream {
    private final long maxBytes;
    private final MessageDigest sha256 = digest("SHA-256");
    private final MessageDigest md5 = digest("MD5");
    private final ChunkPipe pipe = new ChunkPipe();
    private final CompletableFuture<StateSummary> summary = new CompletableFuture<>();
    private long size;
    private boolean ended;

    InspectedBody(InputStream body, long maxBytes) {
        super(body);
        this.maxBytes = maxBytes;
        Thread.ofVirtual().name("state-body-parser").start(this::parse);
    }

    private void parse() {
        try {
            summary.complete(StateBodyParser.parse(pipe.inputStream()));
        } catch (Throwable t) {
            summary.completeExceptionally(t);
        } finally {
            pipe.consumerDone();
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n;
        try {
            n = in.read(b, off, len);
        } catch (IOException | RuntimeException e) {
            abandon();
            throw e;
        }
        if (n > 0) {
            size += n;
            if (size > maxBytes) {
                abandon();
                throw new BodyTooLargeException(maxBytes);
            }
            sha256.update(b, off, n);
            md5.update(b, off, n);
            pipe.write(b, off, n);
            if (summary.isCompletedExceptionally()) {
                summary(); // the body is already known to be invalid: stop streaming it
            }
        } else if (n < 0 && !ended) {
            ended = true;
            pipe.end();
        }
        return n;
    }

    @Override
    public long skip(long n) {
        throw new UnsupportedOperationException("a state body is read, not skipped");
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    /** Stops the parser after a failed or aborted read. */
    void abandon() {
        if (!ended) {
            ended = true;
            pipe.end();
        }
    }

    long size() {
        return size;
    }

    String sha256Hex() {
        return HexFormat.of().formatHex(sha256.digest());
    }

    byte[] md5() {
        return md5.digest();
    }

    /** The parse result once the body was read to its end; rethrows the parser's error. */
    StateSummary summary() throws IOException {
        try {
            return summary.get(5, TimeUnit.MINUTES);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof IOException io) {
                throw io;
            }
            throw new IOException("state parser failed", cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while parsing the state", e);
        } catch (TimeoutException e) {
            throw new IOException("state parser did not finish", e);
        }
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is missing from this JVM", e);
        }
    }
}
