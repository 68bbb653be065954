package dev.statefort.server.http.history;

import static dev.statefort.server.http.history.TestStates.state;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.statefort.core.auth.IssuedToken;
import dev.statefort.core.model.Permission;
import dev.statefort.server.http.TestServer.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 29 at the protocol and the REST API: shared plan locks (grants, the waiting exclusive LOCK,
 * writes under a plan lock, unlock by ID, Terraform's and OpenTofu's force-unlock, read permission,
 * the project setting, stale marking and expiry per holder, the census), protection rules and
 * change freezes.
 */
class LockKindsApiTest extends HistoryApiFixture {

    static String planInfo(String lockId) {
        return "{\"ID\":\"" + lockId + "\",\"Operation\":\"OperationTypePlan\",\"Info\":\"\","
                + "\"Who\":\"bob@ci\",\"Version\":\"1.11.4\",\"Created\":\"2026-03-01T10:00:00Z\",\"Path\":\"\"}";
    }

    Response planLock(String state, String lockId, String token) {
        return server.send("LOCK", "/tf/default/" + state, planInfo(lockId), token);
    }

    Response planUnlock(String state, String lockId, String token) {
        return server.send("UNLOCK", "/tf/default/" + state, planInfo(lockId), token);
    }

    List<String> holderIds(String state) {
        List<String> ids = new ArrayList<>();
        getJson("/states/" + state + "/lock")
                .path("holders")
                .forEach(h -> ids.add(h.path("id").asText()));
        return ids;
    }

    // ---- shared plan locks ----------------------------------------------------------------

    @Test
    void planLocksAreSharedAndAnApplyWaitsForThemWhileNewPlansWaitForTheApply() {
        written("s", state(1).json());
        for (int i = 1; i <= 5; i++) {
            assertThat(planLock("s", "P" + i, reader).status()).as("plan %d", i).isEqualTo(200);
        }
        JsonNode view = getJson("/states/s/lock");
        assertThat(view.path("locked").asBoolean()).isTrue();
        assertThat(view.path("holder").path("id").asText())
                .as("the single-holder shape stays")
                .isEqualTo("P1");
        assertThat(view.path("holders")).hasSize(5);
        assertThat(view.path("holders").get(0).path("kind").asText()).isEqualTo("plan");
        assertThat(server.node().state().locks().census().held())
                .as("the gauge counts holders")
                .isEqualTo(5);

        Response apply = lock("s", "apply-1", writer);
        assertThat(apply.status()).isEqualTo(423);
        assertThat(apply.json().path("ID").asText()).isEqualTo("P1");

        // no starvation: a new plan is told about the waiting apply
        Response late = planLock("s", "P6", reader);
        assertThat(late.status()).isEqualTo(423);
        assertThat(late.json().path("ID").asText()).isEqualTo("apply-1");
        assertThat(late.json().path("Operation").asText()).isEqualTo("OperationTypeApply");

        // the apply stops asking: after 60 s plans are granted again
        clock.advance(Duration.ofSeconds(61));
        assertThat(planLock("s", "P6", reader).status()).isEqualTo(200);

        for (int i = 1; i <= 6; i++) {
            assertThat(planUnlock("s", "P" + i, reader).status()).isEqualTo(200);
        }
        assertThat(lock("s", "apply-1", writer).status()).isEqualTo(200);
        Response whileApplying = planLock("s", "P7", reader);
        assertThat(whileApplying.status()).isEqualTo(423);
        assertThat(whileApplying.json().path("ID").asText()).isEqualTo("apply-1");
        assertThat(getJson("/states/s/lock").path("holder").path("kind").asText())
                .isEqualTo("exclusive");

        assertThat(audit("lock.acquire"))
                .anySatisfy(e -> {
                    assertThat(e.path("detail").path("kind").asText()).isEqualTo("plan");
                    assertThat(e.path("detail").path("operation").asText()).isEqualTo("OperationTypePlan");
                })
                .anySatisfy(
                        e -> assertThat(e.path("detail").path("kind").asText()).isEqualTo("exclusive"));
    }

    @Test
    void aPlanLockNeverAllowsAWrite() {
        written("w", state(1).json());
        assertThat(planLock("w", "P1", writer).status()).isEqualTo(200);
        Response underPlan = write("w", state(2).json(), "P1");
        assertThat(underPlan.status()).isEqualTo(409);
        assertThat(underPlan.body()).contains("a plan lock does not allow writes");
        Response withoutId = write("w", state(2).json());
        assertThat(withoutId.status()).isEqualTo(423);
        assertThat(withoutId.json().path("ID").asText()).isEqualTo("P1");
        assertThat(versionNumbers("w")).containsExactly(1L);
        assertThat(server.send("DELETE", "/tf/default/w", null, admin).status()).isEqualTo(423);
    }

