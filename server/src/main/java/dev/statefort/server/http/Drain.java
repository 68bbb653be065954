package dev.statefort.server.http;

/**
 * Whether this node is shutting down. From {@link #begin()} on, {@code /readyz} answers 503 and
 * every response closes its connection, so a load balancer stops sending requests here (and holds
 * no idle connection to it) before the listener closes; the node still serves what it is sent.
 */
public final class Drain {
    private volatile boolean draining;

    public void begin() {
        draining = true;
    }

    public boolean isDraining() {
        return draining;
    }
}
