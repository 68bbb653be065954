package dev.statefort.server.http.ui;

import dev.statefort.core.insight.AnalysisPool;
import dev.statefort.core.insight.VersionInsight;
import dev.statefort.server.http.Exchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;

/** Sends the UI's rendered pages, each with the headers that keep a page from being framed, sniffed or cached. */
public final class UiView {
    /** Only our own scripts and styles (no inline ones), forms only to us, never in a frame. */
    private static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
            + " connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private final Templates templates;

    public UiView(Templates templates) {
        this.templates = templates;
    }

    /** Renders {@code template} with {@code chrome} and {@code page} and sends it with status {@code status}. */
    void send(Exchange ex, int status, String template, Chrome chrome, Object page) throws IOException {
        String html = templates.render(template, Map.of("chrome", chrome, "page", page));
        securityHeaders(ex);
        ex.send(status, Exchange.HTML, html.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * {@link #send}, building and rendering the page on the analysis pool in one turn: for pages that
     * embed what an analysis found (a state's resources and outputs, a version's masked content, a
     * diff), that is as much CPU as the analysis. {@code page} does no I/O.
     */
    void sendAnalysed(
            Exchange ex,
            VersionInsight insight,
            int status,
            String template,
            Chrome chrome,
            AnalysisPool.Work<Object> page)
            throws IOException {
        byte[] html = insight.analyse(() -> templates
                .render(template, Map.of("chrome", chrome, "page", page.run()))
                .getBytes(StandardCharsets.UTF_8));
        securityHeaders(ex);
        ex.send(status, Exchange.HTML, html);
    }

    static void securityHeaders(Exchange ex) {
        ex.header("Content-Security-Policy", CSP);
        ex.header("X-Content-Type-Options", "nosniff");
        ex.header("X-Frame-Options", "DENY");
        ex.header("Referrer-Policy", "same-origin");
        ex.header(HttpHeader.CACHE_CONTROL, "no-store");
    }
}
