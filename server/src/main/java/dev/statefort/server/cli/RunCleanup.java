package dev.statefort.server.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

/** What {@code statefort run} undoes when its command ends, fails or is interrupted: once. */
final class RunCleanup implements Runnable {
    private final TokenClient tokens;
    private final String tokenId;
    private volatile Path backendFile;
    private final AtomicBoolean done = new AtomicBoolean();

    RunCleanup(TokenClient tokens, String tokenId) {
        this.tokens = tokens;
        this.tokenId = tokenId;
    }

    /** The backend file the run wrote, to remove at the end. */
    void removeAfterwards(Path file) {
        this.backendFile = file;
    }

    @Override
    public void run() {
        if (!done.compareAndSet(false, true)) {
            return;
        }
        if (backendFile != null) {
            try {
                Files.deleteIfExists(backendFile);
            } catch (IOException e) {
                System.err.println("statefort run: could not remove " + backendFile + ": " + e.getMessage());
            }
        }
        try {
            if (!tokens.revoke(tokenId)) {
                System.err.println("statefort run: the run's token " + tokenId + " could not be revoked; it expires"
                        + " at the end of --max-duration");
            }
        } catch (IOException e) {
            System.err.println("statefort run: the run's token " + tokenId + " could not be revoked (" + e.getMessage()
                    + "); it expires at the end of --max-duration");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
