package dev.statefort.server.http;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.statefort.core.model.PageRequest;
import dev.statefort.core.model.StateKey;
import dev.statefort.core.model.VersionRecord;
import dev.statefort.core.testing.StateBodies;
import dev.statefort.core.testing.TestPrincipals;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 15 point 1 in the web UI: "Upload a state file" on the project page (a new state) and on a
 * state page (a new version), with the destructive-write guard's warning shown by the check before
 * the upload is confirmed; the upload is a write with the same rules and audit event as the REST one.
 */
class UiUploadTest extends UiServerTest {
    private static final String PASSWORD = "ui upload password 1";
    private static final String BOUNDARY = "----statefort-test-boundary";

    UiUploadTest() {
        super(PASSWORD);
    }

    @Test
    void aWriterUploadsANewStateFromTheProjectPageAndANewVersionFromTheStatePage() throws Exception {
        ui.member("wanda", dev.statefort.core.model.Role.WRITER);
        UiClient.Session wanda = ui.login("wanda");
        String project = ui.get("/ui/projects/default", wanda).body();
        assertThat(project)
                .contains("Upload a state file")
                .contains("action=\"/ui/projects/default/upload?_csrf=" + wanda.csrf() + "\"")
                .contains("enctype=\"multipart/form-data\"");

        HttpResponse<String> created = upload(wanda, "/ui/projects/default/upload", "uploaded", state(5, 2));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(303);
        assertThat(created.headers().firstValue("Location").orElseThrow())
                .isEqualTo("/ui/projects/default/states/uploaded?done=uploaded");
        assertThat(versions("uploaded")).singleElement().satisfies(v -> {
            assertThat(v.serial()).isEqualTo(5L);
            assertThat(v.principal()).isEqualTo("user:wanda");
        });

        String statePage = ui.get("/ui/projects/default/states/uploaded", wanda).body();
        assertThat(statePage).contains("Upload a new version").contains("name=\"state\" value=\"uploaded\"");
        assertThat(upload(wanda, "/ui/projects/default/upload", "uploaded", state(6, 2))
                        .statusCode())
                .isEqualTo(303);
        assertThat(versions("uploaded")).hasSize(2);
        assertThat(server.node()
                        .project()
                        .audit()
                        .list(new dev.statefort.core.model.AuditQuery(
                                "default", "uploaded", null, "state.write", null, null, 10, null)))
                .hasSize(2);
    }

    @Test
    void theCheckShowsTheGuardsWarningBeforeAnythingIsWrittenAndEnforceQuarantinesTheUpload() throws Exception {
        UiClient.Session alice = ui.login("alice");
        written("guarded", state(10, 4));
        assertThat(server.send("PUT", "/api/v1/projects/default/settings", "{\"guard\":\"enforce\"}", admin)
                        .status())
                .isEqualTo(200);

        HttpResponse<String> check = upload(alice, "/ui/projects/default/upload/check", "guarded", state(11, 0));
        assertThat(check.statusCode()).as(check.body()).isEqualTo(200);
        assertThat(check.body())
                .contains("id=\"upload-check\"")
                .contains("it removes every resource of a non-empty state")
                .contains("quarantined write")
                .contains("version 1, serial 10")
                .contains("form=\"upload-form\"");
        assertThat(versions("guarded")).as("a check writes nothing").hasSize(1);

        HttpResponse<String> refused = upload(alice, "/ui/projects/default/upload", "guarded", state(11, 0));
        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(refused.body()).contains("quarantined write 1");
        assertThat(versions("guarded")).hasSize(1);
        server.send("PUT", "/api/v1/projects/default/settings", "{\"guard\":\"warn\"}", admin);
    }

    @Test
    void aViewerSeesNoUploadFormAndIsRefusedAndAFormWithoutAFileIs400() throws Exception {
        UiClient.Session victor = ui.login("victor");
        assertThat(ui.get("/ui/projects/default", victor).body()).doesNotContain("Upload a state file");
        assertThat(upload(victor, "/ui/projects/default/upload", "sneaky", state(1, 1))
                        .statusCode())
                .isEqualTo(403);
        assertThat(server.node()
                        .state()
                        .states()
                        .state(TestPrincipals.admin("test"), new StateKey("default", "sneaky")))
                .isEmpty();

        UiClient.Session alice = ui.login("alice");
        HttpResponse<String> noFile = ui.send(
                "POST",
                "/ui/projects/default/upload?_csrf=" + alice.csrf(),
                multipart(alice.csrf(), "nofile", null),
                headers(alice));
        assertThat(noFile.statusCode()).isEqualTo(400);
        assertThat(noFile.body()).contains("choose a state file");
    }

    @Test
    void aMultipartFormToAnyOtherRouteIsHeldToTheSmallFormLimit() throws Exception {
        HttpResponse<String> login = ui.send(
                "POST",
                "/ui/login",
                multipart("none", "x", "y".repeat(200_000)),
                Map.of("Content-Type", "multipart/form-data; boundary=" + BOUNDARY));
        assertThat(login.statusCode())
                .as("not read into memory without a session")
                .isEqualTo(413);
    }

