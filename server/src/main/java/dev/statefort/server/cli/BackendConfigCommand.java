package dev.statefort.server.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code statefort backend-config}: writes the {@code backend "http"} block of one state into a configuration. */
@Command(
        name = "backend-config",
        description = "Write the backend \"http\" block of one state into a Terraform configuration (no secret:"
                + " the password comes from TF_HTTP_PASSWORD). Stops when the configuration already declares a"
                + " backend, unless --override.",
        mixinStandardHelpOptions = true,
        sortOptions = false)
final class BackendConfigCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions options;

    @Mixin
    BackendFileOptions target;

    @Override
    public Integer call() throws IOException {
        String base = target.serverUrl(options);
        Path written = target.write(target.address(base), target.override).path();
        System.out.println("wrote " + written + " (backend \"http\" for " + target.project + "/" + target.state + " at "
                + base + "); give the password in TF_HTTP_PASSWORD");
        return 0;
    }
}
