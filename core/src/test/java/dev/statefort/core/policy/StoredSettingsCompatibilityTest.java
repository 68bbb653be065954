package dev.statefort.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.statefort.core.InvalidInputException;
import dev.statefort.core.model.StateKey;
import dev.statefort.core.testing.InMemoryMetadataStore;
import dev.statefort.core.testing.TestClock;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Nodes of two versions share the settings documents during a rolling upgrade: a field never set is
 * not written (an older node would not know it), and a field a newer node wrote is ignored when read.
 * What a client sends stays strict: an unknown field is a 400.
 */
class StoredSettingsCompatibilityTest {
    @Test
    void fieldsNeverSetAreNotWrittenAndUnknownStoredFieldsAreIgnored() {
        String defaults = SettingsService.write(ProjectSettings.DEFAULTS);
        assertThat(defaults).doesNotContain("snapshotIntervalSeconds").doesNotContain("keepDays");
        assertThat(SettingsService.write(StateSettings.NONE.withOutputsAccess(List.of("vpc"), null)))
                .doesNotContain("tags")
                .doesNotContain("terraformVersion");

        TestClock clock = new TestClock();
        InMemoryMetadataStore store = new InMemoryMetadataStore();
        store.createProject("p", clock.instant());
        store.saveProjectSettings(
                "p",
                "{\"keepVersions\":7,\"guard\":\"WARN\",\"guardRemovalPercent\":50,\"lockStaleMinutes\":60,"
                        + "\"aFieldOfANewerVersion\":1}",
                clock.instant());
        store.saveStateSettings(new StateKey("p", "s"), "{\"tags\":[\"a\"],\"somethingNewer\":true}", clock.instant());
        SettingsService settings = new SettingsService(store, clock);
        assertThat(settings.project("p").keepVersions()).isEqualTo(7);
        assertThat(settings.state(new StateKey("p", "s")).tagList()).containsExactly("a");

        assertThatThrownBy(() -> SettingsService.parse("{\"keepVersions\":7,\"nope\":1}", ProjectSettings.class))
                .isInstanceOf(InvalidInputException.class);
    }
}
