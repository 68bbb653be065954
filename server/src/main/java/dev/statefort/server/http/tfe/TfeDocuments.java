package dev.statefort.server.http.tfe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.statefort.core.auth.Principal;
import dev.statefort.core.insight.OutputValue;
import dev.statefort.core.model.Permission;
import dev.statefort.core.model.StateKey;
import dev.statefort.core.model.VersionRecord;
import dev.statefort.core.workspace.Workspace;
import dev.statefort.server.http.Exchange;
import java.io.IOException;
import java.time.Instant;
import java.util.List;

/**
 * The TFE API's JSON:API documents, as go-tfe parses them: {@code data.id} always a string, {@code
 * type} exact, times in UTC ending in {@code Z}, a workspace always with its {@code permissions}
 * (Terraform dereferences them) and always in local execution.
 */
final class TfeDocuments {
    static final String MEDIA_TYPE = "application/vnd.api+json";
    /** What a workspace reports when no client set a Terraform version: the client skips its version check. */
    static final String ANY_TERRAFORM_VERSION = "latest";

    private final ObjectMapper json;

    TfeDocuments(ObjectMapper json) {
        this.json = json;
    }

    ObjectMapper mapper() {
        return json;
    }

    /** Sends {@code document} as JSON:API. */
    void send(Exchange exchange, int status, ObjectNode document) throws IOException {
        exchange.send(status, MEDIA_TYPE, json.writeValueAsBytes(document));
    }

    ObjectNode single(ObjectNode resource) {
        ObjectNode doc = json.createObjectNode();
        doc.set("data", resource);
        return doc;
    }

    /** A page of a list, with the pagination go-tfe reads (a next page whenever there is one). */
    ObjectNode list(List<ObjectNode> items, int page, int pages, long total) {
        ObjectNode doc = json.createObjectNode();
        ArrayNode data = doc.putArray("data");
        items.forEach(data::add);
        ObjectNode pagination = doc.putObject("meta").putObject("pagination");
        pagination.put("current-page", page);
        pagination.put("total-pages", pages);
        pagination.put("total-count", total);
        if (page > 1) {
            pagination.put("prev-page", page - 1);
        } else {
            pagination.putNull("prev-page");
        }
        if (page < pages) {
            pagination.put("next-page", page + 1);
        } else {
            pagination.putNull("next-page");
        }
        return doc;
    }

    ObjectNode errors(int status, String message) {
        ObjectNode doc = json.createObjectNode();
        ObjectNode error = doc.putArray("errors").addObject();
        error.put("status", String.valueOf(status));
        error.put("title", message);
        return doc;
    }

    ObjectNode entitlements(String project) {
        ObjectNode resource = resource("entitlement-sets", "org-" + project);
        ObjectNode attributes = (ObjectNode) resource.get("attributes");
        attributes.put("operations", false);
        attributes.put("state-storage", true);
        attributes.put("private-module-registry", false);
        attributes.put("sentinel", false);
        attributes.put("teams", false);
        attributes.put("vcs-integrations", false);
        return resource;
    }

    ObjectNode workspace(Workspace workspace, Principal viewer) {
        StateKey key = workspace.state().key();
        ObjectNode resource = resource("workspaces", TfeIds.workspace(key));
        ObjectNode a = (ObjectNode) resource.get("attributes");
        a.put("name", key.name());
        a.put("execution-mode", "local");
        a.put("operations", false);
        a.put("auto-apply", false);
        a.put("locked", workspace.state().locked());
        String version = workspace.settings().terraformVersion();
        a.put("terraform-version", version == null ? ANY_TERRAFORM_VERSION : version);
        ArrayNode tags = a.putArray("tag-names");
        workspace.tags().forEach(tags::add);
        a.put("created-at", time(workspace.state().createdAt()));
        VersionRecord head = workspace.state().head();
        a.put("updated-at", time(head == null ? workspace.state().createdAt() : head.createdAt()));
        a.put("resource-count", head == null || head.resourceCount() == null ? 0 : head.resourceCount());
        a.put("environment", "default");
        boolean write = viewer.allows(key, Permission.WRITE);
        boolean admin = viewer.allows(key, Permission.ADMIN);
        a.putObject("actions").put("is-destroyable", admin);
        ObjectNode p = a.putObject("permissions");
        p.put("can-update", write);
        p.put("can-destroy", admin);
        p.put("can-lock", write);
        p.put("can-unlock", write);
        p.put("can-force-unlock", write);
        p.put("can-read-state-versions", viewer.allows(key, Permission.READ));
        p.put("can-create-state-versions", write);
        p.put("can-read-settings", true);
        p.put("can-queue-run", false);
        p.put("can-queue-destroy", false);
        p.put("can-queue-apply", false);
        p.put("can-update-variable", false);
        ObjectNode relationships = resource.putObject("relationships");
        relationships
                .putObject("organization")
                .putObject("data")
                .put("id", key.project())
                .put("type", "organizations");
        return resource;
    }

