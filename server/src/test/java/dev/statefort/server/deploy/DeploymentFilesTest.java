package dev.statefort.server.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.statefort.core.crypto.MasterKey;
import dev.statefort.server.cli.StatefortCli;
import dev.statefort.server.config.ConfigLoader;
import dev.statefort.server.config.ServerConfig;
import dev.statefort.store.s3.S3Settings;
import dev.statefort.store.s3.S3StorageType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * Issue 14 point 7: no Docker engine runs here, so the deployment files are checked against the
 * code instead: every node's environment goes through the server's own configuration loader (an
 * unknown or misspelt setting, a bad value or a storage key of the wrong type fails), and ports,
 * probe paths, the health command and the services the settings name must match.
 */
class DeploymentFilesTest {
    private static final Path DEPLOY =
            Path.of(System.getProperty("user.dir")).getParent().resolve("deploy");
    private static final Pattern STATEFORT_VARIABLE = Pattern.compile("STATEFORT_[A-Z0-9_]+");
    private static final String MASTER_KEY =
            Base64.getEncoder().encodeToString(MasterKey.generate().toJson().getBytes(StandardCharsets.UTF_8));

    @Test
    void everyVariableTheFilesNameIsASettingOfTheServer() throws IOException {
        for (String file : List.of("Dockerfile", "compose.yaml", "kubernetes/statefort.yaml")) {
            Matcher m = STATEFORT_VARIABLE.matcher(Files.readString(DEPLOY.resolve(file)));
            while (m.find()) {
                String name = m.group();
                boolean known = ConfigLoader.KEYS.stream()
                                .anyMatch(key -> ConfigLoader.envName(key).equals(name))
                        || name.equals(ConfigLoader.MASTER_KEY_ENV)
                        || name.equals("STATEFORT_CONFIG")
                        || name.startsWith("STATEFORT_STORAGE_"); // checked by loading them below
                assertThat(known).as("%s in deploy/%s", name, file).isTrue();
            }
        }
    }

    @Test
    void theKubernetesDeploymentLoadsAndItsProbesAndPortsMatchTheServer() throws IOException {
        List<Map<String, Object>> documents = new ArrayList<>();
        for (Object document : new Yaml().loadAll(Files.readString(DEPLOY.resolve("kubernetes/statefort.yaml")))) {
            documents.add(map(document));
        }
        Map<String, Object> deployment = kind(documents, "Deployment");
        Map<String, Object> spec = map(deployment.get("spec"));
        assertThat((Integer) spec.get("replicas")).isGreaterThanOrEqualTo(2);
        Map<String, Object> pod = map(map(spec.get("template")).get("spec"));
        assertThat(map(pod.get("securityContext"))).containsEntry("runAsNonRoot", true);
        Map<String, Object> container = map(list(pod.get("containers")).getFirst());
        assertThat(map(container.get("securityContext"))).containsEntry("readOnlyRootFilesystem", true);

        Map<String, String> env = new HashMap<>();
        for (Object entry : list(container.get("env"))) {
            Map<String, Object> variable = map(entry);
            String name = (String) variable.get("name");
            if (variable.containsKey("valueFrom")) {
                assertThat(map(variable.get("valueFrom"))).containsKey("secretKeyRef");
                env.put(name, name.equals(ConfigLoader.MASTER_KEY_ENV) ? MASTER_KEY : "from-a-secret");
            } else {
                env.put(name, String.valueOf(variable.get("value")));
            }
        }
        assertThat(env).containsKey(ConfigLoader.MASTER_KEY_ENV);
        ServerConfig config = ConfigLoader.load(Map.of(), env, null);
        assertThat(config.databaseUrl()).startsWith("jdbc:postgresql:");
        assertThat(config.storage()
                        .find(config.storage().defaultProfile())
                        .orElseThrow()
                        .type())
                .isEqualTo(S3StorageType.TYPE);
        assertThat(config.shutdown().drain()).isPositive();

        Map<String, Object> port = map(list(container.get("ports")).getFirst());
        assertThat(port.get("containerPort")).isEqualTo(config.port());
        String portName = (String) port.get("name");
        assertThat(probe(container, "readinessProbe"))
                .containsEntry("path", "/readyz")
                .containsEntry("port", portName);
        assertThat(probe(container, "livenessProbe"))
                .containsEntry("path", "/healthz")
                .containsEntry("port", portName);
        int terminationGrace = (Integer) pod.get("terminationGracePeriodSeconds");
        assertThat((long) terminationGrace)
                .as("Kubernetes waits for the drain and the in-flight requests before SIGKILL")
                .isGreaterThan(config.shutdown()
                        .drain()
                        .plus(config.shutdown().timeout())
                        .toSeconds());

        assertThat(map(list(map(kind(documents, "Service").get("spec")).get("ports"))
                        .getFirst()))
                .containsEntry("targetPort", portName);
        assertThat(map(kind(documents, "PodDisruptionBudget").get("spec"))).containsKey("minAvailable");
    }

