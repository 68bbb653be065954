package dev.statefort.core.state;

/**
 * A write's body once stored and inspected: its blob key, size, SHA-256 and parsed summary; for a
 * small body, its sealed bytes still to be kept in the database with the version's commit ({@code
 * pendingSmallBlob}; null once stored, or when the body went to a blob store); and the body itself
 * when it was read into memory ({@code body}, for the read cache; null when it streamed).
 */
record StoredBody(
        String blobKey, long size, String sha256Hex, StateSummary summary, byte[] pendingSmallBlob, byte[] body) {
    /** The same body, its small blob now stored on its own. */
    StoredBody kept() {
        return new StoredBody(blobKey, size, sha256Hex, summary, null, body);
    }
}
