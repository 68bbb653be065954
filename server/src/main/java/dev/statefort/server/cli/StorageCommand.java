package dev.statefort.server.cli;

import dev.statefort.core.storage.StorageAdministration.ProfileStatus;
import dev.statefort.core.storage.StorageMoves;
import dev.statefort.server.wiring.StatefortNode;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code statefort storage ...}: the storage profiles. */
@Command(
        name = "storage",
        description = "Storage profiles (storage.<name>.* settings).",
        mixinStandardHelpOptions = true,
        subcommands = {StorageCommand.ListProfiles.class, StorageCommand.Move.class})
final class StorageCommand {

    @Command(
            name = "list",
            description = "List the storage profiles: name, type, location, health and number of projects.",
            mixinStandardHelpOptions = true)
    static final class ListProfiles implements Callable<Integer> {
        @Mixin
        ConfigOptions options;

        @Override
        public Integer call() {
            try (StatefortNode node = StatefortNode.open(options.load())) {
                System.out.printf("%-16s %-11s %-8s %-9s %s%n", "NAME", "TYPE", "PROJECTS", "HEALTH", "LOCATION");
                for (ProfileStatus p : node.storage().admin().list(Cli.principal())) {
                    System.out.printf(
                            "%-16s %-11s %-8d %-9s %s%s%n",
                            p.name() + (p.isDefault() ? " *" : ""),
                            p.type(),
                            p.projects(),
                            p.healthy() ? "ok" : "DOWN",
                            p.location(),
                            p.healthy() ? "" : " (" + p.problem() + ")");
                }
                System.out.println("* the default profile for new projects (storage.default)");
                return 0;
            }
        }
    }

    @Command(
            name = "move",
            description = {
                "Move a project's states to another storage profile while the server keeps serving: copies every"
                        + " version, checks each copy's SHA-256, switches the project, deletes the old blobs.",
                "Interrupted? Run the same command again: it resumes."
            },
            mixinStandardHelpOptions = true)
    static final class Move implements Callable<Integer> {
        @Mixin
        ConfigOptions options;

        @Option(names = "--project", required = true, paramLabel = "PROJECT", description = "The project to move.")
        String project;

        @Option(
                names = "--to",
                required = true,
                paramLabel = "PROFILE",
                description = "The storage profile to move it to.")
        String to;

        @Override
        public Integer call() throws IOException {
            try (StatefortNode node = StatefortNode.open(options.load())) {
                StorageMoves.Progress done = node.storage()
                        .moves()
                        .move(
                                Cli.principal(),
                                project,
                                to,
                                progress -> System.out.printf(
                                        "pass: %d of %d blobs on %s%n",
                                        progress.blobs() - progress.remaining(), progress.blobs(), progress.target()));
                System.out.println("project " + project + " is on storage profile " + done.storage() + " ("
                        + done.blobs() + " blobs)");
                return 0;
            }
        }
    }
}