    @Test
    void unlockReleasesOneHolderByIdAndForceUnlockEveryHolder() {
        written("u", state(1).json()); // a reader's plan lock holds only on a state that exists
        for (String id : List.of("P1", "P2", "P3", "P4")) {
            assertThat(planLock("u", id, reader).status()).isEqualTo(200);
        }
        assertThat(planUnlock("u", "P2", reader).status()).isEqualTo(200);
        assertThat(holderIds("u")).containsExactly("P1", "P3", "P4");

        // OpenTofu's force-unlock sends the typed ID: that holder only
        String tofuForceUnlock = "{\"ID\":\"P3\",\"Operation\":\"\",\"Info\":\"\",\"Who\":\"\",\"Version\":\"\","
                + "\"Created\":\"0001-01-01T00:00:00Z\",\"Path\":\"\"}";
        assertThat(server.send("UNLOCK", "/tf/default/u", tofuForceUnlock, writer)
                        .status())
                .isEqualTo(200);
        assertThat(holderIds("u")).containsExactly("P1", "P4");

        // a reader may not force-unlock, nor release an exclusive lock
        assertThat(server.send("UNLOCK", "/tf/default/u", "", reader).status()).isEqualTo(403);
        // Terraform's force-unlock: an empty body releases every holder
        assertThat(server.send("UNLOCK", "/tf/default/u", "", writer).status()).isEqualTo(200);
        assertThat(holderIds("u")).isEmpty();
        assertThat(audit("lock.force-unlock")).hasSize(2);

        assertThat(lock("u", "apply-1", writer).status()).isEqualTo(200);
        assertThat(server.send("UNLOCK", "/tf/default/u", lockInfo("apply-1"), reader)
                        .status())
                .isEqualTo(403);
        assertThat(lock("u", "apply-1", reader).status())
                .as("an exclusive LOCK needs write")
                .isEqualTo(403);
    }

    @Test
    void aReadersPlanCreatesNoStateAndALockIdLongerThanAWriteCanNameIsRefused() {
        assertThat(planLock("ghost", "P1", reader).status()).isEqualTo(200);
        assertThat(server.send("GET", "/tf/default/ghost", null, admin).status())
                .isEqualTo(404);
        assertThat(server.node().metadata().findState(new dev.statefort.core.model.StateKey("default", "ghost")))
                .isEmpty();
        assertThat(planUnlock("ghost", "P1", reader).status()).isEqualTo(200);
        assertThat(lock("long", "x".repeat(1025), writer).status()).isEqualTo(400);
    }

    @Test
    void aReaderReleasesOnlyPlanLocksEvenUnderAnExclusiveLocksId() {
        assertThat(lock("r", "apply-1", writer).status()).isEqualTo(200);
        assertThat(server.send("UNLOCK", "/tf/default/r", planInfo("apply-1"), reader)
                        .status())
                .isEqualTo(403);
        assertThat(server.send("UNLOCK", "/tf/default/r", planInfo("no-such-plan"), reader)
                        .status())
                .as("nothing of the reader's is held: a repeated UNLOCK is fine")
                .isEqualTo(200);
        assertThat(holderIds("r")).containsExactly("apply-1");
    }

    @Test
    void withSharedPlanLocksOffAPlanTakesTheExclusiveLock() {
        settings("{\"sharedPlanLocks\":false}");
        assertThat(getJson("/settings").path("sharedPlanLocks").asBoolean(true)).isFalse();
        assertThat(planLock("off", "P1", reader).status())
                .as("exclusive: write needed")
                .isEqualTo(403);
        assertThat(planLock("off", "P1", writer).status()).isEqualTo(200);
        assertThat(planLock("off", "P2", writer).status()).isEqualTo(423);
        assertThat(getJson("/states/off/lock").path("holder").path("kind").asText())
                .isEqualTo("exclusive");
    }

