package dev.statefort.core.crypto;

import com.github.luben.zstd.RecyclingBufferPool;
import com.github.luben.zstd.ZstdInputStream;
import com.github.luben.zstd.ZstdOutputStream;
import dev.statefort.core.io.ChunkPipe;
import dev.statefort.core.spi.BlobKeys;
import dev.statefort.core.spi.BlobStore;
import dev.statefort.core.spi.StoreUnavailableException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Decorates a {@link BlobStore}: every blob is written as a {@link BlobHeader} followed by the
 * zstd-compressed bytes encrypted with the project's streaming AEAD data key; the associated data
 * binds the ciphertext to its header and blob key (so a blob moved to another key fails). The
 * project is the first segment of the blob key. Streams in both directions; passes {@code
 * BlobStoreContract} like any store, with encryption on and off (its tests are in {@code store-tck},
 * which depends on core).
 */
public final class EncryptingBlobStore implements BlobStore {
    /**
     * Level 1: on Terraform states it compresses as well as level 3 (0.065 against 0.077 of the raw
     * size for 0.9 to 9 MB states, 0.164 against 0.160 for 5 KB ones) in about half the time, which
     * is what bounds a large POST. Any level decodes the same way.
     */
    private static final int ZSTD_LEVEL = 1;

    private static final int BUFFER = 64 * 1024;

    private final BlobStore delegate;
    private final ProjectKeyRing keys;
    private final boolean allowPlaintextReads;
    private final CodecTimings timings;

    /**
     * @param allowPlaintextReads accept blobs written with encryption off (only for re-encryption and
     *     offline tools: with encryption on, a plaintext blob is otherwise an integrity failure)
     */
    public EncryptingBlobStore(BlobStore delegate, ProjectKeyRing keys, boolean allowPlaintextReads) {
        this(delegate, keys, allowPlaintextReads, CodecTimings.NONE);
    }

    /** As above, reporting each blob's compression and encryption time to {@code timings}. */
    public EncryptingBlobStore(
            BlobStore delegate, ProjectKeyRing keys, boolean allowPlaintextReads, CodecTimings timings) {
        this.delegate = delegate;
        this.keys = keys;
        this.allowPlaintextReads = allowPlaintextReads;
        this.timings = timings;
    }

    /**
     * Encryption off: blobs get the header in plaintext mode and are stored as given, so turning
     * encryption on later and re-encrypting finds them.
     */
    public static EncryptingBlobStore plaintext(BlobStore delegate) {
        return new EncryptingBlobStore(delegate, null, true);
    }

    static String projectOf(String blobKey) {
        int slash = blobKey.indexOf('/');
        return slash < 0 ? blobKey : blobKey.substring(0, slash);
    }

    @Override
    public long put(String key, InputStream content) throws IOException {
        BlobKeys.require(key);
        if (keys == null) {
            CountingInputStream counted = new CountingInputStream(content);
            byte[] header = new BlobHeader(BlobHeader.Mode.PLAINTEXT, 0).toBytes();
            delegate.put(key, new java.io.SequenceInputStream(new java.io.ByteArrayInputStream(header), counted));
            return counted.count;
        }
        ProjectKeyRing.DataKeys dataKeys = keys.forWriting(projectOf(key));
        BlobHeader header = new BlobHeader(BlobHeader.Mode.ZSTD_STREAMING_AEAD, dataKeys.primaryKeyId());
        ChunkPipe pipe = new ChunkPipe();
        AtomicReference<Exception> producerFailure = new AtomicReference<>();
        AtomicLong plaintextBytes = new AtomicLong();
        Thread producer = Thread.ofVirtual().name("blob-encrypt").start(() -> {
            try {
                // each stopwatch adds up the time below it: the stages are the differences
                StopwatchStreams.Out out = new StopwatchStreams.Out(new NonClosing(pipe.outputStream()));
                out.write(header.toBytes());
                StopwatchStreams.Out encrypted =
                        new StopwatchStreams.Out(dataKeys.aead().newEncryptingStream(out, header.associatedData(key)));
                StopwatchStreams.Out compressed = new StopwatchStreams.Out(
                        new ZstdOutputStream(encrypted, RecyclingBufferPool.INSTANCE, ZSTD_LEVEL));
                try (encrypted;
                        compressed) {
                    byte[] buf = new byte[BUFFER];
                    int n;
                    while ((n = content.read(buf)) >= 0) {
                        if (pipe.isConsumerDone()) {
                            throw new ConsumerGone();
                        }
                        compressed.write(buf, 0, n);
                        plaintextBytes.addAndGet(n);
                    }
                }
                timings.record(
                        CodecTimings.Stage.COMPRESS, StopwatchStreams.between(compressed.nanos, encrypted.nanos));
                timings.record(CodecTimings.Stage.ENCRYPT, StopwatchStreams.between(encrypted.nanos, out.nanos));
                pipe.end();
            } catch (Exception e) {
                producerFailure.set(e);
                pipe.fail(e);
            }
        });
        try (InputStream ciphertext = pipe.inputStream()) {
            delegate.put(key, ciphertext);
        } catch (IOException | RuntimeException e) {
            pipe.consumerDone();
            join(producer);
            Exception producerSide = producerFailure.get();
            // the store's own failure wins unless it only saw the producer's failure
            throw rethrowProducerFailure(producerSide instanceof ConsumerGone ? null : producerSide, e);
        } finally {
            pipe.consumerDone();
        }
        join(producer);
        if (producerFailure.get() != null) {
            delegate.delete(key);
            throw rethrowProducerFailure(producerFailure.get(), null);
        }
        return plaintextBytes.get();
    }

