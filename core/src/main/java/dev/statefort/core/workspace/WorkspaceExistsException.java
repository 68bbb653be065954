package dev.statefort.core.workspace;

import dev.statefort.core.ConflictException;
import dev.statefort.core.model.StateKey;

/** A state created again: 409 (HCP Terraform answers a taken workspace name with a 422; Terraform reads either as a refusal). */
public final class WorkspaceExistsException extends ConflictException {
    public WorkspaceExistsException(StateKey key) {
        super("state " + key + " already exists");
    }
}
