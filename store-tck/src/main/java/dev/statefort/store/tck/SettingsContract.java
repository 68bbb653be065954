package dev.statefort.store.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.statefort.core.model.ProjectNotFoundException;
import dev.statefort.core.model.StateKey;
import org.junit.jupiter.api.Test;

/** Project and state settings documents. A group of {@link MetadataStoreContract}. */
public abstract class SettingsContract extends MetadataStoreContractGroup {
    @Test
    void projectSettingsAreEmptyUntilSavedAndLastWriteWins() {
        store.createProject(PROJECT, T0);
        store.createProject("q", T0);
        assertThat(store.findProjectSettings(PROJECT)).isEmpty();
        store.saveProjectSettings(PROJECT, "{\"retention\":{\"keepVersions\":5}}", at(1));
        assertThat(store.findProjectSettings(PROJECT)).contains("{\"retention\":{\"keepVersions\":5}}");
        String unicode = "{\"note\":\"ünïcode ✓ \\\"quoted\\\"\"}";
        store.saveProjectSettings(PROJECT, unicode, at(2));
        assertThat(store.findProjectSettings(PROJECT)).contains(unicode);
        assertThat(store.findProjectSettings("q")).isEmpty();
        assertThat(store.findProjectSettings("nope")).isEmpty();
    }

    @Test
    void saveProjectSettingsOfMissingProjectThrows() {
        assertThatThrownBy(() -> store.saveProjectSettings("nope", "{}", T0))
                .isInstanceOf(ProjectNotFoundException.class);
        assertThat(store.findProjectSettings("nope")).isEmpty();
    }

    @Test
    void stateSettingsCreateTheStateRowAndLastWriteWins() {
        StateKey key = state("s");
        assertThat(store.findStateSettings(key)).isEmpty();
        store.saveStateSettings(key, "{\"permit\":\"destroy\"}", at(1));
        assertThat(store.findState(key)).isPresent();
        assertThat(store.findState(key).orElseThrow().head()).isNull();
        assertThat(store.findStateSettings(key)).contains("{\"permit\":\"destroy\"}");
        store.saveStateSettings(key, "{}", at(2));
        assertThat(store.findStateSettings(key)).contains("{}");
        assertThat(store.findStateSettings(state("other"))).isEmpty();
        assertThat(store.findProjectSettings(PROJECT)).isEmpty();
        assertThat(commit(key, "k1", at(3), null).number()).isEqualTo(1);
    }

    @Test
    void saveStateSettingsOfMissingProjectThrowsAndCreatesNothing() {
        StateKey key = new StateKey("nope", "s");
        assertThatThrownBy(() -> store.saveStateSettings(key, "{}", T0)).isInstanceOf(ProjectNotFoundException.class);
        assertThat(store.findState(key)).isEmpty();
        assertThat(store.findStateSettings(key)).isEmpty();
    }

    @Test
    void replaceStateSettingsChangesThemOnlyIfTheyAreStillWhatWasRead() {
        StateKey key = state("s");
        assertThat(store.replaceStateSettings(key, "{\"a\":0}", "{\"a\":1}", T0))
                .as("none yet: expecting some fails")
                .isFalse();
        assertThat(store.replaceStateSettings(key, null, "{\"a\":1}", T0))
                .as("the first")
                .isTrue();
        assertThat(store.findState(key)).as("the state row is created").isPresent();
        assertThat(store.replaceStateSettings(key, null, "{\"a\":2}", T0))
                .as("someone saved the first meanwhile")
                .isFalse();
        assertThat(store.replaceStateSettings(key, "{\"a\":0}", "{\"a\":2}", T0))
                .isFalse();
        assertThat(store.findStateSettings(key)).contains("{\"a\":1}");
        assertThat(store.replaceStateSettings(key, "{\"a\":1}", "{\"a\":2}", T0))
                .isTrue();
        assertThat(store.findStateSettings(key)).contains("{\"a\":2}");
        assertThatThrownBy(() -> store.replaceStateSettings(new StateKey("nope", "s"), null, "{}", T0))
                .isInstanceOf(ProjectNotFoundException.class);
    }

    @Test
    void listStateSettingsReadsAProjectsStatesThatHaveSome() {
        StateKey a = state("a");
        StateKey b = state("b");
        state("c");
        store.createState(new StateKey(PROJECT, "c"), T0);
        store.saveStateSettings(a, "{\"x\":1}", T0);
        store.saveStateSettings(b, "{\"x\":2}", T0);
        store.createProject("q", T0);
        store.saveStateSettings(new StateKey("q", "a"), "{\"x\":3}", T0);
        assertThat(store.listStateSettings(PROJECT))
                .containsExactlyInAnyOrderEntriesOf(java.util.Map.of("a", "{\"x\":1}", "b", "{\"x\":2}"));
        assertThat(store.listStateSettings("nope")).isEmpty();
    }

    @Test
    void deleteStateRemovesItsSettings() {
        StateKey key = state("s");
        StateKey other = state("other");
        commitMany(key, 1);
        store.saveStateSettings(key, "{\"a\":1}", at(1));
        store.saveStateSettings(other, "{\"b\":2}", at(1));
        store.deleteState(key, null);
        assertThat(store.findStateSettings(key)).isEmpty();
        commit(key, "again", at(2), null);
        assertThat(store.findStateSettings(key)).isEmpty();
        assertThat(store.findStateSettings(other)).contains("{\"b\":2}");
    }
}
