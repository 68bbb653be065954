package dev.statefort.core.model;

import dev.statefort.core.NotFoundException;

/** A state was addressed in a project that does not exist. */
public class ProjectNotFoundException extends NotFoundException {
    public ProjectNotFoundException(String project) {
        super("project '" + project + "' does not exist; create it first (statefort project create " + project + ")");
    }
}
