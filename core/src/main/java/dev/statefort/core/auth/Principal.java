package dev.statefort.core.auth;

/**
 * Who is making a request, and what it may do.
 *
 * @param name how it shows in logs and version history, e.g. {@code token:ab12cd34}
 * @param project the one project it may act on, or null for all projects
 */
public record Principal(String name, String project, Permission permission) {

    /** Whether it may do {@code needed} in {@code project}. */
    public boolean allows(String project, Permission needed) {
        return (this.project == null || this.project.equals(project)) && permission.includes(needed);
    }

    /** Admin of every project: may create projects and tokens for any project. */
    public boolean isGlobalAdmin() {
        return project == null && permission == Permission.ADMIN;
    }

    /** Whether it can see {@code project} at all. */
    public boolean canSee(String project) {
        return this.project == null || this.project.equals(project);
    }
}
