package dev.statefort.it.terraform;

import static dev.statefort.it.support.StatefortClient.statePath;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.statefort.core.testing.FakeOidcIssuer;
import dev.statefort.it.support.Fixtures;
import dev.statefort.it.support.RealServer;
import dev.statefort.it.support.StatefortClient.Response;
import dev.statefort.it.support.StatefortProcess;
import dev.statefort.it.support.TerraformCli;
import dev.statefort.it.support.TerraformCli.Result;
import dev.statefort.it.support.TerraformConfigs;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 29 with the real {@code terraform}: plans share the lock (five at once, a plan with a read
 * token), an apply waits for them and new plans wait for that apply (no starvation); a protected state
 * lets everyone plan, refuses a write token's apply at its LOCK with the rule's message and lets the
 * allowed OIDC identity apply; a frozen state refuses an apply with the freeze's reason and lets plans
 * run. The node runs on the embedded default with an OIDC issuer on 127.0.0.1 ({@link FakeOidcIssuer}).
 */
class TerraformLockKindsTest {
    private static final String SUITE = "plan locks, protection rules and freezes with real terraform";
    private static final String REPO = "acme/infra";
    private static final String MAIN = "refs/heads/main";
    private static final Duration WAIT = Duration.ofSeconds(90);

    static final FakeOidcIssuer ISSUER = startIssuer();

    @RegisterExtension
    static final RealServer node = RealServer.startedBy((dir, logName) -> StatefortProcess.startWithEnvironment(
                    dir.resolve("server"),
                    logName,
                    Map.of(
                            "STATEFORT_OIDC_CI_ISSUER",
                            ISSUER.issuer(),
                            "STATEFORT_OIDC_CI_AUDIENCE",
                            FakeOidcIssuer.AUDIENCE)))
            .needingTerraform(SUITE)
            .setUp(n -> {
                n.json(
                        "POST",
                        "/api/v1/projects/default/trust-policies",
                        "{\"name\":\"deploy-main\",\"issuer\":\"ci\",\"claims\":{\"repository\":\"" + REPO
                                + "\",\"ref\":\"" + MAIN + "\"},\"permission\":\"write\",\"states\":\"prod-*\"}",
                        201);
                n.json(
                        "POST",
                        "/api/v1/projects/default/protection-rules",
                        "{\"states\":\"prod-*\",\"allow\":[\"deploy-main\"]}",
                        201);
            });

    private static FakeOidcIssuer startIssuer() {
        try {
            return FakeOidcIssuer.start();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterAll
    static void stopIssuer() {
        ISSUER.close();
    }

    private static TerraformCli workspace(String dir, String state, String password) {
        TerraformCli tf = new TerraformCli(
                node.terraform(),
                node.dir().resolve(dir),
                Map.of("TF_HTTP_USERNAME", "terraform", "TF_HTTP_PASSWORD", password));
        tf.writeHttpBackend(node.baseUrl() + statePath("default", state));
        tf.writeFile("main.tf", TerraformConfigs.EXAMPLE);
        tf.run("init", "-no-color").requireSuccess();
        return tf;
    }

    /** Terraform wraps its error messages: compare with every run of white space as one space. */
    private static String oneLine(String output) {
        return output.replaceAll("\\s+", " ");
    }

    private static String admin() {
        return node.server().adminToken();
    }

    @Test
    void fivePlansRunTogetherAnApplyWaitsForThemAndANewPlanWaitsForTheApply() throws Exception {
        String state = "shared-plans";
        String lock = statePath("default", state) + "/lock";
        workspace("seed", state, admin())
                .run("apply", "-auto-approve", "-no-color", "-var", "input=v1")
                .requireSuccess();
        // a long plan, held by the test: with exclusive locks every plan below would fail at once
        byte[] heldPlan = Fixtures.lockInfo("held-plan", "OperationTypePlan");
        assertThat(node.admin().send("LOCK", lock, heldPlan).status()).isEqualTo(200);

        List<TerraformCli> planners = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            planners.add(workspace("planner-" + i, state, admin()));
        }
        List<TerraformCli.Background> plans = new ArrayList<>();
        for (TerraformCli planner : planners) {
            plans.add(planner.start("plan", "-no-color", "-var", "input=v2")); // -lock-timeout=0s
        }
        for (TerraformCli.Background plan : plans) {
            try (plan) {
                plan.await(WAIT).requireSuccess();
            }
        }

        TerraformCli applier = workspace("applier", state, admin());
        try (TerraformCli.Background apply =
                applier.start("apply", "-auto-approve", "-no-color", "-lock-timeout=60s", "-var", "input=v3")) {
            String waitingApply = awaitWaitingExclusiveLock(lock);
            Result latePlan = planners.get(0).run("plan", "-no-color", "-var", "input=v2");
            assertThat(latePlan.exitCode())
                    .as("a plan while the apply waits: %s", latePlan)
                    .isNotZero();
            assertThat(latePlan.output()).contains("already locked").contains(waitingApply);

            assertThat(node.admin().send("UNLOCK", lock, heldPlan).status()).isEqualTo(200);
            apply.await(WAIT).requireSuccess();
        }
        JsonNode written = TerraformWorkspace.parse(
                node.admin().get(statePath("default", state)).body());
        assertThat(written.path("outputs").path("input").path("value").asText()).isEqualTo("v3");
        assertThat(node.admin()
                        .get("/api/v1/projects/default/states/" + state + "/lock")
                        .json()
                        .path("locked")
                        .asBoolean(true))
                .isFalse();
    }

    /**
     * Probes with a plan LOCK of its own until one is refused by the apply that waits for the plan
     * locks: that refusal names the apply's lock ID (returned). Bounded: 30 s.
     */
    private static String awaitWaitingExclusiveLock(String lock) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(30);
        while (Instant.now().isBefore(deadline)) {
            byte[] probe = Fixtures.lockInfo("probe", "OperationTypePlan");
            Response response = node.admin().send("LOCK", lock, probe);
            if (response.status() == 423) {
                String id = response.json().path("ID").asText();
                assertThat(id).isNotEqualTo("held-plan");
                return id;
            }
            assertThat(response.status()).isEqualTo(200);
            node.admin().send("UNLOCK", lock, probe);
            Thread.sleep(200);
        }
        throw new AssertionError("the apply never waited for the plan locks");
    }

