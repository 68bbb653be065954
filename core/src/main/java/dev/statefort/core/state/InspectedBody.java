package dev.statefort.core.state;

import dev.statefort.core.io.ChunkPipe;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A state body on its way to the blob store: counts and limits its size and computes SHA-256 in
 * the one pass the store makes over it, while a virtual thread parses a copy as JSON and, when
 * asked, computes its MD5 (so a large body's two digests run on two cores).
 */
final class InspectedBody extends FilterInputStream {
    private final long maxBytes;
    private final MessageDigest sha256 = digest("SHA-256");
    private final MessageDigest md5;
    private final ChunkPipe pipe = new ChunkPipe();
    private final CompletableFuture<StateSummary> summary = new CompletableFuture<>();
    private long size;
    private boolean ended;

    /** @param computeMd5 whether {@link #md5} is wanted (the client sent Content-MD5) */
    InspectedBody(InputStream body, long maxBytes, boolean computeMd5) {
        super(body);
        this.maxBytes = maxBytes;
        this.md5 = computeMd5 ? digest("MD5") : null;
        Thread.ofVirtual().name("state-body-parser").start(this::parse);
    }

    private void parse() {
        try {
            InputStream copy = md5 == null ? pipe.inputStream() : new DigestInputStream(pipe.inputStream(), md5);
            StateSummary parsed = StateBodyParser.parse(copy);
            copy.transferTo(OutputStream.nullOutputStream()); // the digest covers every byte
            summary.complete(parsed);
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

    /** The body's MD5, once {@link #summary} returned; only when asked for at construction. */
    byte[] md5() {
        if (md5 == null) {
            throw new IllegalStateException("MD5 was not asked for");
        }
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
