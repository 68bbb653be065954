package dev.statefort.core.fleet;

import dev.statefort.core.auth.Principal;
import dev.statefort.core.model.ConsumerRead;
import dev.statefort.core.model.StateKey;
import dev.statefort.core.spi.FleetStore;
import dev.statefort.core.state.ConsumerReads;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts outputs reads in memory and adds them to the store in one batch ({@link #flush}, every few
 * seconds and at shutdown), so a read never waits for a database write. A crash loses the counts of
 * the last few seconds, never more; "read by" is an inventory, not an audit (reads are not audited).
 */
public final class ConsumerLedger implements ConsumerReads {
    /** Readers remembered between flushes at most; more are dropped until the next flush. */
    static final int MAX_PENDING = 10_000;

    private final FleetStore store;
    private final Clock clock;
    private final Map<Pending.Key, Pending> pending = new ConcurrentHashMap<>();

    public ConsumerLedger(FleetStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    @Override
    public void read(Principal reader, StateKey key, String via) {
        Pending.Key k = new Pending.Key(key, reader.name());
        if (pending.size() >= MAX_PENDING && !pending.containsKey(k)) {
            return;
        }
        Instant now = clock.instant();
        pending.compute(k, (ignored, p) -> p == null ? new Pending(via, now, now, 1) : p.plus(via, now));
    }

    /** Adds what was counted since the last flush to the store. */
    public void flush() {
        List<ConsumerRead> reads = new ArrayList<>();
        for (Pending.Key k : List.copyOf(pending.keySet())) {
            Pending p = pending.remove(k);
            if (p != null) {
                reads.add(new ConsumerRead(k.state(), k.reader(), p.via(), p.first(), p.last(), p.count()));
            }
        }
        if (reads.isEmpty()) {
            return;
        }
        try {
            store.addConsumerReads(reads);
        } catch (RuntimeException e) {
            for (ConsumerRead r : reads) { // kept for the next flush
                pending.merge(
                        new Pending.Key(r.key(), r.reader()),
                        new Pending(r.via(), r.first(), r.last(), r.count()),
                        (since, older) -> older.merge(since));
            }
            throw e;
        }
    }

    /** Reads of one state by one reader since the last flush. */
    private record Pending(String via, Instant first, Instant last, long count) {
        record Key(StateKey state, String reader) {}

        Pending plus(String newVia, Instant at) {
            return new Pending(newVia, first, at, count + 1);
        }

        Pending merge(Pending newer) {
            return new Pending(
                    newer.via, first.isBefore(newer.first) ? first : newer.first, newer.last, count + newer.count);
        }
    }
}
