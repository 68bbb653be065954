package dev.statefort.core.state;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Hands copies of byte chunks from one thread to another with a bounded queue, so a second
 * consumer can read a body while the first streams it elsewhere. When the consumer stops early
 * ({@link #consumerDone()}), further chunks are dropped instead of blocking the producer.
 */
final class ChunkPipe {
    private static final byte[] END = new byte[0];
    private final BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(16);
    private volatile boolean consumerDone;

    /** Producer side: offers a copy of {@code buf[off..off+len)}. */
    void write(byte[] buf, int off, int len) {
        if (len > 0) {
            enqueue(java.util.Arrays.copyOfRange(buf, off, off + len));
        }
    }

    /** Producer side: no more chunks. */
    void end() {
        enqueue(END);
    }

    void consumerDone() {
        consumerDone = true;
        queue.clear();
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

    /** Consumer side: the chunks as a stream, ending at {@link #end()}. */
    InputStream inputStream() {
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
                    try {
                        byte[] next = queue.take();
                        if (next == END) {
                            ended = true;
                        } else {
                            current = next;
                            pos = 0;
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IOException("interrupted while reading the body", e);
                    }
                }
                int n = Math.min(len, current.length - pos);
                System.arraycopy(current, pos, b, off, n);
                pos += n;
                return n;
            }
        };
    }
}
