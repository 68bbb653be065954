package dev.statefort.server.cli;

import dev.statefort.core.storage.StorageAdministration.ProfileStatus;
import dev.statefort.server.wiring.StatefortNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code statefort storage ...}: the storage profiles. */
@Command(
        name = "storage",
        description = "Storage profiles (storage.<name>.* settings).",
        mixinStandardHelpOptions = true,
        subcommands = {StorageCommand.ListProfiles.class})
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
                for (ProfileStatus p : node.storageAdmin().list(Cli.principal())) {
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
}
