package dev.statefort.server.cli;

import dev.statefort.core.StatefortException;
import dev.statefort.server.config.ConfigException;
import java.io.IOException;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the runnable jar: {@code java -jar statefort.jar <command>}. */
@Command(
        name = "statefort",
        description = "Remote state service for Terraform and OpenTofu.",
        mixinStandardHelpOptions = true,
        versionProvider = StatefortCli.Version.class,
        subcommands = {
            ServeCommand.class,
            ProjectCommand.class,
            StorageCommand.class,
            TokenCommand.class,
            UserCommand.class,
            MemberCommand.class,
            TrustCommand.class,
            ProtectCommand.class,
            FreezeCommand.class,
            WebhookCommand.class,
            FleetCommand.class,
            AuditCommand.class,
            KeysCommand.class,
            StateCommand.class,
            DecryptCommand.class,
            HealthCommand.class,
            ImportCommand.class,
            ExportCommand.class,
            BackupCommand.class,
            RestoreCommand.class,
            BackendConfigCommand.class,
            RunCommand.class
        })
public final class StatefortCli {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs one command and returns its exit code (2 for bad configuration or usage). */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new StatefortCli());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof ConfigException) {
                commandLine.getErr().println(e.getMessage());
                return 2;
            }
            if (e instanceof StatefortException || e instanceof UncheckedIOException || e instanceof IOException) {
                commandLine.getErr().println("error: " + e.getMessage());
                return 1;
            }
            throw e;
        });
        return cli.execute(args);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = StatefortCli.class.getPackage().getImplementationVersion();
            return new String[] {"statefort " + (v == null ? "development build" : v)};
        }
    }
}
