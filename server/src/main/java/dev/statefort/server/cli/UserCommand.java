package dev.statefort.server.cli;

import dev.statefort.core.auth.UserService;
import dev.statefort.core.model.DeletedUser;
import dev.statefort.core.model.MembershipRecord;
import dev.statefort.core.model.UserRecord;
import dev.statefort.server.wiring.StatefortNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code statefort user ...}: local users (web UI logins). */
@Command(
        name = "user",
        description = "Manage users (web UI logins).",
        mixinStandardHelpOptions = true,
        subcommands = {
            UserCommand.Create.class,
            UserCommand.SetPassword.class,
            UserCommand.ListUsers.class,
            UserCommand.Delete.class
        })
final class UserCommand {

    @Command(
            name = "create",
            description = "Create a user; without --password-stdin a password is generated and printed once.",
            mixinStandardHelpOptions = true)
    static final class Create implements Callable<Integer> {
        @Mixin
        ConfigOptions options;

        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = "--global-admin", description = "Admin of every project (may create projects and users).")
        boolean globalAdmin;

        @Option(names = "--password-stdin", description = "Read the password from the first line of standard input.")
        boolean passwordStdin;

        @Override
        public Integer call() {
            String password = passwordStdin ? readPassword() : null;
            try (StatefortNode node = StatefortNode.open(options.load())) {
                node.bootstrap();
                UserService.NewUser user =
                        node.access().userAdmin().create(Cli.principal(), name, password, globalAdmin);
                System.out.println("created user " + name + (globalAdmin ? " (global admin)" : ""));
                if (password == null) {
                    System.out.println("password (shown only now; to be changed at first login):");
                    System.out.println(user.password());
                }
                return 0;
            }
        }
    }

    @Command(
            name = "set-password",
            description = "Set a user's password; without --password-stdin one is generated, printed once, and must "
                    + "be changed at the next login. Ends the user's sessions.",
            mixinStandardHelpOptions = true)
    static final class SetPassword implements Callable<Integer> {
        @Mixin
        ConfigOptions options;

        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = "--password-stdin", description = "Read the password from the first line of standard input.")
        boolean passwordStdin;

        @Override
        public Integer call() {
            String password = passwordStdin ? readPassword() : UserService.generatePassword();
            try (StatefortNode node = StatefortNode.open(options.load())) {
                node.access().userAdmin().resetPassword(Cli.principal(), name, password, !passwordStdin);
                System.out.println("password of " + name + " set; their sessions ended");
                if (!passwordStdin) {
                    System.out.println("new password (shown only now; to be changed at the next login):");
                    System.out.println(password);
                }
                return 0;
            }
        }
    }

    @Command(name = "list", description = "List users and their project roles.", mixinStandardHelpOptions = true)
    static final class ListUsers implements Callable<Integer> {
        @Mixin
        ConfigOptions options;

        @Override
        public Integer call() {
            try (StatefortNode node = StatefortNode.open(options.load())) {
                System.out.printf("%-24s %-13s %-24s %s%n", "NAME", "GLOBAL ADMIN", "CREATED", "ROLES");
                for (UserRecord u : node.access().users().list()) {
                    String roles = node.access().users().memberships(u.name()).stream()
                            .map(MembershipRecord::project)
                            .collect(Collectors.joining(","));
                    String described = node.access().users().memberships(u.name()).stream()
                            .map(m -> m.project() + ":" + m.role().wireName())
                            .collect(Collectors.joining(" "));
                    System.out.printf(
                            "%-24s %-13s %-24s %s%n",
                            u.name(), u.globalAdmin() ? "yes" : "no", u.createdAt(), roles.isEmpty() ? "-" : described);
                }
                return 0;
            }
        }
    }

    @Command(
            name = "delete",
            description = "Delete a user with their roles and sessions; their tokens stop working.",
            mixinStandardHelpOptions = true)
    static final class Delete implements Callable<Integer> {
        @Mixin
        ConfigOptions options;

        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            try (StatefortNode node = StatefortNode.open(options.load())) {
                DeletedUser deleted = node.access().userAdmin().delete(Cli.principal(), name);
                System.out.println("deleted user " + name + " (" + deleted.tokensRevoked() + " tokens revoked, "
                        + deleted.sessionsEnded() + " sessions ended)");
                return 0;
            }
        }
    }

    private static String readPassword() {
        try {
            String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            return line == null ? "" : line;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the password from standard input", e);
        }
    }
}
