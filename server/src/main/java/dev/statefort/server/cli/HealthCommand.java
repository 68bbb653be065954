package dev.statefort.server.cli;

import dev.statefort.server.config.ConfigLoader;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code statefort health}: a container's health check without curl in the image. */
@Command(
        name = "health",
        description = "Ask a running node whether it is ready (GET /readyz): exit 0 on 200, 1 otherwise.",
        mixinStandardHelpOptions = true)
final class HealthCommand implements Callable<Integer> {
    @Option(
            names = "--url",
            paramLabel = "URL",
            description = "What to ask (default: http://127.0.0.1:<STATEFORT_PORT or 8080>/readyz).")
    String url;

    @Override
    public Integer call() {
        String target = url != null ? url : defaultUrl();
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
        try {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(URI.create(target))
                            .timeout(Duration.ofSeconds(5))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            System.out.println(response.statusCode() + " " + response.body().strip());
            return response.statusCode() == 200 ? 0 : 1;
        } catch (IOException e) {
            System.out.println("no answer from " + target + ": " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        } catch (IllegalArgumentException e) {
            System.out.println("not a URL: " + target);
            return 2;
        }
    }

    private static String defaultUrl() {
        String port = System.getenv(ConfigLoader.envName("port"));
        return "http://127.0.0.1:" + (port == null || port.isBlank() ? ConfigLoader.DEFAULT_PORT : port.trim())
                + "/readyz";
    }
}
