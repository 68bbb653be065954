package dev.statefort.server.cli;

import dev.statefort.server.wiring.StatefortNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code statefort project ...}. */
@Command(
        name = "project",
        description = "Manage projects.",
        mixinStandardHelpOptions = true,
        subcommands = {ProjectCommand.Create.class, ProjectCommand.ListProjects.class})
final class ProjectCommand {

    @Command(name = "create", description = "Create a project.", mixinStandardHelpOptions = true)
    static final class Create implements Callable<Integer> {
        @Mixin
        ConfigOptions options;

        @Parameters(paramLabel = "NAME", description = "Project name: [A-Za-z0-9][A-Za-z0-9._-]*")
        String name;

        @Option(
                names = "--storage",
                paramLabel = "PROFILE",
                description = "The storage profile its states live on (default: storage.default).")
        String storage;

        @Override
        public Integer call() {
            try (StatefortNode node = StatefortNode.open(options.load())) {
                node.bootstrap();
                var project = node.project().projects().create(Cli.principal(), name, storage);
                System.out.println("created project " + name + " on storage profile " + project.storage());
                return 0;
            }
        }
    }

    @Command(name = "list", description = "List projects.", mixinStandardHelpOptions = true)
    static final class ListProjects implements Callable<Integer> {
        @Mixin
        ConfigOptions options;

        @Override
        public Integer call() {
            try (StatefortNode node = StatefortNode.open(options.load())) {
                node.project()
                        .projects()
                        .list()
                        .forEach(p -> System.out.println(p.name() + "\t" + p.createdAt() + "\t" + p.storage()));
                return 0;
            }
        }
    }
}
