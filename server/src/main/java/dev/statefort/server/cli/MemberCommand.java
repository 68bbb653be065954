package dev.statefort.server.cli;

import dev.statefort.core.model.MembershipRecord;
import dev.statefort.core.model.Role;
import dev.statefort.server.wiring.StatefortNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code statefort member ...}: users' roles in projects. */
@Command(
        name = "member",
        description = "Manage project members and their roles (viewer, writer, admin).",
        mixinStandardHelpOptions = true,
        subcommands = {MemberCommand.Add.class, MemberCommand.Remove.class, MemberCommand.ListMembers.class})
final class MemberCommand {

    @Command(
            name = "add",
            description = "Give a user a role in a project (replaces a former role).",
            mixinStandardHelpOptions = true)
    static final class Add implements Callable<Integer> {
        @Mixin
        ConfigOptions options;

        @Mixin
        Membership member;

        @Option(names = "--role", required = true, paramLabel = "viewer|writer|admin")
        String role;

        @Override
        public Integer call() {
            Role r = Role.parse(role);
            try (StatefortNode node = StatefortNode.open(options.load())) {
                node.access().memberAdmin().put(Cli.principal(), member.project, member.user, r);
                System.out.println(member.user + " is " + r.wireName() + " of project " + member.project);
                return 0;
            }
        }
    }

    @Command(name = "remove", description = "Take a user's role in a project away.", mixinStandardHelpOptions = true)
    static final class Remove implements Callable<Integer> {
        @Mixin
        ConfigOptions options;

        @Mixin
        Membership member;

        @Override
        public Integer call() {
            try (StatefortNode node = StatefortNode.open(options.load())) {
                node.access().memberAdmin().remove(Cli.principal(), member.project, member.user);
                System.out.println(member.user + " is no longer a member of project " + member.project);
                return 0;
            }
        }
    }

    @Command(name = "list", description = "List a project's members.", mixinStandardHelpOptions = true)
    static final class ListMembers implements Callable<Integer> {
        @Mixin
        ConfigOptions options;

        @Option(names = "--project", required = true, paramLabel = "P")
        String project;

        @Override
        public Integer call() {
            try (StatefortNode node = StatefortNode.open(options.load())) {
                System.out.printf("%-24s %-8s %s%n", "USER", "ROLE", "SINCE");
                for (MembershipRecord m : node.access().users().members(project)) {
                    System.out.printf("%-24s %-8s %s%n", m.user(), m.role().wireName(), m.since());
                }
                return 0;
            }
        }
    }

    /** {@code --project P --user U}: whose role in which project. */
    static final class Membership {
        @Option(names = "--project", required = true, paramLabel = "P")
        String project;

        @Option(names = "--user", required = true, paramLabel = "U")
        String user;
    }
}