    /**
     * Issue 25 finding 8: an upload is refused before its body is read, so a large one costs the
     * server nothing: without a session (to the login page), without the CSRF token in the header or
     * the form's address (a {@code _csrf} field in the body is not looked for), and by a viewer. Each
     * answer arrives while the client still holds back all but the first KiB of a declared 20 MiB body.
     */
    @Test
    void aRefusedUploadIsAnsweredBeforeItsBodyIsRead() throws Exception {
        String upload = "/ui/projects/default/upload";
        UiClient.Session victor = ui.login("victor");
        UiClient.Session alice = ui.login("alice");

        assertThat(answerToAHeldBackUpload(upload, Map.of(), "none")).startsWith("HTTP/1.1 303");
        assertThat(answerToAHeldBackUpload(upload, alice.cookie(), alice.csrf()))
                .as("the token only in the body")
                .startsWith("HTTP/1.1 403");
        assertThat(answerToAHeldBackUpload(upload + "?_csrf=" + victor.csrf(), victor.cookie(), victor.csrf()))
                .as("a viewer")
                .startsWith("HTTP/1.1 403");
        assertThat(answerToAHeldBackUpload(upload + "/check?_csrf=" + victor.csrf(), victor.cookie(), victor.csrf()))
                .startsWith("HTTP/1.1 403");
        assertThat(server.node()
                        .state()
                        .states()
                        .state(TestPrincipals.admin("test"), new StateKey("default", "held-back")))
                .isEmpty();
    }

    /**
     * Sends an upload's headers, declaring a 20 MiB body (above what an early answer drains), and
     * its first KiB (the {@code _csrf} field included), then waits for the answer's status line
     * without sending more; a server that reads the body first never answers (the read times out).
     */
    private String answerToAHeldBackUpload(String target, Map<String, String> headers, String csrfInTheBody)
            throws Exception {
        String formStart = "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n"
                + csrfInTheBody + "\r\n--" + BOUNDARY
                + "\r\nContent-Disposition: form-data; name=\"state\"\r\n\r\nheld-back\r\n--" + BOUNDARY
                + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"terraform.tfstate\"\r\n\r\n{";
        byte[] firstKib = (formStart + " ".repeat(1024 - formStart.length())).getBytes(UTF_8);
        StringBuilder request = new StringBuilder("POST " + target + " HTTP/1.1\r\n")
                .append("Host: 127.0.0.1:")
                .append(server.port())
                .append("\r\n")
                .append("Content-Type: multipart/form-data; boundary=" + BOUNDARY + "\r\n")
                .append("Content-Length: ")
                .append(20 * 1024 * 1024)
                .append("\r\n");
        headers.forEach(
                (name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
        request.append("\r\n");
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(30_000); // a bound on a hang, not a timing assertion
            socket.getOutputStream().write(request.toString().getBytes(UTF_8));
            socket.getOutputStream().write(firstKib);
            socket.getOutputStream().flush();
            java.io.BufferedReader answer = new java.io.BufferedReader(new java.io.InputStreamReader(
                    socket.getInputStream(), java.nio.charset.StandardCharsets.ISO_8859_1));
            return String.valueOf(answer.readLine());
        }
    }

    /** Posts the upload form as a browser does: the CSRF token in the form's address (and, as before, in the body). */
    private HttpResponse<String> upload(UiClient.Session session, String path, String state, String body)
            throws Exception {
        return ui.send(
                "POST", path + "?_csrf=" + session.csrf(), multipart(session.csrf(), state, body), headers(session));
    }

    private static Map<String, String> headers(UiClient.Session session) {
        Map<String, String> headers = new HashMap<>(session.cookie());
        headers.put("Content-Type", "multipart/form-data; boundary=" + BOUNDARY);
        return headers;
    }

    /** The body a browser sends for the upload form: _csrf, state and the file (none when null). */
    private static String multipart(String csrf, String state, String file) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringBuilder b = new StringBuilder();
        b.append("--")
                .append(BOUNDARY)
                .append("\r\n")
                .append("Content-Disposition: form-data; name=\"_csrf\"\r\n\r\n")
                .append(csrf)
                .append("\r\n");
        b.append("--")
                .append(BOUNDARY)
                .append("\r\n")
                .append("Content-Disposition: form-data; name=\"state\"\r\n\r\n")
                .append(state)
                .append("\r\n");
        if (file != null) {
            b.append("--")
                    .append(BOUNDARY)
                    .append("\r\n")
                    .append("Content-Disposition: form-data; name=\"file\"; filename=\"terraform.tfstate\"\r\n")
                    .append("Content-Type: application/octet-stream\r\n\r\n")
                    .append(file)
                    .append("\r\n");
        }
        b.append("--").append(BOUNDARY).append("--\r\n");
        out.writeBytes(b.toString().getBytes(UTF_8));
        return out.toString(UTF_8);
    }

    private List<VersionRecord> versions(String state) {
        return server.node()
                .state()
                .states()
                .versions(TestPrincipals.admin("test"), new StateKey("default", state), PageRequest.first(10))
                .items();
    }

    /** A state with {@code count} resources. */
    private static String state(long serial, int count) {
        return StateBodies.withResources("ui-upload-lineage", serial, count);
    }
}
