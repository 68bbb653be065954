package dev.statefort.core.transfer;

import java.io.IOException;
import java.util.List;

/**
 * Where an import reads existing states from: a directory, a bucket in a backend's layout, another
 * http backend, HCP Terraform, an export file. Adapters implement it; {@link StateImport} writes
 * what it finds.
 */
public interface StateSource extends AutoCloseable {
    /** Where the states come from, for messages: never a secret. */
    String describe();

    /**
     * Every state found, named by the source's documented rule. Listing a state's versions may
     * fail for that one state alone ({@link SourceState#versions()}).
     *
     * @throws IOException when the source cannot be listed at all
     */
    List<SourceState> states() throws IOException;

    @Override
    default void close() {}
}
