package dev.statefort.server.http;

import dev.statefort.core.NotFoundException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One surface's routes: {@code (method, path template, access, endpoint)}, and the dispatch.
 * A {@code {name}} segment matches any one non-empty path segment; where two templates match a
 * path, the one listed first wins. A path no template matches is a 404, a path matched with
 * another method a 405 whose {@code Allow} lists the methods the table has for it.
 *
 * @param <E> the surface's endpoint type
 */
public final class RouteTable<E> {
    /** One route; {@code template} is the path with {@code {placeholder}} segments. */
    public record Route<E>(String method, String template, Access access, E endpoint) {
        /** {@code METHOD /template}, as the authorization matrix and the docs name a route. */
        public String name() {
            return method + " " + template;
        }
    }

    /** A route that answers a request, with the values of its placeholders. */
    public record Match<E>(Route<E> route, PathParams path) {}

    private record Compiled<E>(Route<E> route, String[] segments) {
        /** The placeholders' values if {@code path} fits the template, else empty. */
        Optional<PathParams> bind(String[] path) {
            if (segments.length != path.length) {
                return Optional.empty();
            }
            Map<String, String> values = null;
            for (int i = 0; i < segments.length; i++) {
                String segment = segments[i];
                if (segment.startsWith("{")) {
                    if (path[i].isEmpty()) {
                        return Optional.empty();
                    }
                    if (values == null) {
                        values = new HashMap<>(4);
                    }
                    values.put(segment.substring(1, segment.length() - 1), path[i]);
                } else if (!segment.equals(path[i])) {
                    return Optional.empty();
                }
            }
            return Optional.of(values == null ? PathParams.NONE : new PathParams(Map.copyOf(values)));
        }
    }

    private final List<Compiled<E>> routes;

    private RouteTable(List<Route<E>> routes) {
        this.routes = routes.stream()
                .map(r -> new Compiled<>(r, r.template().split("/", -1)))
                .toList();
    }

    public static <E> Builder<E> builder() {
        return new Builder<>();
    }

    /** The route for {@code method path}: {@link NotFoundException} or {@link MethodNotAllowedException} when none. */
    Match<E> match(String method, String path) {
        String[] segments = path.split("/", -1);
        Set<String> allowed = new LinkedHashSet<>();
        for (Compiled<E> compiled : routes) {
            Optional<PathParams> bound = compiled.bind(segments);
            if (bound.isEmpty()) {
                continue;
            }
            if (compiled.route().method().equals(method)) {
                return new Match<>(compiled.route(), bound.get());
            }
            allowed.add(compiled.route().method());
        }
        if (allowed.isEmpty()) {
            throw notFound(path);
        }
        throw new MethodNotAllowedException(method, String.join(", ", allowed));
    }

    /** Every route, in the table's order. */
    List<Route<E>> routes() {
        return routes.stream().map(Compiled::route).toList();
    }

    /** The one answer for a path no route knows. */
    static NotFoundException notFound(String path) {
        return new NotFoundException("nothing at " + path
                + "; the backend lives under /tf/{project}/{state}, the API under /api/v1 (see docs/api.md),"
                + " the web UI under /ui/");
    }

    /** Collects a table in the order it is read. */
    public static final class Builder<E> {
        private final List<Route<E>> routes = new ArrayList<>();

        public Builder<E> add(String method, String template, Access access, E endpoint) {
            routes.add(new Route<>(method, template, access, endpoint));
            return this;
        }

        public RouteTable<E> build() {
            return new RouteTable<>(List.copyOf(routes));
        }
    }
}
