package dev.statefort.server.http.ui;

import dev.statefort.core.NotFoundException;
import dev.statefort.server.http.Exchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;
import org.eclipse.jetty.http.HttpHeader;

/**
 * The UI's static files, all from the jar: htmx from its webjar and our one stylesheet. Only the
 * files named here are served; the name is never used to build a resource path.
 */
public final class UiStatic {
    /** The route of every static file: {@code {file}} is looked up among the files named here. */
    static final String ROUTE = "/ui/static/{file}";

    private static final String HTMX_POM = "/META-INF/maven/org.webjars.npm/htmx.org/pom.properties";
    /** htmx's Server-Sent Events extension: the project and state pages follow the live event stream with it. */
    private static final String SSE_POM = "/META-INF/maven/org.webjars.npm/htmx-ext-sse/pom.properties";

    private record File(String resource, String contentType) {}

    private final Map<String, File> files;

    public UiStatic() {
        String htmx = "/META-INF/resources/webjars/htmx.org/" + version(HTMX_POM) + "/dist/htmx.min.js";
        String sse = "/META-INF/resources/webjars/htmx-ext-sse/" + version(SSE_POM) + "/sse.js";
        files = Map.of(
                "htmx.min.js", new File(htmx, "text/javascript; charset=utf-8"),
                "sse.js", new File(sse, "text/javascript; charset=utf-8"),
                "statefort.css", new File("/dev/statefort/server/ui/static/statefort.css", "text/css; charset=utf-8"));
        files.values().forEach(f -> {
            if (UiStatic.class.getResource(f.resource()) == null) {
                throw new IllegalStateException("the UI file " + f.resource() + " is not in the jar");
            }
        });
    }

    void send(Exchange ex, String name) throws IOException {
        File file = files.get(name);
        if (file == null) {
            throw new NotFoundException("no UI file " + name);
        }
        byte[] bytes;
        try (InputStream in = UiStatic.class.getResourceAsStream(file.resource())) {
            bytes = in.readAllBytes();
        }
        ex.header("X-Content-Type-Options", "nosniff");
        ex.header(HttpHeader.CACHE_CONTROL, "public, max-age=3600");
        ex.send(200, file.contentType(), bytes);
    }

    /** A webjar's version, from its Maven metadata: the pom names it once. */
    private static String version(String pomProperties) {
        try (InputStream in = UiStatic.class.getResourceAsStream(pomProperties)) {
            if (in == null) {
                throw new IllegalStateException(pomProperties + " (a webjar) is not on the class path");
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