    /** An HCP project named {@code name} in organization {@code project} (it has no effect here). */
    ObjectNode project(String project, String name) {
        ObjectNode resource = resource("projects", TfeIds.project(project, name));
        ((ObjectNode) resource.get("attributes")).put("name", name);
        return resource;
    }

    ObjectNode tag(String name) {
        ObjectNode tag = resource("tags", "tag-" + name);
        ((ObjectNode) tag.get("attributes")).put("name", name);
        return tag;
    }

    /** A written version, with the address its bytes are downloaded from. */
    ObjectNode stateVersion(VersionRecord version, String downloadUrl) {
        TfeIds.Version id = new TfeIds.Version(version.key(), version.number(), null);
        ObjectNode resource = resource("state-versions", id.id());
        ObjectNode a = (ObjectNode) resource.get("attributes");
        a.put("status", "finalized");
        if (version.serial() != null) {
            a.put("serial", version.serial());
        }
        a.put("created-at", time(version.createdAt()));
        a.put("size", version.size());
        a.put("hosted-state-download-url", downloadUrl);
        a.putNull("hosted-json-state-download-url");
        a.put("resources-processed", true);
        if (version.terraformVersion() != null) {
            a.put("terraform-version", version.terraformVersion());
        }
        return resource;
    }

    /** A version declared and not yet uploaded; with its upload URLs when they were just made. */
    ObjectNode pendingStateVersion(StateKey key, long serial, String stateUploadUrl, String jsonUploadUrl) {
        ObjectNode resource = resource("state-versions", new TfeIds.Version(key, null, serial).id());
        ObjectNode a = (ObjectNode) resource.get("attributes");
        a.put("status", "pending");
        a.put("serial", serial);
        if (stateUploadUrl != null) {
            a.put("hosted-state-upload-url", stateUploadUrl);
            a.put("hosted-json-state-upload-url", jsonUploadUrl);
        }
        return resource;
    }

    /**
     * One output of a version: its value unless it is sensitive and {@code withSensitiveValue} is
     * false (a list never shows them; the output's own read does), and its type as {@code
     * detailed-type} so that {@code terraform output} needs nothing else.
     */
    ObjectNode output(StateKey key, long version, OutputValue output, boolean withSensitiveValue) {
        ObjectNode resource = resource("state-version-outputs", new TfeIds.Output(key, version, output.name()).id());
        ObjectNode a = (ObjectNode) resource.get("attributes");
        a.put("name", output.name());
        a.put("sensitive", output.sensitive());
        if (output.sensitive() && !withSensitiveValue) {
            a.putNull("value");
        } else {
            a.set("value", output.value() == null ? json.nullNode() : output.value());
        }
        JsonNode type = output.type();
        if (type != null && !type.isNull()) {
            a.set("detailed-type", type);
            a.put("type", type.isTextual() ? type.asText() : type.path(0).asText("object"));
        }
        return resource;
    }

    private ObjectNode resource(String type, String id) {
        ObjectNode resource = json.createObjectNode();
        resource.put("id", id);
        resource.put("type", type);
        resource.putObject("attributes");
        return resource;
    }

    /** UTC, ending in {@code Z}: go-tfe's date parser takes nothing else. */
    static String time(Instant at) {
        return at.toString();
    }
}
