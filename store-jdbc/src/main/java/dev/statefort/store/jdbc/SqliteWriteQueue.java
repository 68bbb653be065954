package dev.statefort.store.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import dev.statefort.core.OverloadedException;
import dev.statefort.core.spi.StorageFullException;
import dev.statefort.core.spi.StoreUnavailableException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SQLite's one writer, inside the process. Every write transaction of the store runs on one
 * connection, one at a time, in the order it arrived, so two transactions of this process never meet
 * in SQLite's lock (no busy waits, no "database is locked"); reads use the other connections of the
 * pool and never wait for a writer (WAL).
 *
 * <p>Group commit: the writes that queue up while a batch is being committed run together in the
 * next batch, each inside its own {@code SAVEPOINT} (one that fails is rolled back alone, the others
 * stand; a write alone in its batch needs none), all made durable by one {@code COMMIT}, that is one
 * fsync for the batch. A caller returns only after the {@code COMMIT} that holds its write, so
 * nothing is acknowledged before it is durable, except a {@link #writeRelaxed} write (a client's
 * UNLOCK), which is atomic at once and durable with the next fsynced commit.
 *
 * <p>A deferred write ({@link #writeLater}) is queued like any other but nobody waits for it: the
 * audit row of a refused LOCK rides in the next batch instead of costing its caller a commit. A
 * batch of deferred writes only is committed with {@code synchronous=NORMAL} (no fsync; in WAL
 * mode still atomic, and made durable by the next fsynced commit), and so is a batch of deferred and
 * relaxed writes; any other batch is committed with {@code synchronous=FULL}. A read that must see deferred writes
 * calls {@link #awaitDeferred} first.
 *
 * <p>Only real overload is refused: a write still waiting for its turn after {@code maxWait} is
 * taken out of the queue by a watchdog and answered with an {@link OverloadedException} (503 +
 * Retry-After); a write that has started is always waited for.
 */
final class SqliteWriteQueue implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SqliteWriteQueue.class);
    /** Most writes one COMMIT makes durable. */
    static final int MAX_BATCH = 64;
    /** Deferred writes queued at most; beyond it {@link #writeLater} waits like {@link #write}. */
    static final int MAX_DEFERRED = 10_000;

    /** Queued by {@link #close()}: the writer stops when it takes it. */
    private static final Job<Object> STOP = new Job<>("stop", c -> null);

    private static final int QUEUED = 0;
    private static final int STARTED = 1;
    private static final int CANCELLED = 2;

    private final HikariDataSource dataSource;
    private final Duration maxWait;
    private final BlockingQueue<Job<?>> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private final Thread watchdog;
    private volatile boolean closed;
    private final java.util.concurrent.atomic.AtomicLong commits = new java.util.concurrent.atomic.AtomicLong();
    private final AtomicInteger deferred = new AtomicInteger();
    private final java.util.concurrent.atomic.AtomicLong durableCommits = new java.util.concurrent.atomic.AtomicLong();
    /** The writer connection's {@code synchronous} setting: true = FULL, false = NORMAL. */
    private boolean synchronousFull = true;
    /** The writer's connection; only the writer thread touches it. */
    private Connection connection;

    SqliteWriteQueue(HikariDataSource dataSource, Duration maxWait) {
        this.dataSource = dataSource;
        this.maxWait = maxWait;
        this.writer =
                Thread.ofPlatform().name("statefort-sqlite-writer").daemon().start(this::run);
        this.watchdog = Thread.ofPlatform()
                .name("statefort-sqlite-write-watchdog")
                .daemon()
                .start(this::refuseOverdue);
    }

    /**
     * Refuses, as overload, the writes still queued after {@code maxWait}, looking every tenth of it
     * (at most every 100 ms): callers then wait without a timeout of their own, which costs every
     * write a timer on the virtual-thread scheduler.
     */
    private void refuseOverdue() {
        long period = Math.clamp(maxWait.toMillis() / 10, 1, 100);
        while (!closed) {
            try {
                Thread.sleep(period);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            for (Job<?> job : queue) {
                if (job.awaited
                        && now - job.queuedAt > maxWait.toNanos()
                        && job.state.compareAndSet(QUEUED, CANCELLED)) {
                    queue.remove(job);
                    job.failure = new OverloadedException(
                            "the database is overloaded: this write waited more than " + maxWait.toSeconds()
                                    + " s for its turn (" + queue.size() + " more queued); retry later",
                            (int) Math.max(1, maxWait.toSeconds()));
                    job.complete();
                }
            }
        }
    }

    /** One queued write transaction and its outcome. */
    private static final class Job<T> {
        final String operation;
        final Sql.Work<T> work;
        final CompletableFuture<T> outcome = new CompletableFuture<>();
        final AtomicInteger state = new AtomicInteger(QUEUED);
        final long queuedAt = System.nanoTime();
        /** Nobody waits for it: it does not need a durable commit of its own. */
        boolean deferred;
        /** Its caller waits for it, but it needs no fsync of its own ({@link #writeRelaxed}). */
        boolean relaxed;
        /** A caller waits for it: refused as overload when still queued after {@code maxWait}. */
        boolean awaited;

        T value;
        Throwable failure;

        Job(String operation, Sql.Work<T> work) {
            this.operation = operation;
            this.work = work;
        }

        void complete() {
            if (failure == null) {
                outcome.complete(value);
            } else {
                outcome.completeExceptionally(failure);
            }
        }
    }

    /** Runs {@code work} in a write transaction; returns once it is committed (durable). */
    <T> T write(String operation, Sql.Work<T> work) {
        return write(operation, work, false);
    }

    /**
     * Runs {@code work} in a write transaction and returns once it is committed, atomic but not
     * necessarily durable yet: its batch is committed without fsync unless another write in it needs
     * one, and the next fsynced commit makes it durable (WAL order). Only for a change whose loss in a
     * power failure is harmless (see {@code docs/architecture.md}, "What an fsync protects").
     */
    <T> T writeRelaxed(String operation, Sql.Work<T> work) {
        return write(operation, work, true);
    }

    private <T> T write(String operation, Sql.Work<T> work, boolean relaxed) {
        if (Thread.currentThread() == writer) {
            // a write made from inside a write would wait for itself; no store method does that
            throw new IllegalStateException("a write inside the write transaction of the store: " + operation);
        }
        if (closed) {
            throw new StoreUnavailableException(
                    "metadata store failed to " + operation, new IllegalStateException("the store is closed"));
        }
        Job<T> job = new Job<>(operation, work);
        job.relaxed = relaxed;
        job.awaited = true; // set before the queue publishes the job to the watchdog
        queue.add(job);
        return await(job);
    }

    /** The job's outcome; one still queued after {@code maxWait} is refused by {@link #refuseOverdue}. */
    private <T> T await(Job<T> job) {
        String operation = job.operation;
        try {
            return job.outcome.get();
        } catch (ExecutionException e) {
            throw rethrow(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("interrupted while waiting to " + operation);
        }
    }

    /**
     * Queues {@code work} without waiting for it (it commits with the next batch, in arrival order
     * with every other write); a failure is logged. Waits like {@link #write} when {@link
     * #MAX_DEFERRED} deferred writes are already queued.
     */
    void writeLater(String operation, Sql.Work<?> work) {
        if (deferred.incrementAndGet() > MAX_DEFERRED) {
            deferred.decrementAndGet();
            write(operation, work);
            return;
        }
        Job<?> job = new Job<>(operation, work);
        job.deferred = true;
        job.outcome.whenComplete((value, failure) -> {
            deferred.decrementAndGet();
            if (failure != null) {
                LOG.warn("metadata store failed to {} (deferred): {}", operation, failure.toString());
            }
        });
        if (closed) {
            job.failure = new StoreUnavailableException("metadata store closed before it could " + operation);
            job.complete();
            return;
        }
        queue.add(job);
    }

    /** Returns once every deferred write queued before this call is committed (or failed). */
    void awaitDeferred() {
        if (deferred.get() > 0 && Thread.currentThread() != writer && !closed) {
            Job<Object> barrier = new Job<>("wait for deferred writes", c -> null);
            barrier.deferred = true; // it writes nothing: no reason to fsync
            barrier.awaited = true;
            queue.add(barrier);
            await(barrier);
        }
    }

    /** Deferred writes queued and not yet committed. */
    int deferredCount() {
        return deferred.get();
    }

    private static RuntimeException rethrow(Throwable cause) {
        if (cause instanceof RuntimeException r) {
            return r;
        }
        if (cause instanceof Error e) {
            throw e;
        }
        return StorageFullException.classify("metadata store failed", cause);
    }

    private void run() {
        while (true) {
            List<Job<?>> batch = new ArrayList<>();
            try {
                Job<?> first = queue.take();
                if (first == STOP) {
                    break;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                boolean stop = batch.remove(STOP);
                batch.removeIf(job -> !job.state.compareAndSet(QUEUED, STARTED));
                if (!batch.isEmpty()) {
                    runBatch(batch);
                }
                if (stop) {
                    break;
                }
            } catch (InterruptedException e) {
                if (closed) {
                    break;
                }
            }
        }
        Job<?> left;
        while ((left = queue.poll()) != null) {
            if (left == STOP) {
                continue;
            }
            left.failure = new StoreUnavailableException("metadata store closed before it could " + left.operation);
            left.complete();
        }
        closeConnection();
    }

    /** One transaction for the whole batch, a savepoint per job, one COMMIT. */
    private void runBatch(List<Job<?>> batch) {
        boolean durable = batch.stream().anyMatch(job -> !job.deferred && !job.relaxed);
        Connection c;
        try {
            c = connection();
            if (durable != synchronousFull) {
                execute(c, durable ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL");
                synchronousFull = durable;
            }
            execute(c, "BEGIN IMMEDIATE");
        } catch (SQLException | RuntimeException e) {
            failAll(batch, e);
            discardConnection();
            return;
        }
        try {
            boolean alone = batch.size() == 1;
            for (Job<?> job : batch) {
                runInSavepoint(c, job, alone);
            }
            execute(c, "COMMIT");
            commits.incrementAndGet();
            if (durable) {
                durableCommits.incrementAndGet();
            }
        } catch (SQLException | RuntimeException e) {
            // the transaction as a whole failed (a savepoint could not be undone, or COMMIT failed)
            try {
                execute(c, "ROLLBACK");
            } catch (SQLException rollbackFailed) {
                discardConnection();
            }
            failAll(batch, e);
            return;
        }
        batch.forEach(Job::complete);
    }

    /**
     * Runs the job inside its own savepoint, or, when it is {@code alone} in its batch, straight in
     * the batch's transaction (undone by restarting that transaction: two statements fewer).
     */
    private static <T> void runInSavepoint(Connection c, Job<T> job, boolean alone) throws SQLException {
        for (int attempt = 1; ; attempt++) {
            if (!alone) {
                execute(c, "SAVEPOINT job");
            }
            try {
                job.value = job.work.run(c);
                job.failure = null;
                if (!alone) {
                    execute(c, "RELEASE job");
                }
                return;
            } catch (Sql.Retry retry) {
                undo(c, alone);
                if (attempt >= Sql.MAX_ATTEMPTS) {
                    job.failure = new StoreUnavailableException(
                            "metadata store could not " + job.operation + ": lost " + attempt + " races in a row");
                    return;
                }
            } catch (SQLException e) {
                undo(c, alone);
                job.failure = Sql.unavailable(job.operation, e);
                return;
            } catch (RuntimeException | Error e) {
                undo(c, alone);
                job.failure = e;
                return;
            }
        }
    }

    /** Rolls a job's work back; throws when that is impossible (the whole batch then fails). */
    private static void undo(Connection c, boolean alone) throws SQLException {
        if (alone) {
            execute(c, "ROLLBACK");
            execute(c, "BEGIN IMMEDIATE");
        } else {
            execute(c, "ROLLBACK TO job");
            execute(c, "RELEASE job");
        }
    }

    private static void failAll(List<Job<?>> batch, Exception e) {
        for (Job<?> job : batch) {
            job.failure = e instanceof SQLException sql ? Sql.unavailable(job.operation, sql) : e;
            job.complete();
        }
    }

    /** Runs a control statement (BEGIN, SAVEPOINT, COMMIT...) prepared once per connection. */
    private static void execute(Connection c, String statement) throws SQLException {
        try (BoundStatement s = StatementCache.prepare(c, statement)) {
            s.executeUpdate();
        }
    }

    private Connection connection() throws SQLException {
        if (connection == null) {
            connection = dataSource.getConnection();
        }
        return connection;
    }

    private void discardConnection() {
        synchronousFull = true; // a new connection starts with the pool's setting
        if (connection != null) {
            LOG.warn("discarding the SQLite writer connection after a failed transaction");
            dataSource.evictConnection(connection);
            connection = null;
        }
    }

    private void closeConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                LOG.debug("closing the writer connection: {}", e.toString());
            }
            connection = null;
        }
    }

    /** COMMITs made with {@code synchronous=FULL}: the fsyncs the writer asked for. */
    long durableCommits() {
        return durableCommits.get();
    }

    /** Writes waiting for their turn (for tests and metrics). */
    int queued() {
        return queue.size();
    }

    /** How many COMMITs (batches) the writer has made durable. */
    long commits() {
        return commits.get();
    }

    /** Finishes the queued writes, then stops the writer and returns its connection. */
    @Override
    public void close() {
        closed = true;
        watchdog.interrupt();
        queue.add(STOP);
        try {
            writer.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
