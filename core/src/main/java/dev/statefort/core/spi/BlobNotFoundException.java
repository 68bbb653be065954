package dev.statefort.core.spi;

import dev.statefort.core.StatefortException;

/** {@link BlobStore#open} found no blob under the key. */
public class BlobNotFoundException extends StatefortException {
    public BlobNotFoundException(String key) {
        super("no blob under key " + key);
    }
}
