package dev.statefort.core.crypto;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import java.util.Arrays;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Compresses a body held in memory with a zstd context taken from a small pool: a context (about
 * 1 MB of native tables at level 1) and its output buffer are made once and reused, where a stream
 * per blob made and freed one per write (and a buffer of the body's size is garbage the collector
 * must handle). Request threads are virtual, so a thread-local would not be reused.
 */
final class ZstdContexts {
    /** Contexts kept for reuse; more may exist at once under load, and are freed when not kept. */
    private static final int KEPT = Math.max(2, Runtime.getRuntime().availableProcessors() * 2);

    /** Largest output buffer kept with an idle context (a larger one is made for its write only). */
    private static final int KEPT_BUFFER_BYTES = 2 * 1024 * 1024;

    /** A context and the output buffer it last used. */
    private static final class Pooled {
        final ZstdCompressCtx ctx = new ZstdCompressCtx();
        byte[] out = new byte[0];
    }

    private static final Queue<Pooled> IDLE = new ConcurrentLinkedQueue<>();
    private static final AtomicInteger IDLE_COUNT = new AtomicInteger();

    private ZstdContexts() {}

    /** One zstd frame of {@code body[0, length)} at {@code level}. */
    static byte[] compress(byte[] body, int length, int level) {
        Pooled pooled = IDLE.poll();
        if (pooled == null) {
            pooled = new Pooled();
        } else {
            IDLE_COUNT.decrementAndGet();
        }
        try {
            pooled.ctx.setLevel(level);
            int bound = (int) Zstd.compressBound(length);
            byte[] out = pooled.out.length >= bound ? pooled.out : new byte[bound];
            if (bound <= KEPT_BUFFER_BYTES) {
                pooled.out = out;
            }
            int n = pooled.ctx.compressByteArray(out, 0, out.length, body, 0, length);
            return Arrays.copyOf(out, n);
        } finally {
            if (IDLE_COUNT.incrementAndGet() <= KEPT) {
                IDLE.offer(pooled);
            } else {
                IDLE_COUNT.decrementAndGet();
                pooled.ctx.close();
            }
        }
    }
}
