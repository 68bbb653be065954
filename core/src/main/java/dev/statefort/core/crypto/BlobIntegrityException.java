package dev.statefort.core.crypto;

import dev.statefort.core.StatefortException;

/**
 * A stored blob failed authentication: it was altered, truncated, moved to another key, or
 * encrypted with a key this node does not have. Never carries blob content.
 */
public class BlobIntegrityException extends StatefortException {
    public BlobIntegrityException(String blobKey, String reason) {
        super("stored blob " + blobKey + " failed its integrity check: " + reason);
    }
}
