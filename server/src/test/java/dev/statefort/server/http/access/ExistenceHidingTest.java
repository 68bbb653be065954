package dev.statefort.server.http.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.statefort.server.http.TestServer.Response;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A caller without access learns nothing about other projects: asking for project {@code beta}'s
 * existing state and for the missing project {@code gamma} gives the same status and the same
 * body once the project name is replaced.
 */
class ExistenceHidingTest extends AccessFixture {
    private String alphaToken;
    private Session alphaAdmin;

    @BeforeEach
    void projects() {
        project("alpha");
        project("beta");
        expect(200, tok("POST", "/tf/beta/app", state(1, "beta-secret"), rootToken));
        alphaToken = tok("POST", "/api/v1/tokens", "{\"project\":\"alpha\",\"permission\":\"admin\"}", rootToken)
                .json()
                .path("token")
                .asText();
        alphaAdmin = memberSession("alpha", "alice", "admin");
    }

    private static String withoutRequestId(String body) {
        return body.replaceAll("\"requestId\":\"[0-9a-f]+\"", "\"requestId\":\"-\"");
    }

    /** Sends {@code request} for beta and for gamma and asserts both answers are the same but for the name. */
    private void same(String what, Function<String, Response> request) {
        Response beta = request.apply("beta");
        Response gamma = request.apply("gamma");
        assertThat(beta.status()).as("%s: beta %s, gamma %s", what, beta, gamma).isIn(401, 403, 404);
        assertThat(gamma.status())
                .as("%s: beta %s, gamma %s", what, beta, gamma)
                .isEqualTo(beta.status());
        // each answer has its own request ID; everything else must be the same
        assertThat(withoutRequestId(gamma.body()).replace("gamma", "P"))
                .as(what)
                .isEqualTo(withoutRequestId(beta.body()).replace("beta", "P"));
        assertThat(beta.body()).doesNotContain("beta-secret");
    }

    private static final List<String> BACKEND = List.of("GET", "POST", "LOCK", "UNLOCK", "DELETE");

    @Test
    void theBackendAnswersTheSameForAnotherProjectsStateAndAMissingProject() {
        for (String method : BACKEND) {
            String body = method.equals("POST")
                    ? state(2, "x")
                    : method.equals("GET") || method.equals("DELETE") ? null : lockInfo("l-1");
            same("token " + method, p -> tok(method, "/tf/" + p + "/app", body, alphaToken));
            same("basic " + method, p -> basic(method, "/tf/" + p + "/app", body, "terraform", alphaToken));
            same("session " + method, p -> ui(alphaAdmin, method, "/tf/" + p + "/app", body));
            if (!method.equals("GET")) {
                same("lock url " + method, p -> tok(method, "/tf/" + p + "/app/lock", lockInfo("l-1"), alphaToken));
            }
            same("no credentials " + method, p -> send(method, "/tf/" + p + "/app", body, Map.of()));
        }
        assertThat(versions("beta", "app")).containsExactly(1L);
    }

    @Test
    void theApiAnswersTheSameForAnotherProjectAndAMissingProject() {
        List<String[]> requests = List.of(
                new String[] {"GET", "/api/v1/projects/P/states", null},
                new String[] {"GET", "/api/v1/projects/P/states/app/versions", null},
                new String[] {"GET", "/api/v1/projects/P/states/app/versions/1/content", null},
                new String[] {"GET", "/api/v1/projects/P/states/app/outputs", null},
                new String[] {"GET", "/api/v1/projects/P/states/app/lock", null},
                new String[] {"DELETE", "/api/v1/projects/P/states/app/lock", null},
                new String[] {"DELETE", "/api/v1/projects/P/states/app", null},
                new String[] {"GET", "/api/v1/projects/P/settings", null},
                new String[] {"PUT", "/api/v1/projects/P/settings", "{\"guard\":\"off\"}"},
                new String[] {"GET", "/api/v1/projects/P/members", null},
                new String[] {"PUT", "/api/v1/projects/P/members/alice", "{\"role\":\"admin\"}"},
                new String[] {"GET", "/api/v1/projects/P/aliases", null},
                new String[] {"POST", "/api/v1/projects/P/aliases", "{\"state\":\"app\"}"},
                new String[] {"GET", "/api/v1/audit?project=P", null},
                new String[] {"GET", "/api/v1/tokens?project=P", null},
                new String[] {"POST", "/api/v1/tokens", "{\"project\":\"P\",\"permission\":\"read\",\"owner\":\"me\"}"},
                new String[] {
                    "POST", "/api/v1/tokens", "{\"project\":\"P\",\"permission\":\"read\",\"owner\":\"project\"}"
                },
                new String[] {
                    "POST",
                    "/api/v1/tokens",
                    "{\"project\":\"P\",\"state\":\"app\",\"permission\":\"read\",\"owner\":\"me\"}"
                });
        for (String[] r : requests) {
            String what = r[0] + " " + r[1];
            same("session " + what, p -> ui(alphaAdmin, r[0], r[1].replace("P", p), body(r[2], p)));
            if (r[2] == null || !r[2].contains("\"owner\":\"me\"")) { // a robot token cannot say "me" (400)
                same("token " + what, p -> tok(r[0], r[1].replace("P", p), body(r[2], p), alphaToken));
            }
            same("no credentials " + what, p -> send(r[0], r[1].replace("P", p), body(r[2], p), Map.of()));
        }
        assertThat(versions("beta", "app")).containsExactly(1L);
    }

    private static String body(String template, String project) {
        return template == null ? null : template.replace("\"P\"", "\"" + project + "\"");
    }
}
