package dev.statefort.server.cli;

import dev.statefort.core.identity.TrustPolicyForm;
import dev.statefort.core.model.TrustPolicy;
import dev.statefort.server.wiring.StatefortNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code statefort trust ...}: a project's trust policies, which let CI jobs in with their OIDC ID
 * tokens. The same use case, rules and audit events as the REST API and the UI.
 */
@Command(
        name = "trust",
        description = "Manage trust policies: which CI jobs' OIDC tokens (issuer and claims) may act on which states.",
        mixinStandardHelpOptions = true,
        subcommands = {
            TrustCommand.Create.class,
            TrustCommand.ListPolicies.class,
            TrustCommand.Show.class,
            TrustCommand.Delete.class
        })
final class TrustCommand {

    @Command(
            name = "create",
            description =
                    "Trust the tokens of an issuer whose claims match, with a permission on the states a glob covers.",
            mixinStandardHelpOptions = true)
    static final class Create implements Callable<Integer> {
        @Mixin
        ConfigOptions options;

        @Option(names = "--project", required = true, paramLabel = "P")
        String project;

        @Option(names = "--name", required = true, paramLabel = "NAME")
        String name;

        @Option(
                names = "--issuer",
                required = true,
                paramLabel = "ISSUER",
                description = "A configured issuer's name (oidc.<name>.issuer).")
        String issuer;

        @Option(
                names = "--claim",
                required = true,
                paramLabel = "NAME=VALUE",
                description = "A claim the token must have; * stands for any run of characters. Repeatable.")
        Map<String, String> claims = new LinkedHashMap<>();

        @Option(names = "--permission", required = true, paramLabel = "outputs|read|write")
        String permission;

        @Option(names = "--states", defaultValue = "*", paramLabel = "GLOB", description = "Default: ${DEFAULT-VALUE}.")
        String states;

        @Override
        public Integer call() {
            try (StatefortNode node = StatefortNode.open(options.load())) {
                TrustPolicy created = node.access()
                        .trustAdmin()
                        .create(
                                Cli.principal(),
                                project,
                                new TrustPolicyForm(name, issuer, claims, permission, states));
                System.out.println("trust policy " + created.name() + " created: " + created.id());
                return 0;
            }
        }
    }

    @Command(name = "list", description = "List a project's trust policies.", mixinStandardHelpOptions = true)
    static final class ListPolicies implements Callable<Integer> {
        @Mixin
        ConfigOptions options;

        @Option(names = "--project", required = true, paramLabel = "P")
        String project;

        @Override
        public Integer call() {
            try (StatefortNode node = StatefortNode.open(options.load())) {
                System.out.printf(
                        "%-16s %-24s %-10s %-8s %-16s %s%n", "ID", "NAME", "ISSUER", "PERM", "STATES", "CLAIMS");
                for (TrustPolicy p : node.access().trustAdmin().list(Cli.principal(), project)) {
                    System.out.printf(
                            "%-16s %-24s %-10s %-8s %-16s %s%n",
                            p.id(), p.name(), p.issuer(), p.permission().wireName(), p.states(), p.claims());
                }
                return 0;
            }
        }
    }

    @Command(name = "show", description = "Show one trust policy.", mixinStandardHelpOptions = true)
    static final class Show implements Callable<Integer> {
        @Mixin
        ConfigOptions options;

        @Mixin
        PolicyRef ref;

        @Override
        public Integer call() {
            try (StatefortNode node = StatefortNode.open(options.load())) {
                TrustPolicy p = node.access().trustAdmin().find(Cli.principal(), ref.project, ref.id);
                System.out.println("id:         " + p.id());
                System.out.println("name:       " + p.name());
                System.out.println("issuer:     " + p.issuer());
                System.out.println("claims:     " + p.claims());
                System.out.println("permission: " + p.permission().wireName());
                System.out.println("states:     " + p.states());
                System.out.println("created:    " + p.createdAt() + " by " + p.createdBy());
                return 0;
            }
        }
    }

    @Command(name = "delete", description = "Delete a trust policy.", mixinStandardHelpOptions = true)
    static final class Delete implements Callable<Integer> {
        @Mixin
        ConfigOptions options;

        @Mixin
        PolicyRef ref;

        @Override
        public Integer call() {
            try (StatefortNode node = StatefortNode.open(options.load())) {
                TrustPolicy p = node.access().trustAdmin().delete(Cli.principal(), ref.project, ref.id);
                System.out.println("trust policy " + p.name() + " deleted");
                return 0;
            }
        }
    }

    /** {@code --project P --id ID}: which policy. */
    static final class PolicyRef {
        @Option(names = "--project", required = true, paramLabel = "P")
        String project;

        @Option(names = "--id", required = true, paramLabel = "ID")
        String id;
    }
}
