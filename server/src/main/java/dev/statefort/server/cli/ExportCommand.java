package dev.statefort.server.cli;

import dev.statefort.core.transfer.StateExport;
import dev.statefort.server.wiring.StatefortNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code statefort export}: a project's states as one tar (docs/operations.md, "Exporting a project"). */
@Command(
        name = "export",
        description = "Write every state of a project, each version with its metadata, decrypted, to a tar file"
                + " that statefort import --from-export reads.",
        mixinStandardHelpOptions = true)
final class ExportCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions options;

    @Option(names = "--project", required = true, paramLabel = "P")
    String project;

    @Option(names = "--output", required = true, paramLabel = "FILE", description = "The tar file to write.")
    Path output;

    @Option(names = "--current-only", description = "Only each state's current version.")
    boolean currentOnly;

    @Override
    public Integer call() throws IOException {
        Path target = output.toAbsolutePath();
        Path partial = target.resolveSibling(target.getFileName() + ".partial");
        try (StatefortNode node = StatefortNode.open(options.load())) {
            StateExport.Summary summary;
            Files.deleteIfExists(partial);
            Files.createFile(
                    partial, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (OutputStream out = Files.newOutputStream(partial)) {
                summary = new StateExport(node.state().states(), node.clock())
                        .write(Cli.principal(), project, currentOnly, out);
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(partial);
                throw e;
            }
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            System.out.println("exported " + summary.states() + " states, " + summary.versions() + " versions ("
                    + summary.bytes() + " bytes) of project " + project + " to " + target);
            System.err.println("warning: " + target + " holds the states in clear, with every secret in them:"
                    + " keep it as you keep the states (it was written with mode 0600)");
            return 0;
        }
    }
}
