package dev.statefort.server.http.access;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.statefort.core.testing.FakeOidcIssuer;
import dev.statefort.server.http.TestServer.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 28: a CI job's OIDC ID token (a JWT from a configured issuer) is a credential wherever a token
 * is, granting on the project the request names the union of the trust policies it matches there.
 * The issuers are real HTTP servers on 127.0.0.1 ({@link FakeOidcIssuer}: discovery document, JWKS,
 * keys made per run); the node runs on SQLite with a hand-moved clock, so expiry and the lock grace
 * are tested without sleeping. Each negative case of the issue is a test of its own.
 */
class WorkloadIdentityTest extends AccessFixture {
    static final String NO_POLICY = "no trust policy of this project matches this identity";
    static final String REPO = "acme/infra";
    static final String MAIN = "refs/heads/main";

    static FakeOidcIssuer ci;
    static FakeOidcIssuer other;
    static FakeOidcIssuer down;

    @BeforeAll
    static void startIssuers() throws Exception {
        ci = FakeOidcIssuer.start();
        other = FakeOidcIssuer.start();
        down = FakeOidcIssuer.start();
        down.down(true);
    }

    @AfterAll
    static void stopIssuers() {
        ci.close();
        other.close();
        down.close();
    }

    @Override
    Map<String, String> extraConfig() {
        Map<String, String> settings = new HashMap<>();
        settings.putAll(ci.settings("ci"));
        settings.putAll(other.settings("other"));
        settings.putAll(down.settings("down"));
        settings.put("auth-failure-limit", "0"); // the negative cases would slow each other down; see below
        return settings;
    }

    /** The policy of the example: write on prod-* of project default for acme/infra's main branch. */
    String deployMain() {
        return policy("default", "deploy-main", "ci", Map.of("repository", REPO, "ref", MAIN), "write", "prod-*");
    }

