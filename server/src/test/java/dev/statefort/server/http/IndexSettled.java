package dev.statefort.server.http;

import dev.statefort.server.wiring.StatefortNode;

/**
 * Waits for the search indexer (background work that reads each newly written version once) to have
 * indexed every state, for tests that count blob reads and must not count its read.
 */
public final class IndexSettled {
    private IndexSettled() {}

    public static void await(StatefortNode node) throws InterruptedException {
        for (int i = 0; i < 400 && !node.metadata().findUnindexed(1).isEmpty(); i++) {
            Thread.sleep(25);
        }
        if (!node.metadata().findUnindexed(1).isEmpty()) {
            throw new AssertionError("the search index did not catch up within 10 s");
        }
    }
}
