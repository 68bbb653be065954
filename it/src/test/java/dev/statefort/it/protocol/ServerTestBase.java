package dev.statefort.it.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.statefort.it.support.Fixtures;
import dev.statefort.it.support.LockLayout;
import dev.statefort.it.support.SharedNode;
import dev.statefort.it.support.StatefortClient;
import dev.statefort.it.support.StatefortClient.Response;
import dev.statefort.it.support.StatefortProcess;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The protocol classes' node: this JVM's {@link SharedNode} on the embedded default, started by the first class that
 * needs it and stopped when the JVM ends, with one write token for project {@code default} made once (by the jar's
 * CLI) for all of them. Every test works on a state of its own in project {@code default} ({@code it-<n>-<hint>},
 * numbered across the JVM); a class's extra projects carry names of its own.
 */
abstract class ServerTestBase {
    static final String PROJECT = "default";
    private static final AtomicInteger STATES = new AtomicInteger();
    private static StatefortProcess writerTokenNode;
    private static String sharedWriterToken;

    static StatefortProcess server;
    static StatefortClient admin;
    static StatefortClient writer;
    static String writerToken;

    @BeforeAll
    static void takeSharedServer() {
        server = SharedNode.embeddedDefault();
        admin = server.adminClient();
        writerToken = writerTokenOf(server);
        writer = server.client(writerToken);
    }

    private static synchronized String writerTokenOf(StatefortProcess node) {
        if (node != writerTokenNode) {
            sharedWriterToken = node.createToken(PROJECT, "write", "it-writer");
            writerTokenNode = node;
        }
        return sharedWriterToken;
    }

    @AfterAll
    static void leaveSharedServer() {
        // the node stays up for the next class; SharedNode stops it when the JVM ends
        server = null;
        admin = null;
        writer = null;
        writerToken = null;
    }

    /** A fresh state path {@code /tf/default/<unique>} for one test. */
    static String newStatePath(String hint) {
        return StatefortClient.statePath(PROJECT, newStateName(hint));
    }

    static String newStateName(String hint) {
        return "it-" + STATES.incrementAndGet() + "-" + hint;
    }

    static Response lock(StatefortClient client, LockLayout layout, String statePath, byte[] lockInfo) {
        return client.send(layout.lockMethod, layout.lockPath(statePath), lockInfo, "Content-Type", "application/json");
    }

    static Response unlock(StatefortClient client, LockLayout layout, String statePath, byte[] lockInfo) {
        return client.send(
                layout.unlockMethod, layout.lockPath(statePath), lockInfo, "Content-Type", "application/json");
    }

    /** Asserts the lock is free by taking it with a new ID and releasing it again. */
    static void assertUnlocked(String statePath) {
        String probe = Fixtures.newLockId();
        Response taken = lock(writer, LockLayout.STATE_URL, statePath, Fixtures.lockInfo(probe));
        assertThat(taken.status()).as("lock should be free: %s", taken).isEqualTo(200);
        Response released = unlock(writer, LockLayout.STATE_URL, statePath, Fixtures.lockInfo(probe));
        assertThat(released.status()).as("%s", released).isEqualTo(200);
    }

    /** Asserts the lock is held by exactly {@code holderLockInfo} (423 with those bytes to a different ID). */
    static void assertLockedBy(String statePath, byte[] holderLockInfo) {
        Response refused = lock(writer, LockLayout.STATE_URL, statePath, Fixtures.lockInfo(Fixtures.newLockId()));
        assertThat(refused.status()).as("%s", refused).isEqualTo(423);
        assertThat(refused.body()).as("423 body is the holder's LockInfo").isEqualTo(holderLockInfo);
    }

    /** GET of a state that has none: 404, 204 or 200 with an empty body all mean "no state" to the client. */
    static void assertNoState(Response response) {
        boolean noState = response.status() == 404
                || response.status() == 204
                || (response.status() == 200 && response.body().length == 0);
        assertThat(noState)
                .as("expected 'no state' (404, 204 or empty 200): %s", response)
                .isTrue();
    }
}