    /**
     * A body held in memory, compressed (encryption on) or as it is (off), ready for {@link #seal}
     * under the key its size chooses (a small one is kept in the database).
     */
    public static final class Compressed {
        /** Tink's streaming AEAD: its header (salt and nonce prefix) and one tag per segment of at least 64 KiB. */
        private static final int AEAD_HEADER = 64;

        private static final int TAG = 16;
        private static final int MIN_SEGMENT = 64 * 1024;

        private final byte[] bytes;
        private final int length;
        private final boolean plaintext;

        private Compressed(byte[] bytes, int length, boolean plaintext) {
            this.bytes = bytes;
            this.length = length;
            this.plaintext = plaintext;
        }

        /** About how many bytes the sealed blob takes (at most this, for the data keys Statefort makes). */
        public int sealedSize() {
            return BlobHeader.LENGTH + length + (plaintext ? 0 : AEAD_HEADER + TAG * (length / MIN_SEGMENT + 1));
        }
    }

    /**
     * Compresses {@code body[0, length)} in one call on this thread (no pipe, no producer thread):
     * the first half of {@link #put} for a body already in memory.
     */
    public Compressed compress(byte[] body, int length) {
        if (keys == null) {
            return new Compressed(body, length, true);
        }
        long start = System.nanoTime();
        byte[] compressed = ZstdContexts.compress(body, length, ZSTD_LEVEL);
        timings.record(CodecTimings.Stage.COMPRESS, System.nanoTime() - start);
        return new Compressed(compressed, compressed.length, false);
    }

