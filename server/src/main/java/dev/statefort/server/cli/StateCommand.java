package dev.statefort.server.cli;

import dev.statefort.core.model.StateKey;
import dev.statefort.server.wiring.StatefortNode;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code statefort state ...}: administrative actions on one state. */
@Command(
        name = "state",
        description = "Administrative actions on one state.",
        mixinStandardHelpOptions = true,
        subcommands = {StateCommand.PermitDestructive.class, SurgeryCommand.class})
final class StateCommand {

    @Command(
            name = "permit-destructive",
            description = "Allow destructive writes (e.g. terraform destroy) on one state for a while, "
                    + "under the destructive-write guard's enforce mode.",
            mixinStandardHelpOptions = true)
    static final class PermitDestructive implements Callable<Integer> {
        @Mixin
        ConfigOptions options;

        @Option(names = "--project", required = true, paramLabel = "P")
        String project;

        @Option(names = "--state", required = true, paramLabel = "S")
        String state;

        @Option(names = "--minutes", defaultValue = "30", paramLabel = "N", description = "How long (default 30).")
        int minutes;

        @Override
        public Integer call() {
            StateKey key = new StateKey(project, state);
            try (StatefortNode node = StatefortNode.open(options.load())) {
                Instant until = node.state().policies().permitDestructive(Cli.principal(), key, minutes);
                System.out.println("destructive writes to " + key + " are allowed until " + until);
                return 0;
            }
        }
    }
}
