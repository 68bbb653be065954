package dev.statefort.server.http.access;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.statefort.server.cli.StatefortCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The audit log of real backend traffic: API filters and paging, no secrets, and {@code statefort audit export}. */
class AuditAccessTest extends AccessFixture {

    /** Moves the clock so that each event has its own time (events of one millisecond have no fixed order). */
    private void tick() {
        clock.advance(Duration.ofSeconds(1));
    }

    private static List<String> summary(List<JsonNode> events) {
        List<String> lines = new ArrayList<>();
        for (JsonNode e : events) {
            lines.add(e.path("action").asText() + " " + e.path("outcome").asText()
                    + (e.path("version").isNull()
                            ? ""
                            : " v" + e.path("version").asLong()));
        }
        return lines;
    }

    @Test
    void aBackendCycleIsAuditedWithSourceOutcomeAndVersion() {
        Session walt = memberSession("default", "walt", "writer");
        String w = ownToken(walt, "default", null, "write");
        String other = tok("POST", "/api/v1/tokens", "{\"project\":\"default\",\"permission\":\"write\"}", rootToken)
                .json()
                .path("token")
                .asText();
        tick();
        expect(200, basic("POST", "/tf/default/app", state(1, "one"), "terraform", w));
        tick();
        expect(200, basic("LOCK", "/tf/default/app", lockInfo("l-1"), "terraform", w));
        tick();
        assertThat(tok("POST", "/tf/default/app", state(2, "intruder"), other).status())
                .isEqualTo(423);
        tick();
        expect(200, basic("POST", "/tf/default/app?ID=l-1", state(2, "two"), "terraform", w));
        tick();
        expect(200, basic("UNLOCK", "/tf/default/app", lockInfo("l-1"), "terraform", w));
        tick();
        expect(200, tok("LOCK", "/tf/default/app", lockInfo("l-2"), other));
        tick();
        expect(200, tok("UNLOCK", "/tf/default/app", null, rootToken)); // force-unlock: no LockInfo
        tick();
        expect(200, tok("DELETE", "/tf/default/app", null, rootToken));

        List<JsonNode> events = audit("project=default&state=app");
        assertThat(summary(events))
                .containsExactly(
                        "state.delete ok",
                        "lock.force-unlock ok",
                        "lock.acquire ok",
                        "lock.release ok",
                        "state.write ok v2",
                        "state.write refused",
                        "lock.acquire ok",
                        "state.write ok v1");
        assertThat(events).allSatisfy(e -> {
            assertThat(e.path("sourceIp").asText()).isEqualTo("127.0.0.1");
            assertThat(e.path("project").asText()).isEqualTo("default");
            assertThat(e.path("state").asText()).isEqualTo("app");
            assertThat(Instant.parse(e.path("at").asText()))
                    .isAfter(clock.instant().minusSeconds(10));
        });
        String waltPrincipal = events.get(7).path("principal").asText();
        assertThat(waltPrincipal).startsWith("user:walt/token:");
        assertThat(events.get(5).path("principal").asText()).startsWith("token:");
        assertThat(events.get(5).path("detail").path("holder").asText()).isEqualTo("l-1");
        assertThat(events.get(1).path("principal").asText())
                .isEqualTo(events.get(0).path("principal").asText());
    }

    @Test
    void filtersByPrincipalTimeAndActionWorkWithPaging() {
        String a = tok("POST", "/api/v1/tokens", "{\"project\":\"default\",\"permission\":\"write\"}", rootToken)
                .json()
                .path("token")
                .asText();
        String b = tok("POST", "/api/v1/tokens", "{\"project\":\"default\",\"permission\":\"write\"}", rootToken)
                .json()
                .path("token")
                .asText();
        String aName = "token:" + a.split("_")[1];
        tick();
        Instant start = clock.instant();
        for (int i = 1; i <= 5; i++) {
            expect(200, tok("POST", "/tf/default/s" + i, state(1, "x"), a));
            tick();
            expect(200, tok("POST", "/tf/default/s" + i, state(2, "y"), b));
            tick();
        }
        expect(200, tok("LOCK", "/tf/default/s1", lockInfo("l-a"), a));

        List<JsonNode> byA = audit("principal=" + enc(aName));
        assertThat(byA)
                .hasSize(6)
                .allSatisfy(e -> assertThat(e.path("principal").asText()).isEqualTo(aName));
        assertThat(audit("principal=" + enc(aName) + "&action=state.write")).hasSize(5);
        assertThat(audit("action=lock.acquire"))
                .singleElement()
                .satisfies(e -> assertThat(e.path("principal").asText()).isEqualTo(aName));

        // from inclusive, to exclusive: the writes of rounds 2 and 3
        String from = start.plusSeconds(2).toString();
        String to = start.plusSeconds(6).toString();
        List<JsonNode> window = audit("action=state.write&from=" + enc(from) + "&to=" + enc(to));
        assertThat(window).extracting(e -> e.path("state").asText()).containsExactly("s3", "s3", "s2", "s2");

        // pages of 4, newest first, without gaps or overlaps
        List<String> all = new ArrayList<>();
        audit("action=state.write").forEach(e -> all.add(e.path("id").asText()));
        assertThat(all).hasSize(10);
        List<String> paged = new ArrayList<>();
        String before = null;
        for (int page = 0; page < 5; page++) {
            String q = "/api/v1/audit?action=state.write&limit=4" + (before == null ? "" : "&before=" + enc(before));
            JsonNode items = expect(200, tok("GET", q, null, rootToken)).json().path("items");
            if (items.isEmpty()) {
                break;
            }
            assertThat(items.size()).isLessThanOrEqualTo(4);
            items.forEach(e -> paged.add(e.path("id").asText()));
            before = items.get(items.size() - 1).path("id").asText();
        }
        assertThat(paged).containsExactlyElementsOf(all);
        assertThat(tok("GET", "/api/v1/audit?from=yesterday", null, rootToken).status())
                .isEqualTo(400);
    }

