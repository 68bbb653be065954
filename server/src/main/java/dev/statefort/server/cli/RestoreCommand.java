package dev.statefort.server.cli;

import dev.statefort.server.backup.BackupRefusedException;
import dev.statefort.server.backup.BackupRestore;
import dev.statefort.server.config.ServerConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code statefort restore}: a backup into a new, empty deployment (docs/operations.md, "Restore"). */
@Command(
        name = "restore",
        description = "Restore a backup into an empty data directory (and empty database). The file is verified"
                + " first. Start the restored node with the master key of the one that was backed up.",
        mixinStandardHelpOptions = true)
final class RestoreCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions options;

    @Option(names = "--input", required = true, paramLabel = "FILE", description = "The backup file.")
    Path input;

    @Override
    public Integer call() throws IOException {
        ServerConfig target = options.load();
        try {
            BackupRestore.Summary summary = new BackupRestore(target).restore(input);
            System.out.println("restored " + summary.rows().getOrDefault("states", 0L) + " states, "
                    + summary.rows().getOrDefault("versions", 0L) + " versions and " + summary.blobs()
                    + " blobs into " + target.dataDir());
            System.out.println("start it with the master key of the node that was backed up, e.g.:");
            System.out.println("  statefort serve --data-dir " + target.dataDir()
                    + " --master-key-file <that node's key file>   (or STATEFORT_MASTER_KEY)");
            return 0;
        } catch (BackupRefusedException e) {
            System.err.println("error: " + e.getMessage());
            return 1;
        }
    }
}
