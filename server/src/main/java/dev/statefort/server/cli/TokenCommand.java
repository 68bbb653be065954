package dev.statefort.server.cli;

import dev.statefort.core.InvalidInputException;
import dev.statefort.core.auth.IssuedToken;
import dev.statefort.core.auth.TokenRequest;
import dev.statefort.core.model.Permission;
import dev.statefort.core.model.TokenRecord;
import dev.statefort.server.wiring.StatefortNode;
import java.time.Instant;
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
                paramLabel = "outputs|read|write|admin",
                description =
                        "outputs: read outputs only; read: read states; write: read, write and lock; admin: everything.")
        String permission;

        @Option(names = "--name", paramLabel = "N", description = "A label to recognise the token by.")
        String name;

        @Option(names = "--state", paramLabel = "S", description = "Valid for this one state of --project only.")
        String state;

        @Option(
                names = "--user",
                paramLabel = "U",
                description = "Owned by this user: never grants more than the user has (default: a project token).")
        String user;

        @Option(names = "--expires-in-days", paramLabel = "N", description = "Stops working after N days.")
        Integer expiresInDays;

        @Override
        public Integer call() {
            Permission perm = Permission.parse(permission);
            if (state != null && scope.allProjects) {
                throw new InvalidInputException("--state needs --project");
            }
            if (expiresInDays != null && expiresInDays < 1) {
                throw new InvalidInputException("--expires-in-days must be at least 1");
            }
            try (StatefortNode node = StatefortNode.open(options.load())) {
                node.bootstrap();
                String project = scope.allProjects ? null : scope.project;
                Instant expiresAt = node.access().tokenAdmin().expiry(expiresInDays);
                IssuedToken token = node.access()
                        .tokenAdmin()
                        .create(Cli.principal(), new TokenRequest(name, project, state, perm, user, expiresAt));
                System.out.println("created token " + token.record().id() + " (" + perm.wireName() + " on "
                        + (scope.allProjects
                                ? "all projects"
                                : state == null ? "project " + project : "state " + project + "/" + state)
                        + (user == null ? "" : ", owned by user " + user)
                        + (expiresAt == null ? "" : ", expires " + expiresAt)
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
                Instant now = node.clock().instant();
                System.out.printf(
                        "%-14s %-8s %-28s %-8s %-14s %-24s %-24s %s%n",
                        "ID", "STATUS", "SCOPE", "PERM", "OWNER", "CREATED", "LAST USED", "NAME");
                for (TokenRecord t : node.access().tokens().list()) {
                    System.out.printf(
                            "%-14s %-8s %-28s %-8s %-14s %-24s %-24s %s%n",
                            t.id(),
                            t.isRevoked() ? "revoked" : t.isExpired(now) ? "expired" : "active",
                            t.project() == null ? "*" : t.state() == null ? t.project() : t.project() + "/" + t.state(),
                            t.permission().wireName(),
                            t.ownerUser() == null ? "-" : t.ownerUser(),
                            t.createdAt(),
                            t.lastUsedAt() == null ? "never" : t.lastUsedAt().toString(),
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
                node.access().tokenAdmin().revoke(Cli.principal(), id);
                System.out.println("revoked token " + id);
                return 0;
            }
        }
    }
}
