package dev.statefort.server.cli;

import dev.statefort.core.model.ProtectionRule;
import dev.statefort.server.wiring.StatefortNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code statefort protect ...}: a project's protection rules, which let only the identities they
 * allow change the states they cover. The same use case, rules and audit events as the REST API
 * and the UI.
 */
@Command(
        name = "protect",
        description = "Manage protection rules: which identities may change (write, apply, delete) which states.",
        mixinStandardHelpOptions = true,
        subcommands = {ProtectCommand.Create.class, ProtectCommand.ListRules.class, ProtectCommand.Delete.class})
final class ProtectCommand {

    @Command(
            name = "create",
            description = "Protect the states a glob covers: only the trust policies and tokens named may change them.",
            mixinStandardHelpOptions = true)
    static final class Create implements Callable<Integer> {
        @Mixin
        ConfigOptions options;

        @Option(names = "--project", required = true, paramLabel = "P")
        String project;

        @Option(names = "--states", required = true, paramLabel = "GLOB", description = "prod-*, network, ...")
        String states;

        @Option(names = "--allow", paramLabel = "POLICY", description = "A trust policy's name. Repeatable.")
        List<String> allow = new ArrayList<>();

        @Option(names = "--allow-token", paramLabel = "TOKEN-ID", description = "An API token's ID. Repeatable.")
        List<String> allowTokens = new ArrayList<>();

        @Override
        public Integer call() {
            try (StatefortNode node = StatefortNode.open(options.load())) {
                ProtectionRule rule =
                        node.state().protection().create(Cli.principal(), project, states, allow, allowTokens);
                System.out.println(
                        "protection rule " + rule.number() + " created: " + rule.states() + " " + rule.allowedText());
                return 0;
            }
        }
    }

    @Command(name = "list", description = "List a project's protection rules.", mixinStandardHelpOptions = true)
    static final class ListRules implements Callable<Integer> {
        @Mixin
        ConfigOptions options;

        @Option(names = "--project", required = true, paramLabel = "P")
        String project;

        @Override
        public Integer call() {
            try (StatefortNode node = StatefortNode.open(options.load())) {
                System.out.printf("%-5s %-24s %s%n", "RULE", "STATES", "ALLOWED");
                for (ProtectionRule r : node.state().protection().list(Cli.principal(), project)) {
                    System.out.printf("%-5d %-24s %s%n", r.number(), r.states(), r.allowedText());
                }
                return 0;
            }
        }
    }

    @Command(
            name = "delete",
            description = "Delete a protection rule (the break-glass; audited).",
            mixinStandardHelpOptions = true)
    static final class Delete implements Callable<Integer> {
        @Mixin
        ConfigOptions options;

        @Option(names = "--project", required = true, paramLabel = "P")
        String project;

        @Option(names = "--rule", required = true, paramLabel = "N", description = "The rule's number or ID.")
        String rule;

        @Override
        public Integer call() {
            try (StatefortNode node = StatefortNode.open(options.load())) {
                ProtectionRule r = node.state().protection().delete(Cli.principal(), project, rule);
                System.out.println("protection rule " + r.number() + " deleted");
                return 0;
            }
        }
    }
}
