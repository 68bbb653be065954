package dev.statefort.server.cli;

import dev.statefort.core.InvalidInputException;
import dev.statefort.core.model.StateKey;
import dev.statefort.core.state.StoredState;
import dev.statefort.server.config.ServerConfig;
import dev.statefort.server.wiring.StatefortNode;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
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
        ServerConfig config = options.load();
        requireExistingData(config);
        try (StatefortNode node = StatefortNode.open(config)) {
            StoredState stored = version == null
                    ? node.state()
                            .states()
                            .read(Cli.principal(), key)
                            .orElseThrow(() ->
                                    new dev.statefort.core.NotFoundException("state " + key + " has no content yet"))
                    : node.state().states().readVersion(Cli.principal(), key, version);
            try (InputStream in = stored.content()) {
                OutputStream out = System.out;
                in.transferTo(out);
                out.flush();
            }
            return 0;
        }
    }

    /** Break glass never creates anything: a mistyped data dir or key file is an error, not a new empty store. */
    private static void requireExistingData(ServerConfig config) {
        if (config.databaseKind() == ServerConfig.DatabaseKind.SQLITE && !Files.isRegularFile(config.sqliteFile())) {
            throw new InvalidInputException("there is no Statefort database at " + config.sqliteFile()
                    + "; check --data-dir (decrypt reads existing data and never creates any)");
        }
        if (config.encryption()
                && config.masterKeyFromEnvironment() == null
                && !Files.isRegularFile(config.masterKeyFile())) {
            throw new InvalidInputException("the master key file " + config.masterKeyFile()
                    + " does not exist; point --master-key-file at it (or set STATEFORT_MASTER_KEY)");
        }
    }
}
