package dev.statefort.server.cli;

import dev.statefort.core.fleet.FleetFilter;
import dev.statefort.core.fleet.FleetView;
import dev.statefort.core.model.ConsumerRecord;
import dev.statefort.core.model.DuplicateObject;
import dev.statefort.core.model.SearchHit;
import dev.statefort.core.model.StateKey;
import dev.statefort.server.http.api.FleetApi;
import dev.statefort.server.http.api.FleetCsv;
import dev.statefort.server.wiring.StatefortNode;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code statefort fleet ...}: every state at once, as the REST API and the UI answer (the same use
 * case): search, the overview as CSV or JSON, objects managed twice, a state's outputs readers.
 */
@Command(
        name = "fleet",
        description = "Every state at once: search, the overview, objects managed twice, outputs readers.",
        mixinStandardHelpOptions = true,
        subcommands = {
            FleetCommand.Search.class,
            FleetCommand.States.class,
            FleetCommand.Duplicates.class,
            FleetCommand.Readers.class
        })
final class FleetCommand {

    /** What every subcommand takes: the configuration. */
    abstract static class OnFleet implements Callable<Integer> {
        @Mixin
        ConfigOptions options;

        @Override
        public Integer call() throws Exception {
            try (StatefortNode node = StatefortNode.open(options.load())) {
                node.fleet().indexer().catchUp(); // states written while no server ran are indexed first
                return run(node.fleet().view());
            }
        }

        abstract Integer run(FleetView fleet) throws Exception;
    }

    @Command(
            name = "search",
            description = "Resource instances whose address, name, ID, ARN or identity starts with TEXT.",
            mixinStandardHelpOptions = true)
    static final class Search extends OnFleet {
        @Parameters(index = "0", arity = "0..1", paramLabel = "TEXT")
        String text;

        @Option(names = "--type", paramLabel = "TYPE", description = "Only this resource type.")
        String type;

        @Option(names = "--project", paramLabel = "P", description = "Only this project.")
        String project;

        @Option(names = "--limit", paramLabel = "N", description = "At most N hits (default 50).")
        Integer limit;

        @Override
        Integer run(FleetView fleet) {
            System.out.printf("%-40s %-50s %-20s %s%n", "STATE", "ADDRESS", "MATCHED", "VALUE");
            for (SearchHit h : fleet.search(Cli.principal(), text, type, project, limit)) {
                System.out.printf(
                        "%-40s %-50s %-20s %s%n", h.key() + "@" + h.version(), h.address(), h.field(), h.value());
            }
            return 0;
        }
    }

    @Command(
            name = "states",
            description = "Every state with its size, resources, writes, lock, Terraform version and guard refusals.",
            mixinStandardHelpOptions = true)
    static final class States extends OnFleet {
        @Option(
                names = "--filter",
                paramLabel = "NAME=VALUE",
                description = "project, locked, min_size, min_resources, written_within_days, not_written_days,"
                        + " terraform_version, min_guard_refusals, sort, order (as the REST API's parameters).")
        Map<String, String> filter = new HashMap<>();

        @Option(names = "--format", paramLabel = "csv|json", description = "Output format (default csv).")
        String format = "csv";

        @Override
        Integer run(FleetView fleet) throws Exception {
            var states = fleet.states(Cli.principal(), FleetFilter.parse(filter));
            if (format.equals("json")) {
                System.out.println(new String(FleetApi.json(states), StandardCharsets.UTF_8));
            } else if (format.equals("csv")) {
                System.out.print(FleetCsv.of(states));
            } else {
                throw new dev.statefort.core.InvalidInputException("--format must be csv or json");
            }
            return 0;
        }
    }

    @Command(
            name = "duplicates",
            description = "Objects managed by more than one state.",
            mixinStandardHelpOptions = true)
    static final class Duplicates extends OnFleet {
        @Option(names = "--project", paramLabel = "P", description = "Only states of this project.")
        String project;

        @Override
        Integer run(FleetView fleet) {
            for (DuplicateObject d : fleet.duplicates(Cli.principal(), project, 1000)) {
                System.out.println(d.type() + " " + d.key());
                d.owners().forEach(o -> System.out.println("    " + o.state() + "  " + o.address()));
            }
            return 0;
        }
    }

    @Command(
            name = "readers",
            description = "Who reads a state's outputs (outputs tokens, aliases, the TFE outputs route).",
            mixinStandardHelpOptions = true)
    static final class Readers extends OnFleet {
        @Option(names = "--project", required = true, paramLabel = "P")
        String project;

        @Option(names = "--state", required = true, paramLabel = "S")
        String state;

        @Override
        Integer run(FleetView fleet) {
            System.out.printf("%-50s %-14s %8s %-26s %s%n", "READER", "THROUGH", "READS", "FIRST", "LAST");
            for (ConsumerRecord c : fleet.consumers(Cli.principal(), new StateKey(project, state))) {
                System.out.printf(
                        "%-50s %-14s %8d %-26s %s%n", c.reader(), c.via(), c.reads(), c.firstSeen(), c.lastSeen());
            }
            return 0;
        }
    }
}