    @Test
    void theComposeNodesLoadAndNameTheServicesTheyUse() throws IOException {
        String text = Files.readString(DEPLOY.resolve("compose.yaml"))
                .replaceAll("\\$\\{STATEFORT_MASTER_KEY[^}]*}", MASTER_KEY);
        Map<String, Object> services = map(map(new Yaml().load(text)).get("services"));
        Map<String, String> postgres = strings(map(services.get("postgres")).get("environment"));
        Map<String, String> minio = strings(map(services.get("minio")).get("environment"));
        String haproxy = Files.readString(DEPLOY.resolve("haproxy.cfg"));
        int nodes = 0;
        for (Map.Entry<String, Object> service : services.entrySet()) {
            Map<String, Object> definition = map(service.getValue());
            if (!(definition.get("build") instanceof Map<?, ?> build)
                    || !"deploy/Dockerfile".equals(build.get("dockerfile"))) {
                continue;
            }
            nodes++;
            assertThat(definition).containsEntry("read_only", true);
            Map<String, String> env = new HashMap<>(strings(definition.get("environment")));
            env.putIfAbsent("STATEFORT_PORT", dockerEnv("STATEFORT_PORT"));
            ServerConfig config = ConfigLoader.load(Map.of(), env, null);
            assertThat(config.databaseUrl()).contains("//postgres:5432/" + postgres.get("POSTGRES_DB"));
            assertThat(config.databaseUser()).isEqualTo(postgres.get("POSTGRES_USER"));
            assertThat(config.databasePassword()).isEqualTo(postgres.get("POSTGRES_PASSWORD"));
            S3Settings s3 = config.storage()
                    .find(config.storage().defaultProfile())
                    .orElseThrow()
                    .settingsOf(S3StorageType.TYPE)
                    .orElseThrow();
            assertThat(env).containsEntry("STATEFORT_STORAGE_MINIO_ENDPOINT", "http://minio:9000");
            assertThat(env.get("STATEFORT_STORAGE_MINIO_ACCESS_KEY_ID")).isEqualTo(minio.get("MINIO_ROOT_USER"));
            assertThat(env.get("STATEFORT_STORAGE_MINIO_SECRET_ACCESS_KEY"))
                    .isEqualTo(minio.get("MINIO_ROOT_PASSWORD"));
            assertThat(s3).isNotNull();
            assertThat(haproxy).contains("server " + service.getKey() + " " + service.getKey() + ":" + config.port());
        }
        assertThat(nodes).isEqualTo(2);
        assertThat(haproxy).contains("option httpchk GET /readyz");
    }

    @Test
    void theImageRunsAsNobodyAndItsHealthCheckAsksTheRightPortWithACommandTheJarHas() throws IOException {
        String dockerfile = Files.readString(DEPLOY.resolve("Dockerfile"));
        String port = dockerEnv("STATEFORT_PORT");
        assertThat(dockerfile).contains("EXPOSE " + port);
        assertThat(dockerfile).containsPattern("(?m)^USER 10001");
        assertThat(dockerfile).contains("COPY server/target/statefort.jar");
        Matcher health = Pattern.compile("\"health\", \"--url\", \"(http://127\\.0\\.0\\.1:(\\d+)/readyz)\"")
                .matcher(dockerfile);
        assertThat(health.find())
                .as("HEALTHCHECK runs statefort health --url ...")
                .isTrue();
        assertThat(health.group(2)).isEqualTo(port);
        assertThat(new picocli.CommandLine(new StatefortCli()).getSubcommands()).containsKey("health");
        assertThat(StatefortCli.run(new String[] {"health", "--url", "http://127.0.0.1:1/readyz"}))
                .as("nothing listens there: unhealthy")
                .isEqualTo(1);
    }

    /** A value of the Dockerfile's {@code ENV}. */
    private static String dockerEnv(String name) throws IOException {
        Matcher m = Pattern.compile(name + "=(\\S+)").matcher(Files.readString(DEPLOY.resolve("Dockerfile")));
        assertThat(m.find()).as("%s in the Dockerfile", name).isTrue();
        return m.group(1);
    }

    private static Map<String, Object> probe(Map<String, Object> container, String name) {
        return map(map(container.get(name)).get("httpGet"));
    }

    private static Map<String, Object> kind(List<Map<String, Object>> documents, String kind) {
        return documents.stream()
                .filter(d -> kind.equals(d.get("kind")))
                .findFirst()
                .orElseThrow();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object value) {
        return (List<Object>) value;
    }

    private static Map<String, String> strings(Object value) {
        Map<String, String> out = new HashMap<>();
        map(value).forEach((k, v) -> out.put(k, String.valueOf(v)));
        return out;
    }
}
