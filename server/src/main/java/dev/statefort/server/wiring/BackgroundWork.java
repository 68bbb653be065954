package dev.statefort.server.wiring;

import dev.statefort.core.event.EventSignal;
import dev.statefort.core.usecases.EventUseCases;
import dev.statefort.core.usecases.FleetUseCases;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a serving node does besides answering requests: sends due webhook deliveries (at once when
 * this node records an event, else every second or half the first retry wait), looks for stale locks every
 * {@link #STALE_LOOK}, keeps the search index on every state's current version (this node's writes
 * at most {@link #INDEX_PACE} after they commit, every state left behind within {@link
 * #INDEX_CATCH_UP}) and adds the counted outputs reads to the store every {@link
 * #CONSUMER_FLUSH}. Every node runs it; the store's conditional writes let exactly one node act on
 * each delivery and each stale lock, and an index is replaced only while its version is current.
 * Started with the server, stopped before the store closes.
 */
final class BackgroundWork implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BackgroundWork.class);
    static final Duration STALE_LOOK = Duration.ofSeconds(30);
    /** How long the sender waits after being woken, for the events that follow at once. */
    static final Duration COALESCE = Duration.ofMillis(50);
    /** How long the indexer gathers writes after being woken: a state written many times a second is indexed a few times. */
    static final Duration INDEX_PACE = Duration.ofSeconds(1);
    /** How often the indexer looks for states whose index is behind (other nodes' writes, a crash). */
    static final Duration INDEX_CATCH_UP = Duration.ofSeconds(10);

    static final Duration CONSUMER_FLUSH = Duration.ofSeconds(5);

    private final List<Thread> threads;
    private volatile boolean running = true;

    /** How often the fleet's gauges (by project) are counted again. */
    static final Duration FLEET_GAUGES = Duration.ofSeconds(60);

    private BackgroundWork(
            EventUseCases events,
            EventSignal signal,
            FleetUseCases fleet,
            EventSignal indexSignal,
            java.util.function.Consumer<java.util.Map<String, long[]>> fleetGauges) {
        long[] lastCatchUp = {Long.MIN_VALUE};
        this.threads = List.of(
                Thread.ofVirtual()
                        .name("search-indexer")
                        .unstarted(() -> loop(indexSignal, INDEX_CATCH_UP, INDEX_PACE, () -> {
                            fleet.indexer().indexMarked();
                            long now = System.nanoTime();
                            if (lastCatchUp[0] == Long.MIN_VALUE || now - lastCatchUp[0] >= INDEX_CATCH_UP.toNanos()) {
                                lastCatchUp[0] = now;
                                fleet.indexer().catchUp();
                            }
                        })),
                Thread.ofVirtual()
                        .name("fleet-gauges")
                        .unstarted(() -> loop(
                                null,
                                FLEET_GAUGES,
                                COALESCE,
                                () -> fleetGauges.accept(fleet.view().countsByProject()))),
                Thread.ofVirtual()
                        .name("outputs-readers")
                        .unstarted(() -> loop(null, CONSUMER_FLUSH, COALESCE, () -> fleet.consumers()
                                .flush())),
                Thread.ofVirtual()
                        .name("webhook-sender")
                        .unstarted(() -> loop(signal, events.dispatcher().lookEvery(), COALESCE, () -> {
                            events.dispatcher().deliverDue();
                            while (running && events.dispatcher().moreDue()) {
                                events.dispatcher().deliverDue(); // a webhook had more due: another pass
                            }
                        })),
                Thread.ofVirtual()
                        .name("stale-lock-sweeper")
                        .unstarted(() -> loop(null, STALE_LOOK, COALESCE, () -> events.staleLocks()
                                .sweep())));
    }

    static BackgroundWork start(StatefortNode node) {
        BackgroundWork work = new BackgroundWork(
                node.events(), node.deliverySignal(), node.fleet(), node.indexSignal(), node.metrics()::fleetCounts);
        work.threads.forEach(Thread::start);
        return work;
    }

    private void loop(EventSignal signal, Duration every, Duration coalesce, Runnable task) {
        while (running) {
            long seen = signal == null ? 0 : signal.count();
            try {
                task.run();
            } catch (RuntimeException e) {
                // a dead database or a bug: logged, tried again next time; never a secret (messages carry none)
                LOG.warn("{} failed: {}", Thread.currentThread().getName(), e.toString());
            }
            try {
                if (signal == null) {
                    Thread.sleep(every);
                } else {
                    signal.awaitAfter(seen, every);
                    if (signal.count() != seen) {
                        // woken by an event: the events of the same apply (LOCK, write, UNLOCK come
                        // milliseconds apart) go out in one pass, one read of the outbox for them all
                        Thread.sleep(coalesce);
                    }
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public void close() {
        running = false;
        threads.forEach(Thread::interrupt);
        for (Thread t : threads) {
            try {
                t.join(Duration.ofSeconds(15));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
