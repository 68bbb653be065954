package dev.statefort.core.model;

/** The address of one state: {@code {project}/{name}}, both validated by {@link Names}. */
public record StateKey(String project, String name) {
    public StateKey {
        Names.require("project", project);
        Names.require("state", name);
    }

    @Override
    public String toString() {
        return project + "/" + name;
    }
}