    @Test
    void eachPlanHolderIsMarkedStaleAndExpiresOnItsOwn() {
        settings("{\"lockStaleMinutes\":10,\"lockAutoExpireMinutes\":30}");
        written("e", state(1).json());
        assertThat(planLock("e", "P1", reader).status()).isEqualTo(200);
        clock.advance(Duration.ofMinutes(25));
        assertThat(planLock("e", "P2", reader).status()).isEqualTo(200);
        clock.advance(Duration.ofMinutes(6));
        JsonNode holders = getJson("/states/e/lock").path("holders");
        assertThat(holders.get(0).path("stale").asBoolean()).isTrue();
        assertThat(holders.get(1).path("stale").asBoolean()).isFalse();
        assertThat(server.node().state().locks().census().stale()).isEqualTo(1);

        // an apply's LOCK expires the idle plan holder, and is still refused by the active one
        Response apply = lock("e", "apply-1", writer);
        assertThat(apply.status()).isEqualTo(423);
        assertThat(apply.json().path("ID").asText()).isEqualTo("P2");
        assertThat(holderIds("e")).containsExactly("P2");
        assertThat(audit("lock.expired"))
                .anySatisfy(e ->
                        assertThat(e.path("detail").path("lockId").asText()).isEqualTo("P1"));
    }

    // ---- protection rules -----------------------------------------------------------------

    @Test
    void aProtectedStateChangesOnlyThroughAnAllowedIdentityAndSaysWhichRule() {
        IssuedToken deploy = server.node().access().tokens().create("default", Permission.WRITE, "deploy");
        assertThat(post("/protection-rules", "{\"states\":\"prod-*\",\"allow\":[\"nope\"]}", admin)
                        .status())
                .as("an unknown trust policy")
                .isEqualTo(400);
        assertThat(post("/protection-rules", "{\"states\":\"prod-*\"}", admin).status())
                .as("a rule allowing nobody")
                .isEqualTo(400);
        assertThat(post("/protection-rules", "{\"states\":\"prod-*\",\"allowTokens\":[\"x\"]}", writer)
                        .status())
                .isEqualTo(403);
        Response created = post(
                "/protection-rules",
                "{\"states\":\"prod-*\",\"allowTokens\":[\"" + deploy.record().id() + "\"]}",
                admin);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.json().path("number").asInt()).isEqualTo(1);
        String message = "state prod-db is protected by rule 1: applies only from token "
                + deploy.record().id();

        // reads and plans follow the ordinary permissions
        assertThat(planLock("prod-db", "P1", reader).status()).isEqualTo(200);
        assertThat(planUnlock("prod-db", "P1", reader).status()).isEqualTo(200);

        // the writer's apply: refused at its LOCK, with the rule in the LockInfo every client prints
        Response refused = lock("prod-db", "apply-1", writer);
        assertThat(refused.status()).isEqualTo(423);
        assertThat(refused.json().path("ID").asText()).isEqualTo("protected: " + message);
        assertThat(refused.json().path("Operation").asText()).isEqualTo("protection");
        assertThat(refused.json().path("Info").asText()).isEqualTo(message);
        Response write = write("prod-db", state(1).json());
        assertThat(write.status()).isEqualTo(403);
        assertThat(write.body()).contains(message);
        assertThat(server.send("DELETE", API + "/states/prod-db", null, admin).status())
                .isEqualTo(403);

        // the allowed token applies
        assertThat(lock("prod-db", "apply-2", deploy.token()).status()).isEqualTo(200);
        assertThat(server.send("POST", "/tf/default/prod-db?ID=apply-2", state(1).json(), deploy.token())
                        .status())
                .isEqualTo(200);
        // someone else's lock on a protected state: a writer may not force-unlock it, nor unlock it by
        // its ID (which any reader sees); a project admin may
        assertThat(server.send("UNLOCK", "/tf/default/prod-db", "", writer).status())
                .isEqualTo(403);
        assertThat(unlock("prod-db", "apply-2").status()).isEqualTo(403);
        assertThat(server.send("UNLOCK", "/tf/default/prod-db", "", admin).status())
                .isEqualTo(200);
        assertThat(audit("lock.force-unlock"))
                .anySatisfy(e ->
                        assertThat(e.path("detail").path("bypass").asText()).isEqualTo("protection rule 1"));

        List<JsonNode> denied = audit("protection.denied");
        assertThat(denied)
                .extracting(e -> e.path("detail").path("change").asText())
                .contains("lock", "write", "delete", "force-unlock", "unlock");
        assertThat(denied)
                .allSatisfy(
                        e -> assertThat(e.path("detail").path("rule").asInt()).isEqualTo(1));

