package dev.statefort.it.support;

import static org.assertj.core.api.Assertions.assertThat;

import dev.statefort.it.support.StatefortClient.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One Statefort child process for a test class, as a JUnit extension on a static field:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final RealServer node = RealServer.started().needingTerraform(SUITE).setUp(n -> n.createProject("x"));
 * }</pre>
 *
 * <p>Before the class's tests it checks what the class needs (a missing one prints a warning and
 * starts nothing), starts the runnable jar in a temporary directory and runs the set-up steps in
 * order; before each test it skips or fails the test when something needed is missing; after the
 * class it stops the process and deletes the directory.
 *
 * <p>{@link #shared()} instead takes this JVM's {@link SharedNode} (started by the first class that
 * asks, stopped when the JVM ends) and leaves it running after the class; the class still gets a
 * temporary directory of its own ({@link #dir()}).
 */
public final class RealServer implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {
    /** How the process is started: in {@code dir} (the class's temporary directory), logging as {@code logName}. */
    @FunctionalInterface
    public interface Starter {
        StatefortProcess start(Path dir, String logName) throws Exception;
    }

    /** A step run once the server is up, before the first test. */
    @FunctionalInterface
    public interface SetUp {
        void run(RealServer node) throws Exception;
    }

    private final Starter starter;
    private final boolean shared;
    private final List<Requirement> requirements = new ArrayList<>();
    private final List<SetUp> setUps = new ArrayList<>();
    private TerraformRequirement terraform;
    private Path dir;
    private StatefortProcess server;
    private StatefortClient admin;

    private RealServer(Starter starter, boolean shared) {
        this.starter = starter;
        this.shared = shared;
    }

    /** The jar on the embedded default, with these command-line arguments after {@code serve}'s own. */
    public static RealServer started(String... args) {
        return new RealServer((dir, logName) -> StatefortProcess.start(dir.resolve("server"), logName, args), false);
    }

    /**
     * This JVM's shared node on the embedded default ({@link SharedNode#embeddedDefault()}), for a class that keeps
     * to its own states and projects and never stops, kills or reconfigures the node.
     */
    public static RealServer shared() {
        return new RealServer((dir, logName) -> SharedNode.embeddedDefault(), true);
    }

    /** A server started another way (TLS, JVM options): {@code starter} gets the class's directory. */
    public static RealServer startedBy(Starter starter) {
        return new RealServer(starter, false);
    }

    /** The class needs the real {@code terraform} ({@link #terraform()}); {@code suite} names it in the skip message. */
    public RealServer needingTerraform(String suite) {
        this.terraform = new TerraformRequirement(suite);
        return needing(terraform);
    }

    public RealServer needing(Requirement requirement) {
        requirements.add(requirement);
        return this;
    }

    /** Runs {@code step} after the start (and after the steps added before it). */
    public RealServer setUp(SetUp step) {
        setUps.add(step);
        return this;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        dir = Files.createTempDirectory("statefort-it-");
        boolean allMet = true;
        for (Requirement requirement : requirements) {
            allMet &= requirement.isMet(); // every missing one is named, not only the first
        }
        if (!allMet) {
            return;
        }
        server = starter.start(dir, context.getRequiredTestClass().getSimpleName());
        for (SetUp step : setUps) {
            step.run(this);
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        requirements.forEach(Requirement::require);
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        try {
            if (server != null && !shared) {
                server.stop();
            }
        } finally {
            server = null;
            admin = null;
            deleteQuietly(dir);
        }
    }

    /** Whether the server was started (everything the class needs is here). */
    public boolean isStarted() {
        return server != null;
    }

    public StatefortProcess server() {
        return server;
    }

    /**
     * The class's temporary directory (the server's data lives in {@code server/} below it, unless the node is
     * {@link #shared()}).
     */
    public Path dir() {
        return dir;
    }

    /** The terraform executable ({@link #needingTerraform}). */
    public Path terraform() {
        return terraform == null ? null : terraform.path();
    }

    public String baseUrl() {
        return server.baseUrl();
    }

    /** A client with the first start's global admin token. */
    public StatefortClient admin() {
        if (admin == null) {
            admin = server.adminClient();
        }
        return admin;
    }

    public void createProject(String name) {
        server.createProject(name);
    }

    public String createToken(String project, String permission, String name) {
        return server.createToken(project, permission, name);
    }

    /** A JSON request as the global admin that must answer {@code expected}. */
    public Response json(String method, String path, String body, int expected) {
        Response response = sendJson(method, path, body);
        assertThat(response.status()).as("%s", response).isEqualTo(expected);
        return response;
    }

    /** A JSON request as the global admin that must succeed (200 or 201). */
    public Response json(String method, String path, String body) {
        Response response = sendJson(method, path, body);
        assertThat(response.status()).as("%s", response).isBetween(200, 201);
        return response;
    }

    /** Creates a user (a global admin when {@code globalAdmin}) with {@code password}. */
    public void createUser(String name, String password, boolean globalAdmin) {
        json(
                "POST",
                "/api/v1/users",
                "{\"name\":\"" + name + "\",\"password\":\"" + password + "\",\"globalAdmin\":" + globalAdmin + "}",
                201);
    }

    /** Gives {@code user} the {@code role} in {@code project}. */
    public void addMember(String project, String user, String role) {
        json("PUT", "/api/v1/projects/" + project + "/members/" + user, "{\"role\":\"" + role + "\"}", 200);
    }

    /** Writes {@code body} as the admin to {@code /tf/<project>/<state>}, which must be accepted. */
    public void write(String project, String state, String body) {
        Response response = admin().write(StatefortClient.statePath(project, state), body, null);
        assertThat(response.status()).as("%s", response).isEqualTo(200);
    }

    private Response sendJson(String method, String path, String body) {
        return admin().send(method, path, body.getBytes(StandardCharsets.UTF_8), "Content-Type", "application/json");
    }

    private static void deleteQuietly(Path root) throws IOException {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            System.out.println("[statefort-it] could not delete " + root + ": " + e.getCause());
        }
    }

    /** The real {@code terraform} on PATH ({@link RealTerraform}'s rule). */
    private static final class TerraformRequirement implements Requirement {
        private final String suite;
        private Path path;

        TerraformRequirement(String suite) {
            this.suite = suite;
        }

        @Override
        public boolean isMet() {
            path = RealTerraform.find(suite).orElse(null);
            return path != null;
        }

        @Override
        public void require() {
            RealTerraform.require(path, suite);
        }

        Path path() {
            return path;
        }
    }
}
