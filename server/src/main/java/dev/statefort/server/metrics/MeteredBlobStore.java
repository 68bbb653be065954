package dev.statefort.server.metrics;

import dev.statefort.core.spi.BlobNotFoundException;
import dev.statefort.core.spi.BlobStore;
import dev.statefort.core.spi.StoreUnavailableException;
import java.io.IOException;
import java.io.InputStream;

/**
 * Times every call of one storage profile's store ({@code statefort_store_operations_seconds}) by
 * operation and outcome: {@code ok}, {@code not-found}, {@code unavailable} (the store did not
 * answer), {@code aborted} (a put whose content stream failed: the client's upload broke off or was
 * refused, no fault of the store) or {@code error} (anything else). {@code put} is timed to its end,
 * streaming the bytes included; {@code open} until the stream is open.
 */
public final class MeteredBlobStore implements BlobStore {
    private final BlobStore delegate;
    private final String profile;
    private final NodeMetrics metrics;

    public MeteredBlobStore(BlobStore delegate, String profile, NodeMetrics metrics) {
        this.delegate = delegate;
        this.profile = profile;
        this.metrics = metrics;
    }

    @Override
    public long put(String key, InputStream content) throws IOException {
        long start = System.nanoTime();
        String outcome = "error";
        try {
            long bytes = delegate.put(key, content);
            outcome = "ok";
            return bytes;
        } catch (StoreUnavailableException e) {
            outcome = "unavailable";
            throw e;
        } catch (IOException e) {
            outcome = "aborted"; // by contract, put throws IOException only when reading the content fails
            throw e;
        } finally {
            record("put", outcome, start);
        }
    }

    @Override
    public InputStream open(String key) {
        return timed("open", () -> delegate.open(key));
    }

    @Override
    public void delete(String key) {
        timed("delete", () -> {
            delegate.delete(key);
            return null;
        });
    }

    @Override
    public boolean exists(String key) {
        return timed("exists", () -> delegate.exists(key));
    }

    @Override
    public void ping() {
        timed("ping", () -> {
            delegate.ping();
            return null;
        });
    }

    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public String toString() {
        return delegate.toString();
    }

    private <T> T timed(String operation, java.util.function.Supplier<T> call) {
        long start = System.nanoTime();
        String outcome = "error";
        try {
            T result = call.get();
            outcome = "ok";
            return result;
        } catch (BlobNotFoundException e) {
            outcome = "not-found";
            throw e;
        } catch (StoreUnavailableException e) {
            outcome = "unavailable";
            throw e;
        } finally {
            record(operation, outcome, start);
        }
    }

    private void record(String operation, String outcome, long start) {
        metrics.storeOperation(profile, operation, outcome, System.nanoTime() - start);
    }
}
