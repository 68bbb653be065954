package dev.statefort.core.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Hands copies of byte chunks from a producer thread to a consumer thread through a bounded queue
 * (at most 16 chunks in flight), so one pass over a stream can feed two readers, or a push-style
 * writer (an encrypting stream) can feed a pull-style reader (a store's {@code put}).
 *
 * <p>The producer may {@link #fail} the pipe: the consumer's next read then throws that exception
 * (the same object). When the consumer gives up ({@link #consumerDone()}), later chunks are dropped
 * instead of blocking the producer.
 */
public final class ChunkPipe {
    private static final byte[] END = new byte[0];
    private static final byte[] FAILED = new byte[0];
    private final BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(16);
    private volatile boolean consumerDone;
    private volatile Exception failure;

    /** Producer side: offers a copy of {@code buf[off..off+len)}. */
    public void write(byte[] buf, int off, int len) {
        if (len > 0) {
            enqueue(Arrays.copyOfRange(buf, off, off + len));
        }
    }

    /** Producer side: no more chunks. */
    public void end() {
        enqueue(END);
    }

    /** Producer side: the stream failed; the consumer's next read throws {@code cause}. */
    public void fail(Exception cause) {
        failure = cause;
        enqueue(FAILED);
    }

    /** Consumer side: stop accepting chunks (the producer no longer blocks). */
    public void consumerDone() {
        consumerDone = true;
        queue.clear();
    }

    /** Whether the consumer stopped reading (the producer can stop producing). */
    public boolean isConsumerDone() {
        return consumerDone;
    }

    private void enqueue(byte[] chunk) {
        try {
            while (!consumerDone && !queue.offer(chunk, 50, TimeUnit.MILLISECONDS)) {
                // the consumer is busy; keep waiting unless it gave up
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            consumerDone();
        }
    }

    /** Producer side as an OutputStream: {@code close()} ends the pipe. */
    public OutputStream outputStream() {
        return new OutputStream() {
            private boolean closed;

            @Override
            public void write(int b) {
                ChunkPipe.this.write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                ChunkPipe.this.write(b, off, len);
            }

            @Override
            public void close() {
                if (!closed) {
                    closed = true;
                    end();
                }
            }
        };
    }

    /** Consumer side: the chunks as a stream, ending at {@link #end()} or throwing at {@link #fail}. */
    public InputStream inputStream() {
        return new InputStream() {
            private byte[] current = new byte[0];
            private int pos;
            private boolean ended;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) {
                    return 0;
                }
                while (pos == current.length) {
                    if (ended) {
                        return -1;
                    }
                    byte[] next;
                    try {
                        next = queue.take();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new InterruptedIOException("interrupted while reading a piped stream");
                    }
                    if (next == END) {
                        ended = true;
                    } else if (next == FAILED) {
                        throw rethrowable(failure);
                    } else {
                        current = next;
                        pos = 0;
                    }
                }
                int n = Math.min(len, current.length - pos);
                System.arraycopy(current, pos, b, off, n);
                pos += n;
                return n;
            }

            @Override
            public void close() {
                consumerDone();
            }
        };
    }

    private static IOException rethrowable(Exception failure) {
        if (failure instanceof IOException io) {
            return io;
        }
        if (failure instanceof RuntimeException r) {
            throw r;
        }
        return new IOException(failure);
    }
}
