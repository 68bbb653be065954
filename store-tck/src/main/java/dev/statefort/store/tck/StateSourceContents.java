package dev.statefort.store.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.statefort.core.transfer.SourceState;
import dev.statefort.core.transfer.SourceVersion;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the import sources of the store modules' tests found: bodies by state name. */
public final class StateSourceContents {
    private StateSourceContents() {}

    /** A version's body as text. */
    public static String read(SourceVersion version) throws IOException {
        try (InputStream in = version.body().open()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Each state's only version's body by state name (asserting there is exactly one version). */
    public static Map<String, String> byName(List<SourceState> states) throws IOException {
        Map<String, String> byName = new LinkedHashMap<>();
        for (SourceState state : states) {
            List<SourceVersion> versions = state.versions().list();
            assertThat(versions).as(state.name()).hasSize(1);
            byName.put(state.name(), read(versions.getFirst()));
        }
        return byName;
    }
}
