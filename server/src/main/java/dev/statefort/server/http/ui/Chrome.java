package dev.statefort.server.http.ui;

import java.util.List;

/**
 * What every page's frame shows: who is logged in, the CSRF token (for forms and for htmx), the
 * banner when the password must change, a one-line notice, and where the page sits.
 *
 * @param notice a fixed message chosen by the server (never text from the request), or null
 */
public record Chrome(
        String title,
        String user,
        boolean globalAdmin,
        boolean mustChangePassword,
        String csrf,
        List<Crumb> crumbs,
        String notice,
        String noticeKind) {

    public record Crumb(String label, String href) {}

    /** The same frame for another page. */
    public Chrome page(String newTitle, List<Crumb> newCrumbs) {
        return new Chrome(newTitle, user, globalAdmin, mustChangePassword, csrf, newCrumbs, notice, noticeKind);
    }

    /** The same frame with a notice (null: none). */
    public Chrome withNotice(String text) {
        return new Chrome(title, user, globalAdmin, mustChangePassword, csrf, crumbs, text, text == null ? null : "ok");
    }

    /** The {@code hx-headers} value: htmx sends the CSRF token on every request it makes. */
    public String htmxHeaders() {
        return "{\"X-CSRF-Token\":\"" + csrf + "\"}";
    }

    public boolean loggedIn() {
        return user != null;
    }

    /** The frame of a page nobody is logged in to (login, errors before a session). */
    public static Chrome anonymous(String title) {
        return new Chrome(title, null, false, false, "", List.of(), null, null);
    }
}
