package dev.statefort.server.cli;

import dev.statefort.core.model.StateKey;
import dev.statefort.core.surgery.SurgeryOperation;
import dev.statefort.core.surgery.SurgeryOutcome;
import dev.statefort.server.wiring.StatefortNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code statefort state surgery}: rm and mv of resources within a state or into another state of the
 * project, as one step; the same use case, rules and audit events as the REST API and the UI.
 */
@Command(
        name = "surgery",
        description = "Remove resources from a state, or move them within it or into another state of the project,"
                + " as one step (under each state's lock, judged by the destructive-write guard).",
        mixinStandardHelpOptions = true)
final class SurgeryCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions options;

    @Option(names = "--project", required = true, paramLabel = "P")
    String project;

    @Option(names = "--state", required = true, paramLabel = "S")
    String state;

    @Option(names = "--rm", paramLabel = "ADDRESS", description = "Remove a resource or instance (repeat it).")
    List<String> removals = new ArrayList<>();

    @Option(
            names = "--mv",
            paramLabel = "FROM=TO[@STATE]",
            description = "Move a resource or instance to a new address (TO may be left out: the same address),"
                    + " in another state of the project with @STATE (repeat it).")
    List<String> moves = new ArrayList<>();

    @Option(names = "--dry-run", description = "Show the change; write nothing.")
    boolean dryRun;

    @Option(names = "--lock-id", paramLabel = "ID", description = "A lock you hold on the state, to work under.")
    String lockId;

    @Override
    public Integer call() throws Exception {
        List<SurgeryOperation> operations = new ArrayList<>();
        removals.forEach(a -> operations.add(SurgeryOperation.of("rm", a, null, null)));
        for (String mv : moves) {
            int at = mv.lastIndexOf('@');
            String toState = at > mv.lastIndexOf(']') && at >= 0 ? mv.substring(at + 1) : null;
            String addresses = toState == null ? mv : mv.substring(0, at);
            int eq = addresses.indexOf('=');
            operations.add(SurgeryOperation.of(
                    "mv",
                    eq < 0 ? addresses : addresses.substring(0, eq),
                    eq < 0 ? null : addresses.substring(eq + 1),
                    toState));
        }
        try (StatefortNode node = StatefortNode.open(options.load())) {
            SurgeryOutcome outcome = node.state()
                    .surgery()
                    .perform(Cli.principal(), new StateKey(project, state), operations, dryRun, lockId);
            return switch (outcome) {
                case SurgeryOutcome.Done done -> {
                    for (SurgeryOutcome.StateChange c : done.states()) {
                        System.out.println(c.key() + ": version " + c.fromVersion() + " -> "
                                + (c.toVersion() == null ? "(dry run)" : c.toVersion()) + ", serial " + c.serial());
                        c.removed().forEach(a -> System.out.println("  - " + a));
                        c.added().forEach(a -> System.out.println("  + " + a));
                        if (!c.findings().isEmpty()) {
                            System.out.println("  guard: " + String.join("; ", c.findings()));
                        }
                    }
                    yield 0;
                }
                case SurgeryOutcome.Locked l -> {
                    System.err.println("refused: " + l.state() + " is locked by "
                            + l.holder().id() + "; nothing was written");
                    yield 4;
                }
                case SurgeryOutcome.Refused r -> {
                    System.err.println("refused by the destructive-write guard on " + r.state() + ": "
                            + String.join("; ", r.findings()) + ". Allow it with statefort state permit-destructive"
                            + " --project " + r.state().project() + " --state "
                            + r.state().name()
                            + ", then run the surgery again; nothing was written");
                    yield 4;
                }
            };
        }
    }
}