    @Test
    void aPlanWithAReadTokenTakesAndReleasesAPlanLock() {
        String state = "read-plan";
        workspace("read-seed", state, admin())
                .run("apply", "-auto-approve", "-no-color", "-var", "input=r1")
                .requireSuccess();
        String reader = node.createToken("default", "read", "plan-reader");
        TerraformCli tf = workspace("reader", state, reader);
        Result plan = tf.run("plan", "-no-color", "-var", "input=r2");
        plan.requireSuccess();
        Result apply = tf.run("apply", "-auto-approve", "-no-color", "-var", "input=r2");
        assertThat(apply.exitCode()).as("a reader's apply").isNotZero();

        JsonNode events = node.admin()
                .get("/api/v1/audit?project=default&state=" + state + "&action=lock.acquire&limit=50")
                .json()
                .path("items");
        boolean readerPlanned = false;
        for (JsonNode e : events) {
            if (e.path("principal").asText().startsWith("token:")
                    && "plan".equals(e.path("detail").path("kind").asText())
                    && "ok".equals(e.path("outcome").asText())) {
                readerPlanned = true;
            }
        }
        assertThat(readerPlanned)
                .as("the reader's plan took a plan lock: %s", events)
                .isTrue();
        assertThat(node.admin()
                        .get("/api/v1/projects/default/states/" + state + "/lock")
                        .json()
                        .path("locked")
                        .asBoolean(true))
                .as("and released it")
                .isFalse();
    }

    @Test
    void aProtectedStatePlansForEveryoneAndAppliesOnlyFromTheAllowedIdentity() {
        String state = "prod-network";
        String writer = node.createToken("default", "write", "laptop");
        TerraformCli laptop = workspace("laptop", state, writer);
        laptop.run("plan", "-no-color", "-var", "input=p1").requireSuccess();
        Result refused = laptop.run("apply", "-auto-approve", "-no-color", "-lock-timeout=0s", "-var", "input=p1");
        assertThat(refused.exitCode()).isNotZero();
        assertThat(oneLine(refused.output()))
                .contains("state prod-network is protected by rule 1")
                .contains("deploy-main");
        assertThat(node.admin().get(statePath("default", state)).status()).isEqualTo(404);

        String jwt = ISSUER.github(REPO, MAIN, Instant.now(), 600);
        TerraformCli ci = workspace("ci", state, jwt);
        ci.run("apply", "-auto-approve", "-no-color", "-var", "input=from-ci").requireSuccess();
        JsonNode written = TerraformWorkspace.parse(
                node.admin().get(statePath("default", state)).body());
        assertThat(written.path("outputs").path("input").path("value").asText()).isEqualTo("from-ci");
        assertThat(node.admin()
                        .get("/api/v1/audit?project=default&state=" + state + "&action=protection.denied&limit=10")
                        .json()
                        .path("items")
                        .size())
                .as("the refusal is audited")
                .isPositive();
    }

    @Test
    void aFrozenStateRefusesAnApplyWithTheReasonAndLetsPlansRun() {
        String state = "frozen-app";
        TerraformCli tf = workspace("frozen", state, admin());
        tf.run("apply", "-auto-approve", "-no-color", "-var", "input=f1").requireSuccess();
        node.json(
                "POST",
                "/api/v1/projects/default/states/" + state + "/freeze",
                "{\"reason\":\"release 42 in progress\"}",
                201);

        tf.run("plan", "-no-color", "-var", "input=f2").requireSuccess();
        Result apply = tf.run("apply", "-auto-approve", "-no-color", "-lock-timeout=0s", "-var", "input=f2");
        assertThat(apply.exitCode()).isNotZero();
        assertThat(oneLine(apply.output())).contains("release 42 in progress");
        Result forceUnlock = tf.run("force-unlock", "-force", "-no-color", "freeze");
        assertThat(forceUnlock.exitCode())
                .as("force-unlock does not lift a freeze: %s", forceUnlock)
                .isNotZero();
        assertThat(oneLine(forceUnlock.output())).contains("Unexpected HTTP response code 423");

        node.json("DELETE", "/api/v1/projects/default/states/" + state + "/freeze", "", 204);
        tf.run("apply", "-auto-approve", "-no-color", "-var", "input=f2").requireSuccess();
        JsonNode written = TerraformWorkspace.parse(
                node.admin().get(statePath("default", state)).body());
        assertThat(written.path("outputs").path("input").path("value").asText()).isEqualTo("f2");
    }
}
