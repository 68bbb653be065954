package dev.statefort.server.http;

import dev.statefort.core.auth.Principal;
import dev.statefort.core.state.Names;
import dev.statefort.server.ui.Chrome;
import java.io.IOException;
import java.util.Map;

/**
 * Where the UI's access pages are: tokens, the Connect panel's token, aliases, members, settings,
 * the audit log and new projects. {@link UiHandler} asks here after its own pages; every path is
 * in {@link Routes} (so a method not listed is a 405 before this runs).
 */
final class UiAccessRoutes {
    /** Fixed notices the access pages' redirects ask for by code. */
    static final Map<String, String> NOTICES = Map.of(
            "token-revoked", "The token was revoked: it no longer works.",
            "alias-revoked", "The alias was revoked: its address and password no longer work.",
            "member-saved", "The member's role was saved.",
            "member-removed", "The member was removed from the project.",
            "settings-saved", "The settings were saved.",
            "project-created", "The project was created.");

    private final UiCredentialPages credentials;
    private final UiProjectAdminPages admin;

    UiAccessRoutes(UiCredentialPages credentials, UiProjectAdminPages admin) {
        this.credentials = credentials;
        this.admin = admin;
    }

    /** Handles {@code /ui/<s...>} if it is an access page; false when it is not one. */
    boolean handle(Exchange ex, Chrome chrome, Principal principal, String[] s) throws IOException {
        boolean post = ex.method().equals("POST");
        if (s.length == 1 && s[0].equals("tokens")) {
            if (post) {
                credentials.createToken(ex, chrome, principal);
            } else {
                credentials.tokens(ex, chrome, principal, null);
            }
        } else if (s.length == 3 && s[0].equals("tokens") && s[2].equals("revoke")) {
            credentials.revokeToken(ex, principal, s[1]);
        } else if (s.length == 1 && s[0].equals("projects") && post) {
            admin.createProject(ex, principal);
        } else if (s.length == 1 && s[0].equals("audit")) {
            admin.audit(ex, chrome, principal);
        } else if (s.length >= 3 && s[0].equals("projects")) {
            return project(ex, chrome, principal, Names.require("project", s[1]), s, post);
        } else {
            return false;
        }
        return true;
    }

    private boolean project(Exchange ex, Chrome chrome, Principal principal, String project, String[] s, boolean post)
            throws IOException {
        String page = s[2];
        if (s.length == 3) {
            switch (page) {
                case "tokens" -> credentials.tokens(ex, chrome, principal, project);
                case "connect" -> credentials.connectToken(ex, chrome, principal, project);
                case "aliases" -> {
                    if (post) {
                        credentials.createAlias(ex, chrome, principal, project);
                    } else {
                        credentials.aliases(ex, chrome, principal, project);
                    }
                }
                case "members" -> {
                    if (post) {
                        admin.putMember(ex, principal, project);
                    } else {
                        admin.members(ex, chrome, principal, project);
                    }
                }
                case "settings" -> {
                    if (post) {
                        admin.saveSettings(ex, principal, project);
                    } else {
                        admin.settings(ex, chrome, principal, project);
                    }
                }
                default -> {
                    return false;
                }
            }
            return true;
        }
        if (s.length == 5 && page.equals("aliases") && (s[4].equals("rotate") || s[4].equals("revoke"))) {
            credentials.aliasAction(ex, chrome, principal, project, s[3], s[4]);
            return true;
        }
        if (s.length == 5 && page.equals("members") && s[4].equals("remove")) {
            admin.removeMember(ex, principal, project, s[3]);
            return true;
        }
        return false;
    }
}
