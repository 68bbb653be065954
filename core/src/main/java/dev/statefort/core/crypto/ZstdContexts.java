package dev.statefort.core.crypto;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import java.util.Arrays;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Compresses a body held in memory with a zstd context taken from a small pool: a context (about
 * 1 MB of native tables at level 1) is made once and reused, where a stream per blob made and freed
 * one per write. Request threads are virtual, so a thread-local would not be reused.
 */
final class ZstdContexts {
    /** Contexts kept for reuse; more may exist at once under load, and are freed when not kept. */
    private static final int KEPT = Math.max(2, Runtime.getRuntime().availableProcessors() * 2);

    private static final Queue<ZstdCompressCtx> IDLE = new ConcurrentLinkedQueue<>();
    private static final AtomicInteger IDLE_COUNT = new AtomicInteger();

    private ZstdContexts() {}

    /** One zstd frame of {@code body[0, length)} at {@code level}. */
    static byte[] compress(byte[] body, int length, int level) {
        ZstdCompressCtx ctx = IDLE.poll();
        if (ctx == null) {
            ctx = new ZstdCompressCtx();
        } else {
            IDLE_COUNT.decrementAndGet();
        }
        try {
            ctx.setLevel(level);
            byte[] out = new byte[(int) Zstd.compressBound(length)];
            int n = ctx.compressByteArray(out, 0, out.length, body, 0, length);
            return Arrays.copyOf(out, n);
        } finally {
            if (IDLE_COUNT.incrementAndGet() <= KEPT) {
                IDLE.offer(ctx);
            } else {
                IDLE_COUNT.decrementAndGet();
                ctx.close();
            }
        }
    }
}
