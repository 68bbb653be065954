package dev.statefort.core.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TfeStateSourceTest {
    private FakeTfe tfe;

    @BeforeEach
    void start() throws IOException {
        tfe = new FakeTfe();
    }

    @AfterEach
    void stop() {
        tfe.close();
    }

    private TfeStateSource source(String workspace, String token) {
        return new TfeStateSource(tfe.base(), FakeTfe.ORG, workspace, token);
    }

    @Test
    void everyWorkspaceIsAStateWithItsVersionsOldestFirstAcrossPages() throws IOException {
        try (TfeStateSource source = source(null, FakeTfe.TOKEN)) {
            List<SourceState> states = source.states();

            assertThat(states).extracting(SourceState::name).containsExactly("app", "network");
            assertThat(states).extracting(SourceState::origin).containsExactly("tfe:acme/app", "tfe:acme/network");
            assertThat(states.getFirst().tags()).as("the workspace's tags").containsExactly("team-app", "from-hcp");
            for (SourceState state : states) {
                List<SourceVersion> versions = state.versions().list();
                List<FakeTfe.Version> expected = tfe.versions.get(state.name());
                // the pending version of app (no download URL) is left out
                assertThat(versions).hasSize(3);
                assertThat(versions)
                        .extracting(SourceVersion::createdAt)
                        .containsExactlyElementsOf(expected.stream()
                                .map(FakeTfe.Version::createdAt)
                                .toList());
                assertThat(versions)
                        .extracting(TfeStateSourceTest::body)
                        .containsExactlyElementsOf(
                                expected.stream().map(FakeTfe.Version::body).toList());
                assertThat(versions.getFirst().origin())
                        .contains(expected.getFirst().id());
            }
        }
        // one item per page: 2 workspace pages, 3 + 4 state version pages, each with the filters
        assertThat(tfe.requestsTo("api", "/api/v2/organizations/acme/workspaces"))
                .extracting(r -> r.query().get("page[number]"))
                .containsExactly("1", "2");
        assertThat(tfe.requestsTo("api", "/api/v2/state-versions")).hasSize(7).allSatisfy(r -> {
            assertThat(r.query()).containsEntry("filter[organization][name]", "acme");
            assertThat(r.authorization()).isEqualTo("Bearer " + FakeTfe.TOKEN);
            assertThat(r.contentType()).isEqualTo("application/vnd.api+json");
        });
        // the token goes to the API's own origin, never to another host's download URL
        assertThat(tfe.requestsTo("api", "/_archivist/")).hasSize(3).allSatisfy(r -> assertThat(r.authorization())
                .isEqualTo("Bearer " + FakeTfe.TOKEN));
        assertThat(tfe.requestsTo("archivist", "/")).hasSize(3).allSatisfy(r -> assertThat(r.authorization())
                .isNull());
    }

    @Test
    void sortsBySerialThenCreationTimeWhateverTheApiOrder() throws IOException {
        try (TfeStateSource source = source("app", FakeTfe.TOKEN)) {
            List<SourceVersion> versions = source.states().getFirst().versions().list();

            assertThat(versions)
                    .extracting(SourceVersion::origin)
                    .containsExactly(
                            "tfe:acme/app sv-a1 (serial 5)",
                            "tfe:acme/app sv-a2 (serial 6)",
                            "tfe:acme/app sv-a3 (serial 9)");
            assertThat(versions.getLast().createdAt()).isEqualTo(Instant.parse("2024-03-15T23:59:59Z"));
        }
    }

    @Test
    void oneWorkspaceWhenAsked() throws IOException {
        try (TfeStateSource source = source("network", FakeTfe.TOKEN)) {
            List<SourceState> states = source.states();

            assertThat(states).extracting(SourceState::name).containsExactly("network");
            assertThat(body(states.getFirst().versions().list().getLast()))
                    .isEqualTo(tfe.versions.get("network").getLast().body());
            assertThat(source.describe()).contains("acme", "network", tfe.base().toString());
        }
        assertThat(tfe.requestsTo("api", "/api/v2/state-versions"))
                .allSatisfy(r -> assertThat(r.query()).containsEntry("filter[workspace][name]", "network"));
    }

    @Test
    void anUnknownWorkspaceIsAnError() {
        try (TfeStateSource source = source("nope", FakeTfe.TOKEN)) {
            assertThatThrownBy(source::states)
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("workspace nope not found in organization acme");
        }
    }

    @Test
    void anUnknownOrganizationIsAnError() {
        try (TfeStateSource source = new TfeStateSource(tfe.base(), "other", null, FakeTfe.TOKEN)) {
            assertThatThrownBy(source::states)
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("organization other")
                    .hasMessageContaining("not found");
        }
    }

    @Test
    void aRefusedTokenIsNamedWithoutTheToken() {
        String wrong = "wrong-secret-token-42";
        try (TfeStateSource source = source(null, wrong)) {
            assertThatThrownBy(source::states)
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("token refused by " + tfe.base())
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain(wrong));
            assertThat(source.describe()).doesNotContain(wrong);
            assertThat(source.toString()).doesNotContain(wrong);
        }
        assertThat(tfe.requestsTo("api", "/")).first().satisfies(r -> assertThat(r.authorization())
                .isEqualTo("Bearer " + wrong));
    }

    @Test
    void waitsOutRateLimitsUpToThreeRetries() throws IOException {
        tfe.rateLimitWorkspaces.set(3);
        try (TfeStateSource source = source("network", FakeTfe.TOKEN)) {
            assertThat(source.states()).extracting(SourceState::name).containsExactly("network");
        }
        // 3 refused + 2 pages
        assertThat(tfe.requestsTo("api", "/api/v2/organizations/")).hasSize(5);

        tfe.requests.clear();
        tfe.rateLimitWorkspaces.set(4);
        try (TfeStateSource source = source("network", FakeTfe.TOKEN)) {
            assertThatThrownBy(source::states).isInstanceOf(IOException.class).hasMessageContaining("rate limited");
        }
        assertThat(tfe.requestsTo("api", "/api/v2/organizations/")).hasSize(4);
    }

    private static String body(SourceVersion version) {
        try (InputStream in = version.body().open()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
