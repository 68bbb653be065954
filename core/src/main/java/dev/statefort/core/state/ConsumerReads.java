package dev.statefort.core.state;

import dev.statefort.core.auth.Principal;
import dev.statefort.core.model.StateKey;

/**
 * Told of every read of a state's outputs by another party (an outputs credential, an alias, the TFE
 * outputs route), so a state's owner can see who depends on its outputs. Must return at once: it
 * runs on the reading request's thread.
 */
@FunctionalInterface
public interface ConsumerReads {
    /** How an outputs credential or an outputs alias reads: the synthesized outputs-only state. */
    String OUTPUTS_TOKEN = "outputs-token";
    /** How an alias with read reads the whole state. */
    String ALIAS = "alias";
    /** How a TFE client (a {@code tfe_outputs} data source) reads the outputs. */
    String TFE_OUTPUTS = "tfe-outputs";

    ConsumerReads NONE = (reader, key, via) -> {};

    void read(Principal reader, StateKey key, String via);

    /** How {@code reader} reading only the outputs reads: through its alias or its outputs credential. */
    static String outputsVia(Principal reader) {
        return reader.isAlias() ? ALIAS : OUTPUTS_TOKEN;
    }
}
