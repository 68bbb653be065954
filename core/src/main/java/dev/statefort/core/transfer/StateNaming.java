package dev.statefort.core.transfer;

import java.util.ArrayList;
import java.util.List;

/**
 * The one rule that names an imported state after where it was found (documented in
 * docs/operations.md, "Importing states"):
 *
 * <ul>
 *   <li>a file's path below the imported root, without {@code .tfstate}, its segments joined by
 *       {@code -}: {@code prod/network.tfstate} is {@code prod-network};
 *   <li>a file named {@code terraform.tfstate} is named after its folder: {@code
 *       prod/network/terraform.tfstate} is {@code prod-network}, and at the root {@code default};
 *   <li>a workspace other than {@code default} adds {@code -<workspace>}, and replaces {@code
 *       default}: {@code network/terraform.tfstate.d/staging/terraform.tfstate} is {@code
 *       network-staging}, {@code terraform.tfstate.d/staging/terraform.tfstate} is {@code staging};
 *   <li>a character outside {@code [A-Za-z0-9._-]} becomes {@code _}; leading dots, dashes and
 *       underscores are dropped.
 * </ul>
 */
public final class StateNaming {
    /** The name of the state at the root, as Terraform names its first workspace. */
    public static final String DEFAULT = "default";

    private static final String SUFFIX = ".tfstate";
    private static final String WORKSPACES_FOLDER = "terraform.tfstate.d";

    private StateNaming() {}

    /** The name of a state file at {@code path} ({@code /}-separated, relative to the imported root). */
    public static String fromPath(String path) {
        List<String> segments = segments(path);
        int workspaces = segments.indexOf(WORKSPACES_FOLDER);
        if (workspaces >= 0 && workspaces + 1 < segments.size()) {
            return forWorkspace(String.join("/", segments.subList(0, workspaces)), segments.get(workspaces + 1));
        }
        if (segments.isEmpty()) {
            return DEFAULT;
        }
        String file = segments.getLast();
        String stem = file.endsWith(SUFFIX) ? file.substring(0, file.length() - SUFFIX.length()) : file;
        List<String> folder = segments.subList(0, segments.size() - 1);
        if (stem.equals("terraform") || stem.isEmpty()) {
            return forWorkspace(String.join("/", folder), DEFAULT);
        }
        List<String> all = new ArrayList<>(folder);
        all.add(stem);
        return join(all);
    }

    /** The name of workspace {@code workspace} of the state kept in folder {@code folder} ("" for the root). */
    public static String forWorkspace(String folder, String workspace) {
        List<String> segments = segments(folder);
        return withWorkspace(segments.isEmpty() ? DEFAULT : join(segments), workspace);
    }

    /** {@code base} for the default workspace, else {@code base-workspace} ({@code workspace} alone for {@code default}). */
    public static String withWorkspace(String base, String workspace) {
        if (workspace == null || workspace.isEmpty() || workspace.equals(DEFAULT)) {
            return base;
        }
        String ws = clean(workspace);
        return base.equals(DEFAULT) ? ws : base + "-" + ws;
    }

    private static List<String> segments(String path) {
        List<String> segments = new ArrayList<>();
        for (String s : path.split("/")) {
            if (!s.isEmpty() && !s.equals(".")) {
                segments.add(s);
            }
        }
        return segments;
    }

    private static String join(List<String> segments) {
        List<String> cleaned = new ArrayList<>();
        for (String s : segments) {
            cleaned.add(clean(s));
        }
        String name = String.join("-", cleaned);
        return name.isEmpty() ? DEFAULT : name;
    }

    private static String clean(String segment) {
        String replaced = segment.replaceAll("[^A-Za-z0-9._-]", "_");
        return replaced.replaceFirst("^[._-]+", "");
    }
}
