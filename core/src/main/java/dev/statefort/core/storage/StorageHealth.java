package dev.statefort.core.storage;

import dev.statefort.core.spi.StorageFullException;
import dev.statefort.core.spi.StoreUnavailableException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Whether each storage profile answers, for readiness and the profile listing: the profiles are
 * pinged at once, each bounded by a deadline (a store that hangs is reported, never waited for), and
 * a healthy answer is reused for {@link #HEALTHY_FOR}, so that calls to an unauthenticated
 * {@code /readyz} cannot turn into a stream of writes to every bucket. An unhealthy answer is not
 * reused: the moment a store is back, the next check says so.
 */
public final class StorageHealth {
    /** How long a healthy answer is reused. */
    public static final Duration HEALTHY_FOR = Duration.ofSeconds(1);

    /** How long one ping may take. */
    public static final Duration DEADLINE = Duration.ofSeconds(3);

    /**
     * One profile's state: healthy, or why not; {@code full} when it answers but has no space left
     * (reads go on there, writes get 507).
     */
    public record Result(boolean healthy, String problem, boolean full) {
        public Result(boolean healthy, String problem) {
            this(healthy, problem, false);
        }
    }

    private final StorageProfiles profiles;
    private final Map<String, Long> healthySince = new ConcurrentHashMap<>();

    public StorageHealth(StorageProfiles profiles) {
        this.profiles = profiles;
        profiles.onUnavailable(healthySince::remove); // a failed operation ends the reuse at once
    }

    /** Every profile's state, by name, in the profiles' order. */
    public Map<String, Result> check() {
        Map<String, Future<Result>> pending = new LinkedHashMap<>();
        ExecutorService pings = Executors.newVirtualThreadPerTaskExecutor();
        try {
            for (StorageProfiles.Profile p : profiles.list()) {
                Long since = healthySince.get(p.name());
                if (since != null && System.nanoTime() - since < HEALTHY_FOR.toNanos()) {
                    pending.put(p.name(), CompletableFuture.completedFuture(new Result(true, null)));
                } else {
                    pending.put(p.name(), pings.submit(() -> ping(p)));
                }
            }
            Map<String, Result> results = new LinkedHashMap<>();
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            for (Map.Entry<String, Future<Result>> e : pending.entrySet()) {
                results.put(e.getKey(), await(e.getValue(), deadline));
            }
            return results;
        } finally {
            pings.shutdownNow(); // a ping past its deadline is abandoned, never waited for
        }
    }

    private Result ping(StorageProfiles.Profile p) {
        try {
            p.store().ping();
            healthySince.put(p.name(), System.nanoTime());
            return new Result(true, null);
        } catch (StoreUnavailableException e) {
            healthySince.remove(p.name());
            return new Result(false, e.getMessage(), e instanceof StorageFullException);
        }
    }

    private static Result await(Future<Result> result, long deadline) {
        try {
            return result.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            result.cancel(true);
            return new Result(false, "no answer within " + DEADLINE.toSeconds() + " s");
        } catch (ExecutionException e) {
            return new Result(false, String.valueOf(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(false, "interrupted");
        }
    }
}
