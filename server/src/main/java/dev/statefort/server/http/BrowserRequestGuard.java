package dev.statefort.server.http;

import dev.statefort.core.auth.AccessDeniedException;
import dev.statefort.server.config.Origins;

/**
 * The rule for requests a browser may send on its own: a browser attaches cached Basic
 * credentials, a client certificate or the session cookie to a request another site's page makes.
 * So every change (any method but GET, HEAD and OPTIONS), whatever its credential, is refused
 * when the browser marks it as coming from another site ({@code Sec-Fetch-Site: cross-site} or
 * {@code same-site}) or names an {@code Origin} other than the server's own ({@link
 * Exchange#baseUrl()}: {@code public-url}, else the request's scheme and Host). And a body sent
 * to the JSON API must be declared {@code application/json}, which no cross-site HTML form can
 * send. Terraform, OpenTofu, curl and CI clients send neither header and are not affected.
 */
public final class BrowserRequestGuard {
    private BrowserRequestGuard() {}

    /** Throws 403 for a change another site's page sent. */
    static void check(Exchange exchange) {
        if (!exchange.isChange()) {
            return;
        }
        String fetchSite = exchange.header("Sec-Fetch-Site");
        if (fetchSite != null
                && (fetchSite.equalsIgnoreCase("cross-site") || fetchSite.equalsIgnoreCase("same-site"))) {
            throw new AccessDeniedException("refused: a browser sent this change from another site (Sec-Fetch-Site: "
                    + fetchSite + "); changes are accepted from Statefort's own pages and from non-browser clients");
        }
        String origin = exchange.header("Origin");
        if (origin != null && !exchange.baseUrl().equals(Origins.normalize(origin))) {
            throw new AccessDeniedException("refused: a browser sent this change from the origin '" + shorten(origin)
                    + "', not from " + exchange.baseUrl()
                    + " (behind a proxy, set public-url to the address users reach)");
        }
    }

    private static String shorten(String value) {
        return value.length() <= 100 ? value : value.substring(0, 100) + "...";
    }
}
