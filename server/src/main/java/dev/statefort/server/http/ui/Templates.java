package dev.statefort.server.http.ui;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import java.util.Map;

/**
 * The UI's JTE templates ({@code server/src/main/jte}), compiled to classes at build time by the
 * jte-maven-plugin: nothing is compiled at run time. HTML content type, so every {@code ${...}}
 * is escaped for where it stands (text or attribute).
 */
public final class Templates {
    private final TemplateEngine engine = TemplateEngine.createPrecompiled(ContentType.Html);

    /** Renders {@code name} (e.g. {@code "projects.jte"}) with its parameters. */
    public String render(String name, Map<String, Object> params) {
        StringOutput out = new StringOutput();
        engine.render(name, params, out);
        return out.toString();
    }
}