    @Test
    void noEventCarriesASecretAPasswordOrStateContent() throws Exception {
        String marker = "MARKER-" + java.util.UUID.randomUUID();
        user("alice", true);
        Session alice = login("alice", PASSWORD);
        assertThat(loginResponse("alice", "a wrong password " + marker).status())
                .isEqualTo(401);
        String token = ownToken(alice, "default", null, "write");
        JsonNode generated = expect(201, ui(alice, "POST", "/api/v1/users", "{\"name\":\"bob\"}"))
                .json();
        JsonNode alias = expect(201, ui(alice, "POST", "/api/v1/projects/default/aliases", "{\"state\":\"app\"}"))
                .json();
        expect(200, tok("POST", "/tf/default/app", state(1, marker), token));
        expect(204, ui(alice, "PUT", "/api/v1/users/bob/password", "{\"password\":\"" + marker + "\"}"));
        expect(
                200,
                ui(
                        alice,
                        "POST",
                        "/api/v1/projects/default/aliases/"
                                + alias.path("alias").path("id").asText() + "/rotate",
                        null));

        List<String> secrets = List.of(
                marker,
                PASSWORD,
                adminPassword,
                token.split("_")[2],
                rootToken.split("_")[2],
                generated.path("password").asText(),
                alias.path("password").asText(),
                alice.cookie(),
                alice.csrf());
        String api = expect(200, tok("GET", "/api/v1/audit?limit=1000", null, rootToken))
                .body();
        assertThat(api).contains("state.write", "token.create", "user.create", "user.password", "alias.rotate");
        Path file = tmp.resolve("audit.jsonl");
        assertThat(export("--output", file.toString())).isZero();
        String exported = Files.readString(file);
        assertThat(exported).contains("state.write", "login");
        for (String secret : secrets) {
            assertThat(api).doesNotContain(secret);
            assertThat(exported).doesNotContain(secret);
        }
        assertThat(api).doesNotContainPattern("[0-9a-f]{64}");
        assertThat(exported).doesNotContainPattern("[0-9a-f]{64}");
    }

    @Test
    void theCliExportWritesJsonLinesOldestFirst() throws Exception {
        for (int i = 1; i <= 3; i++) {
            tick();
            expect(200, tok("POST", "/tf/default/app", state(i, "v" + i), rootToken));
        }
        tick();
        expect(200, tok("LOCK", "/tf/default/app", lockInfo("l-1"), rootToken));
        List<JsonNode> newestFirst = audit("project=default");

        Path file = tmp.resolve("export.jsonl");
        assertThat(export("--output", file.toString(), "--project", "default")).isZero();
        List<String> lines = Files.readAllLines(file, UTF_8);
        assertThat(lines).hasSize(newestFirst.size());
        List<JsonNode> exported = new ArrayList<>();
        for (String line : lines) {
            exported.add(JSON.readTree(line));
        }
        for (int i = 0; i < exported.size(); i++) {
            JsonNode e = exported.get(i);
            assertThat(e.fieldNames())
                    .toIterable()
                    .contains(
                            "id",
                            "at",
                            "principal",
                            "sourceIp",
                            "action",
                            "outcome",
                            "project",
                            "state",
                            "version",
                            "detail");
            assertThat(e.path("id").asText())
                    .isEqualTo(newestFirst
                            .get(newestFirst.size() - 1 - i)
                            .path("id")
                            .asText());
            if (i > 0) {
                assertThat(e.path("id").asText())
                        .isGreaterThan(exported.get(i - 1).path("id").asText());
                assertThat(Instant.parse(e.path("at").asText()))
                        .isAfterOrEqualTo(
                                Instant.parse(exported.get(i - 1).path("at").asText()));
            }
        }
        List<JsonNode> writes = exported.stream()
                .filter(e -> e.path("action").asText().equals("state.write"))
                .toList();
        assertThat(writes).extracting(e -> e.path("version").asLong()).containsExactly(1L, 2L, 3L);
        assertThat(writes).allSatisfy(e -> {
            assertThat(e.path("sourceIp").asText()).isEqualTo("127.0.0.1");
            assertThat(e.path("outcome").asText()).isEqualTo("ok");
            assertThat(e.path("detail").isObject()).isTrue();
        });
        assertThat(exported.get(exported.size() - 1).path("action").asText()).isEqualTo("lock.acquire");

        Path filtered = tmp.resolve("writes.jsonl");
        assertThat(export("--output", filtered.toString(), "--action", "state.write"))
                .isZero();
        assertThat(Files.readAllLines(filtered, UTF_8)).hasSize(3);
    }

    /** Runs {@code statefort audit export --data-dir <dir> args...} in-process; returns the exit code. */
    private int export(String... args) {
        List<String> argv = new ArrayList<>(
                List.of("audit", "export", "--data-dir", dataDir().toString()));
        argv.addAll(List.of(args));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream original = System.out;
        try {
            System.setOut(new PrintStream(out, true, UTF_8));
            return StatefortCli.run(argv.toArray(String[]::new));
        } finally {
            System.setOut(original);
        }
    }
}
