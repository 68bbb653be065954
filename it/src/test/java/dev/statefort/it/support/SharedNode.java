package dev.statefort.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Nodes shared by the test classes of one JVM (one surefire fork), one per way of starting them: the first class that
 * asks starts the runnable jar, later classes get the same process, and when the JVM ends a shutdown hook stops it
 * (SIGTERM to its PID, SIGKILL if it does not exit) and deletes its directory. Within a fork the classes run one after
 * another, so a shared node serves one class at a time.
 *
 * <p>A class on a shared node keeps to its own states (and extra projects of its own names); it never stops, kills
 * or reconfigures the node, and asserts nothing that another class's data could make false (every event of the audit
 * log, all the users or tokens, a first start or a first login, pages a screenshot for the docs shows). Classes that
 * need any of that start their own node.
 */
public final class SharedNode {
    private static final Map<String, StatefortProcess> NODES = new LinkedHashMap<>();
    private static final List<Path> DIRS = new ArrayList<>();
    private static boolean hooked;

    private SharedNode() {}

    /**
     * The jar on the embedded default, started as {@link StatefortProcess#start(Path, String, String...)} starts it
     * without extra arguments (what {@link RealServer#started()} gives a class of its own).
     */
    public static StatefortProcess embeddedDefault() {
        return get("embedded-default", dir -> StatefortProcess.start(dir, "shared-embedded-default"));
    }

    /**
     * As {@link #embeddedDefault()}, with every state's blob in the blob store and every read decoded
     * from it ({@link StatefortProcess#BLOBS_READ_FROM_STORE}: for tests that look at or alter blob files).
     */
    public static StatefortProcess embeddedBlobsReadFromStore() {
        return get(
                "embedded-blobs-read-from-store",
                dir -> StatefortProcess.startWithEnvironment(
                        dir, "shared-blobs-read-from-store", StatefortProcess.BLOBS_READ_FROM_STORE));
    }

    /** How a shared node is started, in its own directory. */
    @FunctionalInterface
    public interface Starter {
        StatefortProcess start(Path dir) throws Exception;
    }

    /** This JVM's node started by {@code starter} under {@code key}: started now on first use. */
    public static synchronized StatefortProcess get(String key, Starter starter) {
        StatefortProcess node = NODES.get(key);
        if (node != null) {
            if (!node.isAlive()) {
                // a class before this one broke the rule above, or the process died: its tests said so already
                System.out.println("[statefort-it] WARNING: the shared node " + key
                        + " is not running; restarting it on its data dir\n" + node.logTail());
                node.restart();
            }
            return node;
        }
        hookOnce();
        try {
            Path dir = Files.createTempDirectory("statefort-it-shared-");
            DIRS.add(dir);
            node = starter.start(dir);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the shared node " + key, e);
        }
        NODES.put(key, node);
        return node;
    }

    private static void hookOnce() {
        if (hooked) {
            return;
        }
        hooked = true;
        Runtime.getRuntime().addShutdownHook(new Thread(SharedNode::stopAll, "statefort-it-shared-nodes"));
    }

    private static synchronized void stopAll() {
        for (StatefortProcess node : NODES.values()) {
            try {
                node.stop();
            } catch (RuntimeException e) {
                System.out.println("[statefort-it] could not stop a shared node: " + e);
            }
        }
        NODES.clear();
        for (Path dir : DIRS) {
            deleteQuietly(dir);
        }
        DIRS.clear();
    }

    private static void deleteQuietly(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            System.out.println("[statefort-it] could not delete " + root + ": " + e);
        }
    }
}
