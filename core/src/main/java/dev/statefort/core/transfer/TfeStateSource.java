package dev.statefort.core.transfer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The states of an HCP Terraform or Terraform Enterprise organization (API v2, JSON:API): one state
 * per workspace (or the one workspace asked for), named after it, with every state version of the
 * workspace, oldest first (by serial, then creation time), created at its {@code created-at}.
 *
 * <p>API requests carry the token as a bearer token; a state version's {@code
 * hosted-state-download-url} gets it only when it has the API's origin (scheme, host and port), as
 * Terraform Enterprise's own archivist may, never another host's. Lists are read page by page
 * ({@code meta.pagination.next-page}, else {@code links.next} on the API's origin). A 429 is waited
 * out ({@code Retry-After}) up to three times. The token never appears in a message.
 *
 * <p>State versions without a download URL, or {@code pending} or {@code discarded} (an upload that
 * never completed), have no state to import and are left out.
 */
public final class TfeStateSource implements StateSource {
    /** Lists an organization's workspaces; {@code %s} is the organization. */
    static final String WORKSPACES_PATH = "/api/v2/organizations/%s/workspaces";
    /** Lists state versions, filtered by workspace and organization names. */
    static final String STATE_VERSIONS_PATH = "/api/v2/state-versions";

    static final String MEDIA_TYPE = "application/vnd.api+json";
    static final int PAGE_SIZE = 100;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> NO_STATE = Set.of("pending", "discarded");

    private final URI base;
    private final String organization;
    private final String workspace;
    private final String authorization;
    private final SourceHttp http = new SourceHttp();

    /**
     * @param baseUrl the API's address, such as {@code https://app.terraform.io}
     * @param organization the organization's name
     * @param workspaceOrNull the one workspace to read, or null: every workspace
     * @param token an API token that can read the workspaces' state versions
     */
    public TfeStateSource(URI baseUrl, String organization, String workspaceOrNull, String token) {
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(organization, "organization");
        Objects.requireNonNull(token, "token");
        if (!SourceHttp.isHttp(baseUrl)) {
            throw new IllegalArgumentException("not an http(s) URL: " + SourceHttp.withoutUserInfo(baseUrl));
        }
        if (organization.isBlank()) {
            throw new IllegalArgumentException("the organization is empty");
        }
        if (token.isBlank()) {
            throw new IllegalArgumentException("the token is empty");
        }
        String text = SourceHttp.withoutUserInfo(baseUrl).toString();
        int query = text.indexOf('?');
        text = query < 0 ? text : text.substring(0, query);
        while (text.endsWith("/")) {
            text = text.substring(0, text.length() - 1);
        }
        this.base = URI.create(text);
        this.organization = organization;
        this.workspace = workspaceOrNull;
        this.authorization = "Bearer " + token;
    }

    @Override
    public String describe() {
        return "HCP Terraform/Terraform Enterprise " + base + " organization " + organization
                + (workspace == null ? "" : " workspace " + workspace);
    }

    @Override
    public String toString() {
        return describe();
    }

    @Override
    public List<SourceState> states() throws IOException {
        Map<String, String> filters = new LinkedHashMap<>();
        List<JsonNode> found = listAll(
                String.format(WORKSPACES_PATH, segment(organization)),
                filters,
                "the workspaces of organization " + organization);
        List<SourceState> states = new ArrayList<>();
        for (JsonNode ws : found) {
            String name = ws.path("attributes").path("name").asText(null);
            if (name == null || name.isEmpty()) {
                throw new IOException("workspace " + ws.path("id").asText("?") + " of organization " + organization
                        + " has no name in " + base + "'s answer");
            }
            if (workspace == null || workspace.equals(name)) {
                List<String> tags = new ArrayList<>();
                ws.path("attributes").path("tag-names").forEach(tag -> {
                    if (tag.isTextual()) {
                        tags.add(tag.asText());
                    }
                });
                states.add(new SourceState(name, origin(name), () -> versions(name), tags));
            }
        }
        if (workspace != null && states.isEmpty()) {
            throw new IOException("workspace " + workspace + " not found in organization " + organization + " at "
                    + base + " (or the token cannot see it)");
        }
        states.sort(Comparator.comparing(SourceState::name));
        return states;
    }

    private String origin(String workspaceName) {
        return "tfe:" + organization + "/" + workspaceName;
    }

    private List<SourceVersion> versions(String workspaceName) throws IOException {
        Map<String, String> filters = new LinkedHashMap<>();
        filters.put("filter[workspace][name]", workspaceName);
        filters.put("filter[organization][name]", organization);
        List<JsonNode> found = listAll(
                STATE_VERSIONS_PATH, filters, "the state versions of workspace " + organization + "/" + workspaceName);
        List<Found> usable = new ArrayList<>();
        for (JsonNode sv : found) {
            JsonNode attributes = sv.path("attributes");
            String url = attributes.path("hosted-state-download-url").asText(null);
            if (url == null
                    || url.isBlank()
                    || NO_STATE.contains(attributes.path("status").asText(""))) {
                continue;
            }
            JsonNode serial = attributes.path("serial");
            usable.add(new Found(
                    sv.path("id").asText("?"),
                    serial.canConvertToLong() ? serial.asLong() : null,
                    instant(attributes.path("created-at").asText(null)),
                    url));
        }
        usable.sort(Comparator.comparing(Found::serial, Comparator.nullsFirst(Comparator.naturalOrder()))
                .thenComparing(Found::createdAt, Comparator.nullsFirst(Comparator.naturalOrder()))
                .thenComparing(Found::id));
        List<SourceVersion> versions = new ArrayList<>();
        for (Found f : usable) {
            String origin =
                    origin(workspaceName) + " " + f.id() + (f.serial() == null ? "" : " (serial " + f.serial() + ")");
            versions.add(new SourceVersion(origin, f.createdAt(), () -> download(f, workspaceName)));
        }
        return versions;
    }

    private record Found(String id, Long serial, Instant createdAt, String url) {}

    private InputStream download(Found version, String workspaceName) throws IOException {
        // the download URL is a capability: messages name the state version, never the URL
        String what = "the download of state version " + version.id() + " of " + organization + "/" + workspaceName;
        URI target;
        try {
            target = base.resolve(version.url().trim());
        } catch (IllegalArgumentException e) {
            throw new IOException(what + ": its URL is not valid");
        }
        if (!SourceHttp.isHttp(target)) {
            throw new IOException(what + ": its URL is not http(s)");
        }
        boolean ours = SourceHttp.sameOrigin(base, target);
        HttpResponse<InputStream> response = http.get(target, what, ours ? authorization : null, Map.of());
        int status = response.statusCode();
        if (status == 200) {
            return response.body();
        }
        SourceHttp.discard(response);
        if (status == 401 && ours) {
            throw new IOException(what + ": token refused by " + base);
        }
        throw new IOException(what + ": HTTP " + status);
    }

    /** Every item of a paginated list, page by page. */
    private List<JsonNode> listAll(String path, Map<String, String> filters, String what) throws IOException {
        List<JsonNode> items = new ArrayList<>();
        Set<URI> seen = new HashSet<>();
        URI next = page(path, filters, 1);
        while (next != null) {
            if (!seen.add(next)) {
                throw new IOException(what + ": " + base + " paginates in a loop (" + next + " again)");
            }
            JsonNode page = getJson(next, what);
            JsonNode data = page.path("data");
            if (!data.isArray()) {
                throw new IOException(what + ": " + base + " answered without a data array");
            }
            data.forEach(items::add);
            next = nextPage(page, path, filters, what);
        }
        return items;
    }

    private URI nextPage(JsonNode page, String path, Map<String, String> filters, String what) throws IOException {
        JsonNode pagination = page.path("meta").path("pagination");
        if (pagination.has("next-page")) {
            JsonNode number = pagination.get("next-page");
            return number.canConvertToInt() && number.asInt() > 0 ? page(path, filters, number.asInt()) : null;
        }
        JsonNode link = page.path("links").path("next");
        if (!link.isTextual() || link.asText().isBlank()) {
            return null;
        }
        URI next;
        try {
            next = base.resolve(link.asText().trim());
        } catch (IllegalArgumentException e) {
            throw new IOException(what + ": " + base + " answered an invalid next link");
        }
        if (!SourceHttp.sameOrigin(base, next)) {
            throw new IOException(what + ": the next page is on another origin than " + base + ": not followed");
        }
        return next;
    }

    private URI page(String path, Map<String, String> filters, int number) {
        StringBuilder s = new StringBuilder(base.toString()).append(path).append('?');
        for (Map.Entry<String, String> filter : filters.entrySet()) {
            s.append(query(filter.getKey()))
                    .append('=')
                    .append(query(filter.getValue()))
                    .append('&');
        }
        s.append(query("page[number]")).append('=').append(number);
        s.append('&').append(query("page[size]")).append('=').append(PAGE_SIZE);
        return URI.create(s.toString());
    }

    private JsonNode getJson(URI uri, String what) throws IOException {
        HttpResponse<InputStream> response =
                http.get(uri, what, authorization, Map.of("Content-Type", MEDIA_TYPE, "Accept", MEDIA_TYPE));
        int status = response.statusCode();
        try (InputStream in = response.body()) {
            switch (status) {
                case 200 -> {
                    try {
                        return JSON.readTree(in);
                    } catch (IOException e) {
                        throw new IOException(what + ": " + base + " answered something that is not JSON");
                    }
                }
                case 401 -> throw new IOException("token refused by " + base + " (reading " + what + ")");
                case 403 -> throw new IOException(what + ": HTTP 403 from " + base + " (the token may not read them)");
                case 404 -> throw new IOException(what + ": not found at " + base + " (or the token cannot see them)");
                case 429 ->
                    throw new IOException(
                            what + ": still rate limited by " + base + " after " + SourceHttp.MAX_RETRIES + " retries");
                default -> throw new IOException(what + ": HTTP " + status + " from " + base);
            }
        }
    }

    private static Instant instant(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeException e) {
            return null;
        }
    }

    private static String query(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String segment(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Override
    public void close() {
        http.close();
    }
}
