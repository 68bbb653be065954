package dev.statefort.core.workspace;

import dev.statefort.core.model.StateRecord;
import dev.statefort.core.policy.StateSettings;
import java.util.List;

/**
 * A state as a TFE client sees it, a workspace: the state with its head and lock, and the tags and
 * Terraform version a client set on it.
 */
public record Workspace(StateRecord state, StateSettings settings) {
    public List<String> tags() {
        return settings.tagList();
    }
}