        // other states are not protected; deleting the rule (audited) opens prod-db again
        assertThat(lock("dev-db", "apply-3", writer).status()).isEqualTo(200);
        JsonNode rules = getJson("/protection-rules").path("items");
        assertThat(rules).hasSize(1);
        assertThat(delete("/protection-rules/" + rules.get(0).path("id").asText(), admin)
                        .status())
                .isEqualTo(204);
        assertThat(audit("protection.rule.delete")).hasSize(1);
        assertThat(lock("prod-db", "apply-4", writer).status()).isEqualTo(200);
    }

    // ---- change freezes -------------------------------------------------------------------

    @Test
    void aFrozenStateRefusesNewAppliesAndWritesWithTheReasonWhilePlansAndReadsGoOn() {
        written("f", state(1).json());
        Instant until = clock.instant().plus(Duration.ofHours(2));
        assertThat(post("/states/f/freeze", "{\"reason\":\"release 42 in progress\"}", writer)
                        .status())
                .isEqualTo(403);
        assertThat(post("/states/f/freeze", "{\"reason\":\"\"}", admin).status())
                .isEqualTo(400);
        Response frozen =
                post("/states/f/freeze", "{\"reason\":\"release 42 in progress\",\"until\":\"" + until + "\"}", admin);
        assertThat(frozen.status()).as(frozen.toString()).isEqualTo(201);
        assertThat(audit("freeze.set")).hasSize(1);

        Response apply = lock("f", "apply-1", writer);
        assertThat(apply.status()).isEqualTo(423);
        assertThat(apply.json().path("ID").asText()).startsWith("freeze: release 42 in progress");
        assertThat(apply.json().path("Operation").asText()).isEqualTo("freeze");
        assertThat(apply.json().path("Info").asText()).isEqualTo("release 42 in progress");
        assertThat(apply.json().path("Who").asText()).startsWith("token:");
        assertThat(write("f", state(2).json()).status()).isEqualTo(423);
        assertThat(server.send("DELETE", API + "/states/f", null, admin).status())
                .isEqualTo(423);
        assertThat(planLock("f", "P1", reader).status()).isEqualTo(200);
        assertThat(planUnlock("f", "P1", reader).status()).isEqualTo(200);
        assertThat(server.send("GET", "/tf/default/f", null, reader).status()).isEqualTo(200);
        assertThat(getJson("/states/f/lock").path("freeze").path("reason").asText())
                .isEqualTo("release 42 in progress");

        // Terraform's force-unlock does not lift it, nor OpenTofu's typing the freeze's ID
        Response forced = server.send("UNLOCK", "/tf/default/f", "", admin);
        assertThat(forced.status()).isEqualTo(423);
        assertThat(forced.json().path("ID").asText()).startsWith("freeze: ");
        assertThat(server.send(
                                "UNLOCK",
                                "/tf/default/f",
                                lockInfo(apply.json().path("ID").asText()),
                                admin)
                        .status())
                .isEqualTo(423);
        // a client repeating the UNLOCK of a lock it no longer holds still gets its 200
        assertThat(unlock("f", "released-before").status()).isEqualTo(200);

        // it ends at its until
        clock.advance(Duration.ofHours(2).plusSeconds(1));
        assertThat(lock("f", "apply-1", writer).status()).isEqualTo(200);
    }

    @Test
    void aLockHeldWhenTheFreezeBeginsKeepsItsWritesAndItsUnlock() {
        assertThat(lock("h", "apply-1", writer).status()).isEqualTo(200);
        assertThat(post("/states/h/freeze", "{\"reason\":\"hold\"}", admin).status())
                .isEqualTo(201);
        assertThat(write("h", state(1).json(), "apply-1").status()).isEqualTo(200);
        assertThat(unlock("h", "apply-1").status()).isEqualTo(200);
        assertThat(lock("h", "apply-2", writer).status()).isEqualTo(423);
        assertThat(delete("/states/h/freeze", admin).status()).isEqualTo(204);
        assertThat(delete("/states/h/freeze", admin).status()).isEqualTo(404);
        assertThat(audit("freeze.lift")).hasSize(1);
        assertThat(lock("h", "apply-2", writer).status()).isEqualTo(200);
    }

    @Test
    void aProjectFreezeCoversEveryStateUntilLifted() {
        assertThat(post("/freeze", "{\"reason\":\"quarter close\"}", admin).status())
                .isEqualTo(201);
        assertThat(lock("any", "apply-1", writer).json().path("Info").asText()).isEqualTo("quarter close");
        assertThat(write("other", state(1).json()).status()).isEqualTo(423);
        JsonNode freezes = getJson("/freezes").path("items");
        assertThat(freezes).hasSize(1);
        assertThat(freezes.get(0).path("state").isNull()).isTrue();
        assertThat(post("/freeze", "{\"reason\":\"x\",\"until\":\"2001-01-01T00:00:00Z\"}", admin)
                        .status())
                .as("until in the past")
                .isEqualTo(400);
        assertThat(delete("/freeze", admin).status()).isEqualTo(204);
        assertThat(lock("any", "apply-1", writer).status()).isEqualTo(200);
    }
}