    String policy(
            String project, String name, String issuer, Map<String, String> claims, String permission, String states) {
        Map<String, Object> body = new HashMap<>();
        body.put("name", name);
        body.put("issuer", issuer);
        body.put("claims", claims);
        body.put("permission", permission);
        body.put("states", states);
        Response r = expect(201, tok("POST", "/api/v1/projects/" + project + "/trust-policies", json(body), rootToken));
        return r.json().path("id").asText();
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    String mainToken(long lifetimeSeconds) {
        return ci.github(REPO, MAIN, clock.instant(), lifetimeSeconds);
    }

    // ---- what a matching token may do ---------------------------------------------------------

    @Test
    void aMatchingTokenRunsAnApplyAsBasicPasswordOrBearerAndTheAuditNamesItsIdentity() {
        String policyId = deployMain();
        String jwt = mainToken(300);

        expect(200, basic("LOCK", "/tf/default/prod-net", lockInfo("apply-1"), "anything", jwt));
        expect(200, basic("POST", "/tf/default/prod-net?ID=apply-1", state(1, "from-ci"), "terraform", jwt));
        assertThat(expect(200, tok("GET", "/tf/default/prod-net", null, jwt)).body())
                .contains("from-ci");
        expect(200, tok("UNLOCK", "/tf/default/prod-net", lockInfo("apply-1"), jwt));

        JsonNode written = audit("project=default&action=state.write").getFirst();
        assertThat(written.path("principal").asText()).isEqualTo("oidc:ci:repo:" + REPO + ":ref:" + MAIN);
        JsonNode credential = written.path("detail").path("credential");
        assertThat(credential.path("issuer").asText()).isEqualTo("ci");
        assertThat(credential.path("sub").asText()).isEqualTo("repo:" + REPO + ":ref:" + MAIN);
        assertThat(credential.path("jti").asText()).isNotBlank();
        assertThat(credential.path("policy").asText()).isEqualTo("deploy-main");
        assertThat(written.toString()).as("the token itself is never recorded").doesNotContain(jwt);
        assertThat(policyId).isNotBlank();
    }

    @Test
    void anEs256TokenWorksToo() {
        deployMain();
        String jwt = ci.signEs256(ci.claims("repo:" + REPO + ":ref:" + MAIN, clock.instant(), 300)
                .claim("repository", REPO)
                .claim("ref", MAIN)
                .build());
        expect(200, tok("POST", "/tf/default/prod-es", state(1, "es"), jwt));
    }

    @Test
    void theUnionOfTheMatchingPoliciesIsGrantedAndOnlyOnTheNamedProject() {
        deployMain();
        policy("default", "read-all", "ci", Map.of("repository", "acme/*"), "read", "*");
        expect(200, tok("POST", "/tf/default/prod-x", state(1, "x"), rootToken));
        expect(200, tok("POST", "/tf/default/dev-x", state(1, "x"), rootToken));
        String jwt = mainToken(300);

        expect(200, tok("POST", "/tf/default/prod-x", state(2, "y"), jwt)); // write through deploy-main
        expect(200, tok("GET", "/tf/default/dev-x", null, jwt)); // read through read-all
        expect(403, tok("POST", "/tf/default/dev-x", state(2, "y"), jwt)); // read-all does not write
        expect(200, tok("GET", "/api/v1/projects/default/states", null, jwt)); // read-all covers every state
        expect(403, tok("GET", "/api/v1/projects/default/trust-policies", null, jwt)); // never admin
    }

    // ---- the negative cases -------------------------------------------------------------

    @Test
    void aTokenWhoseRefDoesNotMatchIsRefusedWithoutNamingAnything() {
        deployMain();
        String feature = ci.github(REPO, "refs/heads/feature", clock.instant(), 300);
        Response r = expect(403, tok("LOCK", "/tf/default/prod-net", lockInfo("l"), feature));
        assertThat(r.body()).contains(NO_POLICY).doesNotContain("deploy-main").doesNotContain(MAIN);
    }

    @Test
    void anUnsignedTokenIsRefused() {
        deployMain();
        JWTClaimsSet claims = ci.claims("repo:" + REPO + ":ref:" + MAIN, clock.instant(), 300)
                .claim("repository", REPO)
                .claim("ref", MAIN)
                .build();
        String unsigned = new PlainJWT(claims).serialize();
        assertThat(unsigned).as("alg none").startsWith("eyJ");
        Response r = expect(403, tok("GET", "/tf/default/prod-net", null, unsigned));
        assertThat(r.body()).contains("invalid OIDC token");
    }

    @Test
    void anHs256TokenSignedWithThePublicKeyIsRefused() throws Exception {
        deployMain();
        JWTClaimsSet claims = ci.claims("repo:" + REPO + ":ref:" + MAIN, clock.instant(), 300)
                .claim("repository", REPO)
                .claim("ref", MAIN)
                .build();
        SignedJWT forged = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.HS256)
                        .keyID(ci.rsaKey().getKeyID())
                        .build(),
                claims);
        forged.sign(new MACSigner(ci.rsaKey().toRSAPublicKey().getEncoded()));
        Response r = expect(403, tok("POST", "/tf/default/prod-net", state(1, "forged"), forged.serialize()));
        assertThat(r.body()).contains("invalid OIDC token").contains("HS256");
    }

    @Test
    void aTokenOfAnotherConfiguredIssuerMatchesNoPolicyOfThisOne() {
        deployMain();
        String fromOther = other.github(REPO, MAIN, clock.instant(), 300);
        Response r = expect(403, tok("GET", "/tf/default/prod-net", null, fromOther));
        assertThat(r.body()).contains(NO_POLICY);
    }

    @Test
    void aTokenForAnotherAudienceIsRefused() {
        deployMain();
        String jwt = ci.signRs256(ci.claims("repo:" + REPO + ":ref:" + MAIN, clock.instant(), 300)
                .audience("some-other-service")
                .claim("repository", REPO)
                .claim("ref", MAIN)
                .build());
        assertThat(expect(403, tok("GET", "/tf/default/prod-net", null, jwt)).body())
                .contains("aud");
    }

    @Test
    void aTokenNotValidYetIsRefused() {
        deployMain();
        Instant later = clock.instant().plus(Duration.ofMinutes(5));
        String jwt = ci.signRs256(ci.claims("repo:" + REPO + ":ref:" + MAIN, clock.instant(), 600)
                .notBeforeTime(java.util.Date.from(later))
                .claim("repository", REPO)
                .claim("ref", MAIN)
                .build());
        assertThat(expect(403, tok("GET", "/tf/default/prod-net", null, jwt)).body())
                .contains("nbf");
    }

    @Test
    void aPolicyOfOneProjectGrantsNothingOnAnother() {
        node.project().projects().create("other");
        deployMain();
        expect(403, tok("POST", "/tf/other/prod-net", state(1, "x"), mainToken(300)));
        expect(403, tok("GET", "/api/v1/projects/other/states", null, mainToken(300)));
    }

    @Test
    void aStatesGlobThatDoesNotCoverTheStateGrantsNothing() {
        deployMain();
        assertThat(expect(403, tok("POST", "/tf/default/dev-net", state(1, "x"), mainToken(300)))
                        .body())
                .contains(NO_POLICY);
    }

    @Test
    void aClaimValueMatchesAsAWholeNeverAsAPrefix() {
        deployMain();
        for (String repository : List.of("acme/infra-old", "acme/inf", "acme/infra/x")) {
            String jwt = ci.github(repository, MAIN, clock.instant(), 300);
            expect(403, tok("GET", "/tf/default/prod-net", null, jwt));
        }
    }

    @Test
    void anIssuerThatIsDownMakesItsTokensFailWith503WhileTokensWork() {
        policy("default", "from-down", "down", Map.of("repository", REPO), "write", "*");
        Response r = tok("GET", "/tf/default/prod-net", null, down.github(REPO, MAIN, clock.instant(), 300));
        assertThat(r.status()).as(r.toString()).isEqualTo(503);
        assertThat(r.header("Retry-After")).isNotNull();
        assertThat(r.body()).contains("down");
        expect(200, tok("GET", "/api/v1/projects", null, rootToken));
        JsonNode issuers = expect(200, tok("GET", "/api/v1/oidc/issuers", null, rootToken))
                .json()
                .path("items");
        JsonNode downView = null;
        for (JsonNode i : issuers) {
            if (i.path("name").asText().equals("down")) {
                downView = i;
            }
        }
        assertThat(downView).isNotNull();
        assertThat(downView.path("status").asText()).isEqualTo("unavailable");
        assertThat(downView.path("lastError").asText()).contains("503");
    }

    @Test
    void aRotatedKeyIsFetchedAgainAndThenAccepted() throws Exception {
        deployMain();
        expect(200, tok("GET", "/api/v1/projects/default/states", null, rootToken));
        expect(404, tok("GET", "/tf/default/prod-rot", null, mainToken(600))); // keys fetched; no content yet
        int fetches = ci.jwksFetches();
        ci.rotate();
        clock.advance(Duration.ofSeconds(31)); // an unknown key is looked up at most once per 30 s
        expect(404, tok("GET", "/tf/default/prod-rot", null, mainToken(600)));
        assertThat(ci.jwksFetches()).isGreaterThan(fetches);
    }

    // ---- expiry and the lock grace ----------------------------------------------------------------

    /** Issue 30: the same grace through the TFE API, where no request carries the lock's ID. */
    @Test
    void aCloudBlockApplyOutlivesItsTokenUnderTheWorkspaceLockItTook() throws Exception {
        deployMain();
        expect(
                201,
                tok(
                        "POST",
                        "/api/v2/organizations/default/workspaces",
                        "{\"data\":{\"type\":\"workspaces\",\"attributes\":{\"name\":\"prod-tfe\"}}}",
                        rootToken));
        String ws = "/api/v2/workspaces/ws-"
                + java.util.Base64.getUrlEncoder()
                        .withoutPadding()
                        .encodeToString("default/prod-tfe".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        String jwt = mainToken(60);
        expect(200, tok("POST", ws + "/actions/lock", "", jwt));
        clock.advance(Duration.ofMinutes(30)); // the token expired long ago; the apply goes on

        expect(404, tok("GET", ws + "/current-state-version", null, jwt)); // read under the lock: no state yet
        String body = state(1, "during");
        String md5 = java.util.HexFormat.of()
                .formatHex(java.security.MessageDigest.getInstance("MD5")
                        .digest(body.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        JsonNode declared = expect(
                        201,
                        tok(
                                "POST",
                                ws + "/state-versions",
                                "{\"data\":{\"attributes\":{\"serial\":1,\"lineage\":\"lin-acc\",\"md5\":\"" + md5
                                        + "\"}}}",
                                jwt))
                .json()
                .path("data");
        String upload =
                declared.path("attributes").path("hosted-state-upload-url").asText();
        expect(200, send("PUT", upload.substring(upload.indexOf("/api/v2/")), body, Map.of()));
        expect(200, tok("GET", "/api/v2/state-versions/" + declared.path("id").asText(), null, jwt));
        expect(401, tok("GET", ws, null, jwt)); // not one of the apply's requests
        expect(401, tok("POST", ws + "/actions/lock", "", jwt));
        expect(200, tok("POST", ws + "/actions/unlock", "", jwt));

        expect(401, tok("GET", ws + "/current-state-version", null, jwt)); // no lock: the grace is over
        assertThat(content("default", "prod-tfe")).contains("during");
    }

    @Test
    void anExpiredTokenIs401() {
        deployMain();
        String jwt = mainToken(60);
        clock.advance(Duration.ofSeconds(121)); // past exp and the 60 s of clock skew
        Response r = expect(401, tok("LOCK", "/tf/default/prod-net", lockInfo("late"), jwt));
        assertThat(r.body()).contains("expired");
    }

    @Test
    void anApplyOutlivesItsTokenUnderTheLockItTookAndNothingElse() {
        deployMain();
        expect(200, tok("POST", "/tf/default/prod-other", state(1, "x"), rootToken));
        String jwt = mainToken(60);
        expect(200, tok("LOCK", "/tf/default/prod-net", lockInfo("apply-1"), jwt));
        expect(200, tok("POST", "/tf/default/prod-net?ID=apply-1", state(1, "before"), jwt));
        clock.advance(Duration.ofMinutes(30)); // the token expired long ago; the apply goes on

        expect(200, tok("GET", "/tf/default/prod-net", null, jwt));
        expect(200, tok("POST", "/tf/default/prod-net?ID=apply-1", state(2, "during"), jwt));
        expect(401, tok("POST", "/tf/default/prod-net?ID=other-lock", state(3, "x"), jwt));
        expect(401, tok("POST", "/tf/default/prod-net", state(3, "x"), jwt));
        expect(401, tok("LOCK", "/tf/default/prod-net", lockInfo("apply-2"), jwt));
        expect(401, tok("GET", "/tf/default/prod-other", null, jwt));
        expect(401, tok("GET", "/api/v1/projects/default/states/prod-net/versions", null, jwt));
        expect(200, tok("UNLOCK", "/tf/default/prod-net", lockInfo("apply-1"), jwt));

        expect(401, tok("GET", "/tf/default/prod-net", null, jwt)); // no lock: the grace is over
        assertThat(content("default", "prod-net")).contains("during");
    }

    @Test
    void theGraceEndsWithTheLockGraceAndWithThePolicy() {
        String policyId = deployMain();
        String jwt = mainToken(60);
        expect(200, tok("LOCK", "/tf/default/prod-net", lockInfo("apply-1"), jwt));
        clock.advance(Duration.ofMinutes(10));
        expect(200, tok("POST", "/tf/default/prod-net?ID=apply-1", state(1, "a"), jwt));

        expect(204, tok("DELETE", "/api/v1/projects/default/trust-policies/" + policyId, null, rootToken));
        expect(403, tok("POST", "/tf/default/prod-net?ID=apply-1", state(2, "b"), jwt)); // no policy matches now

        deployMain();
        expect(200, tok("POST", "/tf/default/prod-net?ID=apply-1", state(2, "b"), jwt));
        clock.advance(Duration.ofHours(2)); // jwt-lock-grace: 2 h after the lock was taken
        expect(401, tok("POST", "/tf/default/prod-net?ID=apply-1", state(3, "c"), jwt));
    }

    @Test
    void anExpiredTokenReleasesOnlyTheLockItTookNeverWhateverIsHeld() {
        deployMain();
        String jwt = mainToken(60);
        expect(200, tok("LOCK", "/tf/default/prod-net", lockInfo("apply-1"), jwt));
        clock.advance(Duration.ofMinutes(5));
        expect(401, tok("UNLOCK", "/tf/default/prod-net", "", jwt)); // Terraform's force-unlock: not in the grace
        expect(401, tok("UNLOCK", "/tf/default/prod-net", lockInfo("someone-else"), jwt));
        assertThat(expect(200, tok("GET", "/api/v1/projects/default/states/prod-net/lock", null, rootToken))
                        .json()
                        .path("locked")
                        .asBoolean())
                .isTrue();
        expect(200, tok("UNLOCK", "/tf/default/prod-net", lockInfo("apply-1"), jwt));
    }

    @Test
    void keysPastTheirTimeStayInUseWhileTheIssuerIsDownThenItsTokensGet503() {
        deployMain();
        expect(404, tok("GET", "/tf/default/prod-stale", null, mainToken(3600)));
        ci.down(true);
        try {
            clock.advance(Duration.ofMinutes(6)); // past the keys' five minutes: a refresh fails
            expect(404, tok("GET", "/tf/default/prod-stale", null, mainToken(3600)));
            JsonNode issuers = expect(200, tok("GET", "/api/v1/oidc/issuers", null, rootToken))
                    .json()
                    .path("items");
            assertThat(issuers.toString()).contains("\"stale\"");
            clock.advance(Duration.ofHours(1)); // past the hour stale keys are kept
            Response down = tok("GET", "/tf/default/prod-stale", null, mainToken(3600));
            assertThat(down.status()).as(down.toString()).isEqualTo(503);
        } finally {
            ci.down(false);
        }
        clock.advance(Duration.ofSeconds(31));
        expect(404, tok("GET", "/tf/default/prod-stale", null, mainToken(3600)));
    }

    @Test
    void aLockTakenWithAnotherTokenGivesAnExpiredOneNoGrace() {
        deployMain();
        String expiring = mainToken(60);
        String fresh = mainToken(3600);
        expect(200, tok("LOCK", "/tf/default/prod-net", lockInfo("apply-1"), fresh));
        clock.advance(Duration.ofMinutes(5));
        expect(401, tok("POST", "/tf/default/prod-net?ID=apply-1", state(1, "x"), expiring));
        expect(200, tok("POST", "/tf/default/prod-net?ID=apply-1", state(1, "x"), fresh));
    }

    // ---- trust policy administration ------------------------------------------------------------

    @Test
    void policiesAreListedShownDeletedAndAudited() {
        String id = deployMain();
        JsonNode listed = expect(200, tok("GET", "/api/v1/projects/default/trust-policies", null, rootToken))
                .json()
                .path("items");
        assertThat(listed).hasSize(1);
        JsonNode shown = expect(200, tok("GET", "/api/v1/projects/default/trust-policies/" + id, null, rootToken))
                .json();
        assertThat(shown.path("claims").path("ref").asText()).isEqualTo(MAIN);
        assertThat(shown.path("states").asText()).isEqualTo("prod-*");
        assertThat(shown.path("permission").asText()).isEqualTo("write");
        expect(204, tok("DELETE", "/api/v1/projects/default/trust-policies/" + id, null, rootToken));
        expect(404, tok("GET", "/api/v1/projects/default/trust-policies/" + id, null, rootToken));
        assertThat(audit("project=default&action=trust.policy.create")).hasSize(1);
        assertThat(audit("project=default&action=trust.policy.delete")).hasSize(1);
    }

    @Test
    void aPolicyForAnUnconfiguredIssuerAdminPermissionOrNoClaimIsRefused() {
        String base = "/api/v1/projects/default/trust-policies";
        Response unknown = tok(
                "POST",
                base,
                "{\"name\":\"x\",\"issuer\":\"gitlab\",\"claims\":{\"ref\":\"main\"},\"permission\":\"write\"}",
                rootToken);
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.body()).contains("'gitlab'");
        expect(
                400,
                tok(
                        "POST",
                        base,
                        "{\"name\":\"x\",\"issuer\":\"ci\",\"claims\":{\"ref\":\"main\"},\"permission\":\"admin\"}",
                        rootToken));
        expect(
                400,
                tok(
                        "POST",
                        base,
                        "{\"name\":\"x\",\"issuer\":\"ci\",\"claims\":{},\"permission\":\"read\"}",
                        rootToken));
        for (String claims :
                List.of("{\"ref\":\"refs/heads/main\"}", "{\"repository\":\"*/infra\"}", "{\"aud\":\"x\"}")) {
            Response unsafe = tok(
                    "POST",
                    base,
                    "{\"name\":\"x\",\"issuer\":\"ci\",\"claims\":" + claims + ",\"permission\":\"read\"}",
                    rootToken);
            assertThat(unsafe.status()).as(claims).isEqualTo(400);
            assertThat(unsafe.body()).contains("whose job it is");
        }
        expect(
                400,
                tok(
                        "POST",
                        base,
                        "{\"name\":\"x\",\"issuer\":\"ci\",\"claims\":{\"sub\":\"*\"},\"permission\":\"read\"}",
                        rootToken));
        String writer = node.access()
                .tokens()
                .create("default", dev.statefort.core.model.Permission.WRITE, "w")
                .token();
        expect(
                403,
                tok(
                        "POST",
                        base,
                        "{\"name\":\"x\",\"issuer\":\"ci\",\"claims\":{\"ref\":\"main\"},\"permission\":\"read\"}",
                        writer));
    }

    @Test
    void theIssuerListIsForGlobalAdminsAndHoldsNoSecret() {
        String projectAdmin = node.access()
                .tokens()
                .create("default", dev.statefort.core.model.Permission.ADMIN, "pa")
                .token();
        expect(403, tok("GET", "/api/v1/oidc/issuers", null, projectAdmin));
        JsonNode items = expect(200, tok("GET", "/api/v1/oidc/issuers", null, rootToken))
                .json()
                .path("items");
        assertThat(items).hasSize(3);
        assertThat(items.toString()).contains(ci.issuer()).contains(FakeOidcIssuer.AUDIENCE);
    }

    // ---- the UI's page: the same use case ------------------------------------------------------------

    @Test
    void theUiCreatesListsAndDeletesPoliciesUnderTheSameRules() {
        Session alice = memberSession("default", "alice", "admin");
        Map<String, String> form = Map.of(
                "Cookie", "statefort_session=" + alice.cookie(), "Content-Type", "application/x-www-form-urlencoded");
        String body = "_csrf=" + enc(alice.csrf()) + "&name=ui-deploy&issuer=ci&claims="
                + enc("repository=" + REPO + "\nref=" + MAIN) + "&permission=write&states=" + enc("prod-*");
        Response created = send("POST", "/ui/projects/default/trust-policies", body, form);
        assertThat(created.status()).as(created.toString()).isIn(302, 303);

        String page = expect(200, cookieOnly(alice, "GET", "/ui/projects/default/trust-policies", null))
                .body();
        assertThat(page).contains("ui-deploy").contains("ref=" + MAIN).contains("prod-*");
        expect(200, tok("POST", "/tf/default/prod-ui", state(1, "ui"), mainToken(300)));
        assertThat(expect(200, cookieOnly(alice, "GET", "/ui/audit?project=default", null))
                        .body())
                .as("the audit page shows the job's identity, not a hash")
                .contains("oidc:ci:repo:" + REPO + ":ref:" + MAIN)
                .contains("ui-deploy");
        JsonNode event = audit("project=default&action=trust.policy.create").getFirst();
        assertThat(event.path("principal").asText()).isEqualTo("user:alice");

        Response unknownIssuer = send(
                "POST",
                "/ui/projects/default/trust-policies",
                "_csrf=" + enc(alice.csrf()) + "&name=x&issuer=gitlab&claims=ref%3Dmain&permission=read",
                form);
        assertThat(unknownIssuer.status()).isEqualTo(400);

        String id = expect(200, tok("GET", "/api/v1/projects/default/trust-policies", null, rootToken))
                .json()
                .path("items")
                .get(0)
                .path("id")
                .asText();
        Response deleted = send(
                "POST", "/ui/projects/default/trust-policies/" + id + "/delete", "_csrf=" + enc(alice.csrf()), form);
        assertThat(deleted.status()).as(deleted.toString()).isIn(302, 303);
        expect(403, tok("POST", "/tf/default/prod-ui", state(2, "x"), mainToken(300)));
        assertThat(audit("project=default&action=trust.policy.delete")).hasSize(1);
    }
}
