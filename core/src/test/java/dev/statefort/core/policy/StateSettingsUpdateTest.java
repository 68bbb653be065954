package dev.statefort.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.statefort.core.model.StateKey;
import dev.statefort.core.spi.SettingsStore;
import dev.statefort.core.testing.InMemoryMetadataStore;
import dev.statefort.core.testing.TestClock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * One state's settings hold both an admin's outputs access and a TFE client's tags: a change of one
 * made between another's read and write is kept, never undone (a conditional write, again on a race).
 */
class StateSettingsUpdateTest {
    private static final StateKey KEY = new StateKey("p", "net");

    @Test
    void aChangeMadeBetweenTheReadAndTheWriteIsKept() {
        TestClock clock = new TestClock();
        InMemoryMetadataStore store = new InMemoryMetadataStore();
        store.createProject("p", clock.instant());
        SettingsStore interfering = new SettingsStore() {
            private boolean interfered;

            @Override
            public Optional<String> findStateSettings(StateKey key) {
                Optional<String> seen = store.findStateSettings(key);
                if (!interfered) {
                    interfered = true; // an admin shares an output right after this read
                    store.saveStateSettings(
                            key,
                            SettingsService.write(StateSettings.NONE.withOutputsAccess(List.of("vpc_id"), null)),
                            clock.instant());
                }
                return seen;
            }

            @Override
            public java.util.Map<String, String> listStateSettings(String project) {
                return store.listStateSettings(project);
            }

            @Override
            public boolean replaceStateSettings(StateKey key, String expected, String json, Instant now) {
                return store.replaceStateSettings(key, expected, json, now);
            }

            @Override
            public void saveStateSettings(StateKey key, String json, Instant now) {
                store.saveStateSettings(key, json, now);
            }

            @Override
            public Optional<String> findProjectSettings(String project) {
                return store.findProjectSettings(project);
            }

            @Override
            public void saveProjectSettings(String project, String json, Instant now) {
                store.saveProjectSettings(project, json, now);
            }
        };
        SettingsService settings = new SettingsService(interfering, clock);

        StateSettings saved = settings.updateState(KEY, s -> s.withWorkspace(List.of("team-a"), "1.11.4"));

        assertThat(saved.tagList()).containsExactly("team-a");
        assertThat(saved.outputsAllowed())
                .as("the admin's change, made meanwhile")
                .containsExactly("vpc_id");
        StateSettings stored = settings.state(KEY);
        assertThat(stored).isEqualTo(saved);
    }
}
