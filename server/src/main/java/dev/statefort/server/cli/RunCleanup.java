package dev.statefort.server.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What {@code statefort run} undoes when its command ends, fails or is interrupted, once: the backend
 * file goes (or gets back what it held before the run), the run's token is revoked.
 */
final class RunCleanup implements Runnable {
    private final TokenClient tokens;
    private final String tokenId;
    private final AtomicBoolean done = new AtomicBoolean();
    private volatile BackendFileOptions.WrittenFile backendFile;

    RunCleanup(TokenClient tokens, String tokenId) {
        this.tokens = tokens;
        this.tokenId = tokenId;
    }

    /** A run that minted no token (it hands the command the CI job's OIDC token): only the backend file to undo. */
    static RunCleanup withoutToken() {
        return new RunCleanup(null, null);
    }

    /** The backend file the run wrote, to remove (or restore) at the end. */
    void restoreAfterwards(BackendFileOptions.WrittenFile file) {
        this.backendFile = file;
    }

    @Override
    public void run() {
        if (!done.compareAndSet(false, true)) {
            return;
        }
        BackendFileOptions.WrittenFile file = backendFile;
        if (file != null) {
            try {
                if (file.previous() == null) {
                    Files.deleteIfExists(file.path());
                } else {
                    Files.write(file.path(), file.previous());
                }
            } catch (IOException e) {
                System.err.println("statefort run: could not remove " + file.path() + ": " + e.getMessage());
            }
        }
        if (tokens == null) {
            return;
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
        } finally {
            tokens.close();
        }
    }
}
