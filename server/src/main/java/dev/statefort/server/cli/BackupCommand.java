package dev.statefort.server.cli;

import dev.statefort.server.backup.BackupReader;
import dev.statefort.server.backup.BackupRefusedException;
import dev.statefort.server.backup.BackupWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code statefort backup}: a consistent snapshot of a running deployment (docs/operations.md, "Backup"). */
@Command(
        name = "backup",
        description = "Write one consistent snapshot of the database and the blobs it refers to (encrypted, as"
                + " stored; never the master key) while the server runs. 'backup verify FILE' checks one.",
        mixinStandardHelpOptions = true,
        subcommands = BackupCommand.Verify.class)
final class BackupCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions options;

    @Option(names = "--output", paramLabel = "FILE", description = "The backup file to write (a tar).")
    Path output;

    @Option(
            names = "--attempts",
            paramLabel = "N",
            defaultValue = "3",
            description = "Take the snapshot again up to this many times when a state's current version is"
                    + " deleted while its blobs are copied (default 3).")
    int attempts;

    @Override
    public Integer call() throws IOException {
        if (output == null) {
            System.err.println("error: give --output FILE (or 'statefort backup verify FILE')");
            return 2;
        }
        BackupWriter writer = new BackupWriter(options.load(), Clock.systemUTC());
        for (int attempt = 1; ; attempt++) {
            try {
                BackupWriter.Summary summary = writer.write(output);
                System.out.println("backed up " + summary.rows().getOrDefault("states", 0L) + " states, "
                        + summary.rows().getOrDefault("versions", 0L) + " versions and " + summary.blobs() + " blobs ("
                        + summary.blobBytes() + " bytes as stored) to " + summary.file());
                if (summary.prunedMeanwhile() > 0) {
                    System.out.println("left out " + summary.prunedMeanwhile() + " older versions that retention"
                            + " removed while the blobs were copied");
                }
                System.out.println("it holds no master key: keep the master key apart; a restored node needs it");
                return 0;
            } catch (BackupRefusedException.SnapshotOutdated e) {
                if (attempt >= attempts) {
                    System.err.println("error: " + e.getMessage());
                    return 1;
                }
                System.err.println("warning: " + e.getMessage() + " (attempt " + attempt + " of " + attempts + ")");
            } catch (BackupRefusedException e) {
                System.err.println("error: " + e.getMessage());
                return 1;
            }
        }
    }

    /** {@code statefort backup verify FILE}. */
    @Command(
            name = "verify",
            description = "Check a backup file against its manifest: every entry's SHA-256, none missing or extra,"
                    + " every blob the tables refer to present. Exit 0 when it verifies, 1 when not.",
            mixinStandardHelpOptions = true)
    static final class Verify implements Callable<Integer> {
        @Parameters(paramLabel = "FILE")
        Path file;

        @Override
        public Integer call() throws IOException {
            BackupReader.Verification v = new BackupReader(file).verify();
            if (!v.ok()) {
                v.problems().forEach(p -> System.err.println("problem: " + p));
                System.err.println(file + " does NOT verify (" + v.problems().size() + " problems)");
                return 1;
            }
            System.out.println(file + " verifies: taken " + v.manifest().createdAt() + " from "
                    + v.manifest().database() + " (schema " + v.manifest().schemaVersion() + "), "
                    + v.manifest().rows().getOrDefault("versions", 0L) + " versions, "
                    + v.manifest().blobs()
                    + " blobs, every checksum matches");
            return 0;
        }
    }
}
