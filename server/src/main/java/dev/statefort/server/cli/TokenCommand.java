package dev.statefort.server.cli;

import dev.statefort.core.NotFoundException;
import dev.statefort.core.auth.IssuedToken;
import dev.statefort.core.auth.Permission;
import dev.statefort.core.auth.TokenRecord;
import dev.statefort.server.wiring.StatefortNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code statefort token ...}. */
@Command(
        name = "token",
        description = "Manage API tokens.",
        mixinStandardHelpOptions = true,
        subcommands = {TokenCommand.Create.class, TokenCommand.ListTokens.class, TokenCommand.Revoke.class})
final class TokenCommand {

    static final class Scope {
        @Option(names = "--project", paramLabel = "P", description = "The one project the token is valid for.")
        String project;

        @Option(names = "--all-projects", description = "Valid for every project (with admin: a global admin).")
        boolean allProjects;
    }

    @Command(
            name = "create",
            description = "Create a token and print it once (it is stored hashed and cannot be shown again).",
            mixinStandardHelpOptions = true)
    static final class Create implements Callable<Integer> {
        @Mixin
        ConfigOptions options;

        @ArgGroup(exclusive = true, multiplicity = "1")
        Scope scope;

        @Option(
                names = "--permission",
                required = true,
                paramLabel = "read|write|admin",
                description = "read: read states; write: read, write and lock; admin: everything.")
        String permission;

        @Option(names = "--name", paramLabel = "N", description = "A label to recognise the token by.")
        String name;

        @Override
        public Integer call() {
            Permission perm = Permission.parse(permission);
            try (StatefortNode node = StatefortNode.open(options.load())) {
                node.bootstrap();
                IssuedToken token = node.tokens().create(scope.allProjects ? null : scope.project, perm, name);
                System.out.println("created token " + token.record().id() + " (" + perm.wireName() + " on "
                        + (scope.allProjects ? "all projects" : "project " + scope.project)
                        + "); it is shown only now:");
                System.out.println(token.token());
                return 0;
            }
        }
    }

    @Command(name = "list", description = "List tokens (never their secrets).", mixinStandardHelpOptions = true)
    static final class ListTokens implements Callable<Integer> {
        @Mixin
        ConfigOptions options;

        @Override
        public Integer call() {
            try (StatefortNode node = StatefortNode.open(options.load())) {
                System.out.printf(
                        "%-14s %-10s %-20s %-8s %-24s %s%n", "ID", "STATUS", "PROJECT", "PERM", "CREATED", "NAME");
                for (TokenRecord t : node.tokens().list()) {
                    System.out.printf(
                            "%-14s %-10s %-20s %-8s %-24s %s%n",
                            t.id(),
                            t.isRevoked() ? "revoked" : "active",
                            t.project() == null ? "*" : t.project(),
                            t.permission().wireName(),
                            t.createdAt(),
                            t.name() == null ? "" : t.name());
                }
                return 0;
            }
        }
    }

    @Command(
            name = "revoke",
            description = "Revoke a token; it stops working at once.",
            mixinStandardHelpOptions = true)
    static final class Revoke implements Callable<Integer> {
        @Mixin
        ConfigOptions options;

        @Parameters(paramLabel = "ID", description = "The token ID (the part after sft_).")
        String id;

        @Override
        public Integer call() {
            try (StatefortNode node = StatefortNode.open(options.load())) {
                if (!node.tokens().revoke(id)) {
                    throw new NotFoundException("no active token with ID " + id);
                }
                System.out.println("revoked token " + id);
                return 0;
            }
        }
    }
}
