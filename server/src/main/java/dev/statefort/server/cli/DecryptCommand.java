package dev.statefort.server.cli;

import dev.statefort.core.state.StateKey;
import dev.statefort.core.state.StoredState;
import dev.statefort.server.wiring.StatefortNode;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code statefort decrypt}: the break-glass path. Prints a state's plaintext from the data
 * directory (or database) and the master key, with no server running.
 */
@Command(
        name = "decrypt",
        description = "Print the plaintext of a state version from the stored data and the master key (offline).",
        mixinStandardHelpOptions = true)
final class DecryptCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions options;

    @Option(names = "--project", required = true, paramLabel = "P")
    String project;

    @Option(names = "--state", required = true, paramLabel = "S")
    String state;

    @Option(names = "--version", paramLabel = "N", description = "Version number (default: the current one).")
    Long version;

    @Override
    public Integer call() throws Exception {
        StateKey key = new StateKey(project, state);
        try (StatefortNode node = StatefortNode.open(options.load())) {
            StoredState stored = version == null
                    ? node.states()
                            .read(key)
                            .orElseThrow(() ->
                                    new dev.statefort.core.NotFoundException("state " + key + " has no content yet"))
                    : node.states().readVersion(key, version);
            try (InputStream in = stored.content()) {
                OutputStream out = System.out;
                in.transferTo(out);
                out.flush();
            }
            return 0;
        }
    }
}
