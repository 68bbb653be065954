package dev.statefort.server.cli;

import dev.statefort.core.transfer.ImportReport;
import dev.statefort.core.transfer.StateImport;
import dev.statefort.core.transfer.StateSource;
import dev.statefort.server.config.ServerConfig;
import dev.statefort.server.wiring.StatefortNode;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code statefort import}: brings existing states into a project (docs/operations.md, "Importing states"). */
@Command(
        name = "import",
        description = "Import existing states into a project: a version already present (same lineage, serial"
                + " and SHA-256) is skipped, a failure on one state never stops the others.",
        mixinStandardHelpOptions = true,
        sortOptions = false)
final class ImportCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions options;

    @Option(names = "--project", required = true, paramLabel = "P")
    String project;

    @Option(names = "--dry-run", description = "Print what would be imported; write nothing.")
    boolean dryRun;

    @Mixin
    ImportSourceOptions sources;

    @Override
    public Integer call() throws IOException {
        ServerConfig config = options.load();
        try (StatefortNode node = StatefortNode.open(config);
                StateSource source =
                        sources.open(config::storage, node.state().states().maxStateBytes())) {
            System.out.println(
                    (dryRun ? "dry run: " : "") + "importing " + source.describe() + " into project " + project);
            ImportReport report = new StateImport(
                            node.state().states(),
                            node.project().audit(),
                            node.state().workspaces())
                    .run(Cli.principal(), project, source, dryRun, System.out::println);
            System.out.println(report.summary());
            return report.failed() == 0 ? 0 : 1;
        }
    }
}