    /**
     * The blob's bytes exactly as {@link #put} stores them under {@code key}: the header, then the
     * compressed body encrypted with the project's primary data key, bound to {@code key}.
     */
    public byte[] seal(String key, Compressed body) {
        BlobKeys.require(key);
        if (body.plaintext) {
            byte[] header = new BlobHeader(BlobHeader.Mode.PLAINTEXT, 0).toBytes();
            byte[] sealed = Arrays.copyOf(header, header.length + body.length);
            System.arraycopy(body.bytes, 0, sealed, header.length, body.length);
            return sealed;
        }
        ProjectKeyRing.DataKeys dataKeys = keys.forWriting(projectOf(key));
        BlobHeader header = new BlobHeader(BlobHeader.Mode.ZSTD_STREAMING_AEAD, dataKeys.primaryKeyId());
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.sealedSize());
        long start = System.nanoTime();
        try {
            out.write(header.toBytes());
            try (OutputStream encrypting = dataKeys.aead().newEncryptingStream(out, header.associatedData(key))) {
                encrypting.write(body.bytes, 0, body.length);
            }
        } catch (GeneralSecurityException | IOException e) {
            throw new CryptoException("cannot encrypt blob " + key, e);
        }
        timings.record(CodecTimings.Stage.ENCRYPT, System.nanoTime() - start);
        return out.toByteArray();
    }

    /** Stores what {@link #seal} made under {@code key}, as it is. */
    public void putSealed(String key, byte[] sealed) throws IOException {
        delegate.put(BlobKeys.require(key), new ByteArrayInputStream(sealed));
    }

    @Override
    public InputStream open(String key) {
        BlobKeys.require(key);
        InputStream raw = delegate.open(key);
        try {
            BlobHeader header = BlobHeader.read(raw, key);
            return switch (header.mode()) {
                case PLAINTEXT -> {
                    if (!allowPlaintextReads) {
                        throw new BlobIntegrityException(key, "it is stored unencrypted but encryption is on");
                    }
                    yield raw;
                }
                case ZSTD_STREAMING_AEAD -> decrypting(key, header, raw);
            };
        } catch (IOException e) {
            closeQuietly(raw);
            throw new StoreUnavailableException("cannot read blob " + key, e);
        } catch (RuntimeException e) {
            closeQuietly(raw);
            throw e;
        }
    }

    private InputStream decrypting(String key, BlobHeader header, InputStream raw) throws IOException {
        if (keys == null) {
            throw new BlobIntegrityException(key, "it is encrypted but encryption is off on this node");
        }
        ProjectKeyRing.DataKeys dataKeys = keys.forReading(projectOf(key), header.keyId());
        if (!dataKeys.keyIds().contains(header.keyId())) {
            throw new BlobIntegrityException(
                    key, "it names data key " + Tink.keyIdText(header.keyId()) + ", which its project does not have");
        }
        SourceTracking source = new SourceTracking(raw);
        try {
            StopwatchStreams.In read = new StopwatchStreams.In(source);
            StopwatchStreams.In decrypted =
                    new StopwatchStreams.In(dataKeys.aead().newDecryptingStream(read, header.associatedData(key)));
            InputStream plain =
                    new DecodeTimed(new ZstdInputStream(decrypted, RecyclingBufferPool.INSTANCE), decrypted, read);
            return new IntegrityChecked(plain, source, key);
        } catch (java.security.GeneralSecurityException e) {
            throw new BlobIntegrityException(key, "the ciphertext cannot be decrypted");
        }
    }

    @Override
    public void delete(String key) {
        delegate.delete(key);
    }

    @Override
    public boolean exists(String key) {
        return delegate.exists(key);
    }

    @Override
    public void ping() {
        delegate.ping();
    }

    @Override
    public void close() {
        delegate.close();
    }

    /** Reads only the header of a stored blob: which data key it was written with (0 = plaintext). */
    public int dataKeyIdOf(String key) {
        try (InputStream raw = delegate.open(key)) {
            BlobHeader header = BlobHeader.read(raw, key);
            return header.mode() == BlobHeader.Mode.PLAINTEXT ? 0 : header.keyId();
        } catch (IOException e) {
            throw new StoreUnavailableException("cannot read blob " + key, e);
        }
    }

    private static IOException rethrowProducerFailure(Exception producer, Exception consumer) {
        Exception failure = producer != null ? producer : consumer;
        if (failure instanceof RuntimeException r) {
            throw r;
        }
        return failure instanceof IOException io ? io : new IOException(failure);
    }

    private static void join(Thread thread) {
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // already failing
        }
    }

    /** The producer stopped because the store stopped reading; never the cause worth reporting. */
    private static final class ConsumerGone extends IOException {
        ConsumerGone() {
            super("the blob store stopped reading");
        }
    }

    /** Counts what passes through; never closes the caller's stream. */
    private static final class CountingInputStream extends FilterInputStream {
        long count;

        CountingInputStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        @Override
        public void close() {
            // the caller owns the stream
        }
    }

    /** Lets the encrypting stream finish without ending the pipe (the producer ends it on success). */
    private static final class NonClosing extends FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }

    /** Remembers whether the underlying store failed, to tell an outage from tampering. */
    private static final class SourceTracking extends FilterInputStream {
        volatile boolean failed;

        SourceTracking(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (IOException e) {
                failed = true;
                throw e;
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return super.read(b, off, len);
            } catch (IOException e) {
                failed = true;
                throw e;
            }
        }
    }

    /**
     * The outermost stopwatch of a decoding: when closed, reports once the time spent decrypting
     * (beyond reading the store) and decompressing (beyond decrypting).
     */
    private final class DecodeTimed extends StopwatchStreams.In {
        private final StopwatchStreams.In decrypted;
        private final StopwatchStreams.In read;
        private boolean reported;

        DecodeTimed(InputStream decompressing, StopwatchStreams.In decrypted, StopwatchStreams.In read) {
            super(decompressing);
            this.decrypted = decrypted;
            this.read = read;
        }

        @Override
        public void close() throws IOException {
            try {
                super.close();
            } finally {
                if (!reported) {
                    reported = true;
                    timings.record(CodecTimings.Stage.DECRYPT, StopwatchStreams.between(decrypted.nanos, read.nanos));
                    timings.record(CodecTimings.Stage.DECOMPRESS, StopwatchStreams.between(nanos, decrypted.nanos));
                }
            }
        }
    }

    /** Turns an authentication failure while reading into a {@link BlobIntegrityException}. */
    private static final class IntegrityChecked extends FilterInputStream {
        private final SourceTracking source;
        private final String key;

        IntegrityChecked(InputStream in, SourceTracking source, String key) {
            super(in);
            this.source = source;
            this.key = key;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return in.read(b, off, len);
            } catch (IOException e) {
                if (source.failed) {
                    throw new StoreUnavailableException("reading blob " + key + " failed", e);
                }
                throw new BlobIntegrityException(
                        key, "authentication failed (the blob was altered, truncated " + "or moved from another key)");
            }
        }

        @Override
        public long skip(long n) throws IOException {
            try {
                return in.skip(n);
            } catch (IOException e) {
                throw new BlobIntegrityException(key, "authentication failed");
            }
        }
    }
}
