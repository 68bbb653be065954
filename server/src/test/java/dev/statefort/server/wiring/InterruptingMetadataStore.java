package dev.statefort.server.wiring;

import dev.statefort.core.spi.MetadataStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real metadata store that "crashes" during a rotation: after {@code allowed} successful calls of one method, the
 * next call is carried out and then fails, as if the process died right after that commit. Every other method goes
 * straight to the real store.
 */
final class InterruptingMetadataStore {
    private InterruptingMetadataStore() {}

    /** Thrown where the process would have died. */
    static final class SimulatedCrash extends RuntimeException {
        SimulatedCrash(String method) {
            super("simulated crash after " + method);
        }
    }

    static MetadataStore crashingAfter(MetadataStore real, String method, int allowed) {
        AtomicInteger calls = new AtomicInteger();
        return (MetadataStore) Proxy.newProxyInstance(
                MetadataStore.class.getClassLoader(), new Class<?>[] {MetadataStore.class}, (proxy, m, args) -> {
                    Object result;
                    try {
                        result = m.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                    if (m.getName().equals(method) && calls.incrementAndGet() > allowed) {
                        throw new SimulatedCrash(method);
                    }
                    return result;
                });
    }
}
