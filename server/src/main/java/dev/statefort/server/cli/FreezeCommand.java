package dev.statefort.server.cli;

import dev.statefort.core.model.Freeze;
import dev.statefort.server.wiring.StatefortNode;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code statefort freeze ...}: change freezes of a state or a whole project. The same use case,
 * rules and audit events as the REST API and the UI.
 */
@Command(
        name = "freeze",
        description =
                "Change freezes of a state or a project: no new apply, no write, a reason every refused run shows.",
        mixinStandardHelpOptions = true,
        subcommands = {FreezeCommand.Set.class, FreezeCommand.Lift.class, FreezeCommand.ListFreezes.class})
final class FreezeCommand {

    @Command(
            name = "set",
            description = "Freeze a state (--state) or every state of a project.",
            mixinStandardHelpOptions = true)
    static final class Set implements Callable<Integer> {
        @Mixin
        ConfigOptions options;

        @Option(names = "--project", required = true, paramLabel = "P")
        String project;

        @Option(names = "--state", paramLabel = "S", description = "One state; without it, every state of the project.")
        String state;

        @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "What refused runs print.")
        String reason;

        @Option(names = "--until", paramLabel = "TIME", description = "When it ends by itself (2026-12-24T00:00:00Z).")
        Instant until;

        @Override
        public Integer call() {
            try (StatefortNode node = StatefortNode.open(options.load())) {
                Freeze f = node.state().freezes().freeze(Cli.principal(), project, state, reason, until);
                System.out.println((state == null ? "project " + project : "state " + project + "/" + state) + " frozen"
                        + (f.until() == null ? "" : " until " + f.until()) + ": " + f.reason());
                return 0;
            }
        }
    }

    @Command(name = "lift", description = "Lift the freeze of a state or a project.", mixinStandardHelpOptions = true)
    static final class Lift implements Callable<Integer> {
        @Mixin
        ConfigOptions options;

        @Option(names = "--project", required = true, paramLabel = "P")
        String project;

        @Option(names = "--state", paramLabel = "S", description = "One state; without it, the project's own freeze.")
        String state;

        @Override
        public Integer call() {
            try (StatefortNode node = StatefortNode.open(options.load())) {
                node.state().freezes().lift(Cli.principal(), project, state);
                System.out.println("freeze lifted");
                return 0;
            }
        }
    }

    @Command(name = "list", description = "List the freezes in force in a project.", mixinStandardHelpOptions = true)
    static final class ListFreezes implements Callable<Integer> {
        @Mixin
        ConfigOptions options;

        @Option(names = "--project", required = true, paramLabel = "P")
        String project;

        @Override
        public Integer call() {
            try (StatefortNode node = StatefortNode.open(options.load())) {
                System.out.printf("%-24s %-22s %-22s %s%n", "STATE", "BY", "UNTIL", "REASON");
                for (Freeze f : node.state().freezes().list(Cli.principal(), project)) {
                    System.out.printf(
                            "%-24s %-22s %-22s %s%n",
                            f.state() == null ? "(whole project)" : f.state(),
                            f.frozenBy(),
                            f.until() == null ? "-" : f.until(),
                            f.reason());
                }
                return 0;
            }
        }
    }
}
