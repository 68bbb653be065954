package dev.statefort.core.state;

import dev.statefort.core.StatefortException;

/** A state body larger than the configured maximum; answered with 413 naming the limit. */
public class StateTooLargeException extends StatefortException {
    private final long limitBytes;

    public StateTooLargeException(long limitBytes) {
        super("state is larger than the maximum state size of " + ByteSizes.format(limitBytes)
                + (ByteSizes.format(limitBytes).endsWith(" bytes") ? "" : " (" + limitBytes + " bytes)")
                + "; raise max-state-size to accept it");
        this.limitBytes = limitBytes;
    }

    public long limitBytes() {
        return limitBytes;
    }
}
