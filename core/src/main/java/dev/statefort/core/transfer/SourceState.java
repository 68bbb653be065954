package dev.statefort.core.transfer;

import java.io.IOException;
import java.util.List;
import java.util.Objects;

/**
 * One state found in a {@link StateSource}.
 *
 * @param name the Statefort state name it is imported into (checked by the import, not here)
 * @param origin where it was found (a path, an object key, a URL, a workspace), never a secret
 * @param versions lists its versions, oldest first; called once, may fail for this state alone
 * @param tags the tags it carries there (an HCP Terraform workspace's), kept on the state; empty elsewhere
 */
public record SourceState(String name, String origin, Versions versions, List<String> tags) {

    /** Lists a state's versions, oldest first. */
    @FunctionalInterface
    public interface Versions {
        List<SourceVersion> list() throws IOException;
    }

    public SourceState {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(versions, "versions");
        tags = tags == null ? List.of() : List.copyOf(tags);
    }

    /** A state without tags. */
    public SourceState(String name, String origin, Versions versions) {
        this(name, origin, versions, List.of());
    }

    /** A state whose versions are already known. */
    public static SourceState of(String name, String origin, List<SourceVersion> versions) {
        List<SourceVersion> copy = List.copyOf(versions);
        return new SourceState(name, origin, () -> copy);
    }
}
